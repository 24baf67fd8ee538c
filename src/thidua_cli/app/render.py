"""``thidua render`` as a library function: read the awards result and the regulation's
``[documents]`` settings, build the documents' contexts, render them with the hospital's
templates (or the defaults), write them, and convert to PDF when asked. No printing: warnings
and progress go to the callbacks the caller passes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.documents import DocumentOptions
from thidua_cli.render import RenderedDocument


@dataclass(frozen=True)
class RenderRequest:
    """What ``thidua render`` was asked, as typed values (the CLI parses the options)."""

    kind: str  # a document kind, or "all"
    source: Path  # the .de-xuat.json or .de-xuat.xlsx
    output: Path | None = None  # the folder; None: the result's folder
    numbers: Mapping[str, int] = field(default_factory=dict)
    doc_date: date | None = None
    meeting_date: date | None = None
    signer: str | None = None
    absent: Sequence[str] = ()
    templates: Path | None = None
    rules: Path | None = None
    pdf: bool = False
    force: bool = False
    ledger: Path | None = None  # issue 17: its holds leave the held candidates out


@dataclass(frozen=True)
class RenderRun:
    year: int
    written: tuple[tuple[RenderedDocument, Path], ...]
    pdfs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()


Done = Callable[[RenderedDocument, Path], None]


def run(
    request: RenderRequest,
    *,
    warn: Callable[[str], None] | None = None,
    start: Callable[[int], None] | None = None,
    done: Done | None = None,
    note: Callable[[str], None] | None = None,
) -> RenderRun:
    """Render and write the documents. ``warn`` hears each warning before anything is written,
    ``start`` the number of documents about to be rendered, ``done`` each one written, and
    ``note`` the step to PDF. A run that cannot finish writes nothing."""
    from thidua_cli import render as rd
    from thidua_cli.core import documents as docs
    from thidua_cli.core.documents.income_kind import KIND as INCOME_KIND
    from thidua_cli.io.awards_io import load_result
    from thidua_cli.regulation import load_regulation

    if request.kind == INCOME_KIND:  # the payment table of thidua income: its own source
        return run_income(request, done=done)

    regulation = load_regulation(request.rules)
    options = docs.options_from_settings(regulation.documents, regulation.money)
    options = _apply_request(options, request)
    result = load_result(request.source)
    held_warnings: tuple[str, ...] = ()
    if request.ledger is not None:
        result, held_warnings = _leave_out_held(result, request.ledger)
    organisation = regulation.organisation.letterhead() if request.rules is not None else None
    docset = docs.build_documents(result, options, source=str(request.source),
                                  organisation=organisation)
    user_dir = rd.check_templates_dir(
        request.templates if request.templates is not None
        else _from_rules(options.documents.templates, request.rules))
    settings = rd.RenderSettings(linh=options.money.linh, nghin=options.money.nghin,
                                 name_order=options.documents.name_order)

    kinds = docset.kinds_to_write(request.kind)
    warnings = held_warnings + tuple(w.message for w in docset.warnings_for(kinds))
    for message in warnings:
        if warn:
            warn(message)
    # Created by write_documents once nothing can refuse the run any more.
    out_dir = request.output if request.output is not None else request.source.parent

    soffice = None
    if request.pdf:
        # Before writing anything: a run that cannot finish writes nothing.
        soffice = rd.find_soffice()
        if soffice is None:
            raise rd.soffice_missing()
    # Every document (and its PDF) asks the one output rule first: never over the result read,
    # the regulation or a template, whatever --force says (io/outputs.py).
    from thidua_cli.io.outputs import Protected, guard

    plan = rd.plan_outputs(kinds, docset, out_dir, user_dir)
    targets = list(plan.values())
    if request.pdf:
        targets += [p.with_suffix(".pdf") for p in plan.values() if p.suffix == ".docx"]
    templates = sorted(p for p in user_dir.iterdir() if p.is_file()) if user_dir else []
    guard(targets, Protected.of([request.source, *([request.rules] if request.rules else [])],
                                templates=templates, ledger=request.ledger),
          force=request.force, other="thư mục khác (-o)")

    if start:
        start(len(kinds))
    written = rd.write_documents(kinds, docset, out_dir, user_dir=user_dir, settings=settings,
                                 force=request.force, on_done=done)
    pdfs: list[Path] = []
    if request.pdf:
        if note:
            note("Đang chuyển sang PDF bằng LibreOffice…")
        docx_paths = [path for doc, path in written if doc.template.extension == ".docx"]
        pdfs = rd.convert_to_pdf(docx_paths, out_dir, force=request.force, soffice=soffice)
    return RenderRun(int(docset.context["year"]), tuple(written), tuple(pdfs), warnings)


def _leave_out_held(result: AwardsOutcome, ledger: Path) -> tuple[AwardsOutcome, tuple[str, ...]]:
    """The candidates the ledger holds for the result's year (``publish comments --ledger``)
    wait, whatever the result given says: a ``.de-xuat.json`` made before the posting must not
    print a decision for them (NĐ 152/2025 Điều 4.4). One warning per person left out."""
    from thidua_cli.core.publish import held_out, hold
    from thidua_cli.errors import UsageError
    from thidua_cli.io.ledger import read_holds

    if not ledger.is_file():
        raise UsageError(f"Không thấy sổ lịch sử {ledger} (--ledger): kiểm tra lại đường dẫn.")
    why = read_holds(ledger, result.year)
    warnings = tuple(
        f"Không in quyết định, giấy khen cho {name} ({sid}): {reason}." for sid, name, reason
        in held_out(result, why))
    return hold(result, why), warnings


def _apply_request(options: DocumentOptions, request: RenderRequest) -> DocumentOptions:
    """The command line's values over the regulation's ``[documents]`` ones."""
    merged = dict(options.numbers)
    merged.update(request.numbers)
    changes: dict[str, object] = {"numbers": merged}
    if request.doc_date is not None:
        changes["date"] = request.doc_date
    if request.meeting_date is not None:
        changes["meeting_date"] = request.meeting_date
    if request.absent:
        changes["absent"] = tuple(a.strip() for a in request.absent if a.strip())
    if request.signer is not None:
        options = options.with_settings(signer=request.signer.strip())
    return replace(options, **changes)  # type: ignore[arg-type]  # mixed value types


def _from_rules(folder: str, rules: Path | None) -> Path | None:
    """``documents.templates`` of a regulation file is relative to that file's folder."""
    if not folder:
        return None
    path = Path(folder)
    if not path.is_absolute() and rules is not None:
        path = rules.parent / path
    return path


def run_income(request: RenderRequest, *, done: Done | None = None) -> RenderRun:
    """``thidua render bang-thanh-toan --from <kỳ>.json``: the payment table of the additional
    income from a ``thidua income --json`` result (core/documents/income_kind.py), through the
    same templates, sandbox and output rule as the other documents."""
    from thidua_cli import render as rd
    from thidua_cli.core.documents.income_kind import KIND, income_context
    from thidua_cli.io.atomic import make_output_folder, write_atomic
    from thidua_cli.io.income_inputs import load_previous
    from thidua_cli.io.outputs import Protected, guard
    from thidua_cli.regulation import load_regulation

    if request.pdf:
        from thidua_cli.errors import UsageError

        raise UsageError("bang-thanh-toan chưa chuyển sang PDF được; hãy mở tệp .docx rồi lưu PDF.")
    regulation = load_regulation(request.rules)
    data = load_previous(request.source)
    context = income_context(data, regulation.organisation.letterhead(), linh=regulation.money.linh,
                             nghin=regulation.money.nghin, source=f"Tệp {request.source}")
    options_dir = request.templates if request.templates is not None else _from_rules(
        regulation.documents.templates, request.rules)
    user_dir = rd.check_templates_dir(options_dir)
    ref = rd.find_template(KIND, user_dir)
    out_dir = request.output if request.output is not None else request.source.parent
    path = out_dir / f"{KIND}-{context['period_code']}{ref.extension}"
    templates = sorted(p for p in user_dir.iterdir() if p.is_file()) if user_dir else []
    guard([path], Protected.of([request.source, *([request.rules] if request.rules else [])],
                               templates=templates), force=request.force, other="thư mục khác (-o)")
    settings = rd.RenderSettings(linh=regulation.money.linh, nghin=regulation.money.nghin,
                                 name_order=regulation.documents.name_order)
    data_bytes = rd.render_template(ref, context, user_dir=user_dir, settings=settings)
    items = sum(len(d["rows"]) for d in context["departments"])
    doc = rd.RenderedDocument(KIND, path.name, data_bytes, ref, items)
    make_output_folder(out_dir)
    write_atomic(path, data_bytes, force=request.force)
    if done:
        done(doc, path)
    year = int(str(context["period_code"])[:4] or 0)
    return RenderRun(year, ((doc, path),))
