"""``templates`` as library calls: export the default document templates, check an edited one,
list which template each kind of document will use. No printing (``present/templates.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from thidua_cli.errors import TemplateError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from thidua_cli.render import TemplateCheck

# Without --kind and with a file name that is no kind, a template is checked as a decision.
DEFAULT_KIND = "quyet-dinh"


def export(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the default templates into ``folder`` (created if missing); the files written.
    Refuses (exit 6, nothing written) when one exists and ``force`` is not given."""
    from thidua_cli.render import export_templates

    return export_templates(folder, force=force)


@dataclass(frozen=True)
class CheckOutcome:
    """A template checked against the documents of one awards result (or of a sample)."""

    file: Path
    kind: str  # the kind of document it was checked as
    check: TemplateCheck

    @property
    def errors(self) -> int:
        return sum(1 for p in self.check.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.check.problems) - self.errors


def check(file: Path, *, source: Path | None = None, kind: str | None = None) -> CheckOutcome:
    """Check ``file`` (Jinja syntax, variables the data lacks, tags Word split) with the data
    of the awards result ``source``, or of a sample result that has every section.

    Raises ``TemplateError`` (exit 5) for a missing file or a format thidua does not render,
    ``UsageError`` (exit 2) for an unknown ``kind``."""
    from thidua_cli import render as rd
    from thidua_cli.core import documents as docs
    from thidua_cli.io.awards_io import load_result
    from thidua_cli.regulation import default_regulation

    if not file.is_file():
        raise TemplateError(f"Không tìm thấy tệp mẫu {file}.")
    if file.suffix.lower() not in rd.TEMPLATE_EXTENSIONS:
        raise TemplateError(
            f"{file.name}: thidua chỉ dùng mẫu .docx (Word), .md hoặc .html. Tệp .doc cũ: mở bằng Word "
            "rồi Lưu thành .docx."
        )
    from thidua_cli.core.documents import income_kind

    chosen = kind or file.stem
    from thidua_cli.core.documents.publish import PUBLISH_KINDS, sample_context

    if chosen in PUBLISH_KINDS:  # thidua publish's documents: their own context (issue 17)
        from thidua_cli.core.awards_result import AwardsOutcome

        outcome = (load_result(source) if source is not None
                   else AwardsOutcome.from_json(docs.sample_result(), "mẫu"))
        return CheckOutcome(file, chosen, rd.check_template(
            file, sample_context(chosen, outcome), kind=chosen))
    if chosen == income_kind.KIND:  # the payment table of thidua income: its own context
        from thidua_cli.io.income_inputs import load_previous

        data = load_previous(source) if source is not None else income_kind.sample_income()
        regulation = default_regulation()
        context = income_kind.income_context(data, regulation.organisation.letterhead())
        return CheckOutcome(file, chosen, rd.check_template(file, context, kind=chosen))
    from thidua_cli.core.documents import models_kind

    if chosen == models_kind.KIND:  # the yearly report of models: the ledger's register
        context = models_kind.models_context(models_kind.sample_models(), 2026,
                                             default_regulation().organisation.letterhead())
        return CheckOutcome(file, chosen, rd.check_template(file, context, kind=chosen))
    from thidua_cli.core.documents import cluster as cd

    if chosen not in (*docs.KINDS, *cd.CLUSTER_KINDS):
        if kind is not None:
            raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: "
                             f"{', '.join((*docs.KINDS, *cd.CLUSTER_KINDS))}.")
        chosen = DEFAULT_KIND
    regulation = default_regulation()
    options = docs.sample_options(docs.options_from_settings(regulation.documents, regulation.money))
    if chosen in cd.CLUSTER_KINDS:  # the cluster's documents read a thidua.cluster/1 result
        context = cd.cluster_context(cd.sample_cluster_result(), options, place="An Bình",
                                     recipient="Hội đồng Thi đua – Khen thưởng tỉnh An Bình")
        return CheckOutcome(file, chosen, rd.check_template(file, cd.cluster_doc(context, chosen),
                                                            kind=chosen))
    if source is not None:
        docset = docs.build_documents(load_result(source), options, source=str(source))
    else:
        docset = docs.build_documents(docs.sample_result(), options)
    return CheckOutcome(file, chosen, rd.check_template(file, docset.for_kind(chosen), kind=chosen))


@dataclass(frozen=True)
class TemplateEntry:
    """One kind of document and the template that ``render`` will use for it."""

    kind: str
    label: str  # the document's name ("Quyết định khen thưởng")
    file_name: str
    user: bool  # from the hospital's own folder (else the packaged default)


@dataclass(frozen=True)
class TemplateListing:
    user_dir: Path | None
    entries: tuple[TemplateEntry, ...]


def listing(templates: Path | None = None) -> TemplateListing:
    """Every kind of document with the template it uses: the hospital's own in ``templates``
    first, else the default."""
    from thidua_cli import render as rd
    from thidua_cli.core import documents as docs

    user_dir = rd.check_templates_dir(templates)
    entries = []
    from thidua_cli.core.documents import income_kind, models_kind
    from thidua_cli.core.documents.cluster import CLUSTER_KIND_LABELS, CLUSTER_KINDS

    labels = {**docs.KIND_LABELS, income_kind.KIND: income_kind.LABEL, **CLUSTER_KIND_LABELS,
              models_kind.KIND: models_kind.LABEL}
    for kind in (*docs.KINDS, income_kind.KIND, *CLUSTER_KINDS, models_kind.KIND):
        ref = rd.find_template(kind, user_dir)
        entries.append(TemplateEntry(kind, labels[kind], ref.name, ref.origin == "user"))
    return TemplateListing(user_dir, tuple(entries))
