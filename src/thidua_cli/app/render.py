"""``thidua render`` as a library function: read the awards result and the regulation's
``[documents]`` settings, build the documents' contexts, render them with the hospital's
templates (or the defaults), write them, and convert to PDF when asked. No printing: warnings
and progress go to the callbacks the caller passes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

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
    ballots: tuple[int, int, int] | None = None  # issued, returned, valid (the tally)
    templates: Path | None = None
    rules: Path | None = None
    pdf: bool = False
    force: bool = False
    # Only the calibration page of the pre-printed Giấy khen blanks (documents.certificates).
    calibrate: bool = False
    ledger: Path | None = None  # issue 17: its holds leave the held candidates out
    year: int | None = None  # bao-cao-dien-hinh: the year of the ledger's models register


@dataclass(frozen=True)
class RenderRun:
    year: int
    written: tuple[tuple[RenderedDocument, Path], ...]
    pdfs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    # The documents LibreOffice could not convert, each with why (the others' PDFs are kept).
    pdf_failed: tuple[tuple[Path, str], ...] = ()


Done = Callable[[RenderedDocument, Path], None]


def run(
    request: RenderRequest,
    *,
    warn: Callable[[str], None] | None = None,
    start: Callable[[int], None] | None = None,
    done: Done | None = None,
    note: Callable[[str], None] | None = None,
    pdf_start: Callable[[int], None] | None = None,
    pdf_done: Callable[[Path, Path | None], None] | None = None,
) -> RenderRun:
    """Render and write the documents. ``warn`` hears each warning before anything is written,
    ``start`` the number of documents about to be rendered, ``done`` each one written, and
    ``note`` the step to PDF, ``pdf_start`` the number of documents to convert and ``pdf_done``
    each one converted (or not: None); a document that does not convert is reported in
    ``pdf_failed``, the other PDFs are kept. A run that cannot finish writes nothing."""
    from thidua_cli import render as rd
    from thidua_cli.core import documents as docs
    from thidua_cli.core.documents.cluster import CLUSTER_KINDS
    from thidua_cli.core.documents.income_kind import KIND as INCOME_KIND
    from thidua_cli.core.documents.models_kind import KIND as MODELS_KIND
    from thidua_cli.io.awards_io import load_result
    from thidua_cli.regulation import load_regulation

    if request.kind == INCOME_KIND:  # the payment table of thidua income: its own source
        return run_income(request, done=done, note=note)
    if request.kind == MODELS_KIND:  # the yearly report of models: from the ledger's register
        return run_models(request, done=done, note=note)
    if request.kind in CLUSTER_KINDS:
        return _run_cluster(request, start=start, done=done)

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

    kinds = ["giay-khen"] if request.calibrate else docset.kinds_to_write(request.kind)
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

    plan = ({"giay-khen": out_dir / rd.CALIBRATION_FILE} if request.calibrate
            else rd.plan_outputs(kinds, docset, out_dir, user_dir))
    targets = list(plan.values())
    if request.pdf:
        targets += [p.with_suffix(".pdf") for p in plan.values() if p.suffix == ".docx"]
    templates = sorted(p for p in user_dir.iterdir() if p.is_file()) if user_dir else []
    guard(targets, Protected.of([request.source, *([request.rules] if request.rules else [])],
                                templates=templates, ledger=request.ledger),
          force=request.force, other="thư mục khác (-o)")

    if start:
        start(len(kinds))
    if request.calibrate:
        written = [_write_calibration(rd, docset, options, plan["giay-khen"], request.force)]
    else:
        written = rd.write_documents(kinds, docset, out_dir, user_dir=user_dir, settings=settings,
                                     force=request.force, on_done=done)
    pdfs = rd.PdfRun(())
    if request.pdf:
        docx_paths = [path for doc, path in written if doc.template.extension == ".docx"]
        if note:
            note(f"Đang chuyển {len(docx_paths)} văn bản sang PDF bằng LibreOffice…")
        if pdf_start:
            pdf_start(len(docx_paths))
        pdfs = rd.convert_to_pdf(docx_paths, out_dir, force=request.force, soffice=soffice,
                                 on_done=pdf_done)
    return RenderRun(int(docset.context["year"]), tuple(written), pdfs.written, warnings, pdfs.failed)


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
    if request.ballots is not None:
        changes["ballots"] = request.ballots
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


def _soffice(request: RenderRequest) -> str | None:
    """LibreOffice, looked for before anything is read or written when --pdf is asked (a run
    that cannot finish writes nothing); None without --pdf."""
    from thidua_cli import render as rd

    if not request.pdf:
        return None
    soffice = rd.find_soffice()
    if soffice is None:
        raise rd.soffice_missing()
    return soffice


def _render_single(request: RenderRequest, kind: str, context: Mapping[str, Any], *,
                   documents: Any, money: Any, inputs: Sequence[Path], out_dir: Path,
                   file_name: Callable[[str], str], items: int, year: int,
                   ledger: Path | None = None, soffice: str | None = None,
                   done: Done | None = None, note: Callable[[str], None] | None = None,
                   start: Callable[[int], None] | None = None) -> RenderRun:
    """One document of a kind with its own source (income, cluster, models report), written the
    way ``run`` writes the awards documents: the regulation's or --templates folder, the
    sandbox, the output rule (never over an input, the ledger or a template), atomic writing,
    and --pdf through the same conversion. ``file_name`` maps the template's extension to the
    output's name."""
    from thidua_cli import render as rd
    from thidua_cli.io.atomic import make_output_folder, write_atomic
    from thidua_cli.io.outputs import Protected, guard

    user_dir = rd.check_templates_dir(request.templates if request.templates is not None
                                      else _from_rules(documents.templates, request.rules))
    ref = rd.find_template(kind, user_dir)
    path = out_dir / file_name(ref.extension)
    templates = sorted(p for p in user_dir.iterdir() if p.is_file()) if user_dir else []
    pdf_path = path.with_suffix(".pdf") if request.pdf and path.suffix == ".docx" else None
    guard([path, *([pdf_path] if pdf_path else [])],
          Protected.of([*inputs, *([request.rules] if request.rules else [])],
                       templates=templates, ledger=ledger),
          force=request.force, other="thư mục khác (-o)")
    if start:
        start(1)
    settings = rd.RenderSettings(linh=money.linh, nghin=money.nghin,
                                 name_order=documents.name_order)
    data = rd.render_template(ref, context, user_dir=user_dir, settings=settings)
    doc = rd.RenderedDocument(kind, path.name, data, ref, items)
    make_output_folder(out_dir)
    write_atomic(path, data, force=request.force)
    if done:
        done(doc, path)
    pdfs = rd.PdfRun(())
    if pdf_path is not None:
        if note:
            note("Đang chuyển sang PDF bằng LibreOffice…")
        # The same conversion as the other kinds: one call per document, its time limit.
        pdfs = rd.convert_to_pdf([path], out_dir, force=request.force, soffice=soffice)
    return RenderRun(year, ((doc, path),), pdfs.written, pdf_failed=pdfs.failed)


def _run_cluster(request: RenderRequest, *, start: Callable[[int], None] | None,
                 done: Done | None) -> RenderRun:
    """A document of the emulation cluster (issue 18) from ``<year>.khoi.json`` (thidua
    cluster): the minutes of the meeting, or the head unit's Tờ trình to the province."""
    from thidua_cli import render as rd
    from thidua_cli.core import documents as docs
    from thidua_cli.core.documents import cluster as cd
    from thidua_cli.errors import InputFileError, UsageError
    from thidua_cli.io.json_input import parse_json
    from thidua_cli.regulation import load_regulation

    if request.pdf:
        raise UsageError("--pdf chưa dùng được cho văn bản của khối; hãy mở tệp .docx và lưu "
                         "thành PDF.")
    regulation = load_regulation(request.rules)
    options = _apply_request(docs.options_from_settings(regulation.documents, regulation.money),
                             request)
    source = request.source
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"Không đọc được {source}: cần tệp <năm>.khoi.json do thidua "
                             "cluster ghi.") from exc
    hint = "Hãy tạo lại tệp bằng thidua cluster, không sửa tay."
    data = cd.check_cluster_result(parse_json(text, str(source), hint), str(source))
    place = regulation.organisation.place
    context = cd.cluster_context(data, options, place=place,
                                 recipient=f"Hội đồng Thi đua – Khen thưởng tỉnh {place}".strip())
    year = int(context["year"])
    number = options.numbers.get(request.kind)
    return _render_single(
        request, request.kind, cd.cluster_doc(context, request.kind),
        documents=options.documents, money=options.money, inputs=[source],
        out_dir=request.output if request.output is not None else source.parent,
        file_name=lambda ext: rd.output_name(request.kind, number, year, ext),
        items=len(context["votes"]), year=year, done=done, start=start)


def run_income(request: RenderRequest, *, done: Done | None = None,
               note: Callable[[str], None] | None = None) -> RenderRun:
    """``thidua render bang-thanh-toan --from <kỳ>.json``: the payment table of the additional
    income from a ``thidua income --json`` result (core/documents/income_kind.py)."""
    from thidua_cli.core.documents.income_kind import KIND, income_context
    from thidua_cli.io.income_inputs import load_previous
    from thidua_cli.regulation import load_regulation

    soffice = _soffice(request)
    regulation = load_regulation(request.rules)
    data = load_previous(request.source)
    context = income_context(data, regulation.organisation.letterhead(), linh=regulation.money.linh,
                             nghin=regulation.money.nghin, source=f"Tệp {request.source}")
    code = str(context["period_code"])
    return _render_single(
        request, KIND, context, documents=regulation.documents, money=regulation.money,
        inputs=[request.source],
        out_dir=request.output if request.output is not None else request.source.parent,
        file_name=lambda ext: f"{KIND}-{code}{ext}",
        items=sum(len(d["rows"]) for d in context["departments"]), year=int(code[:4] or 0),
        soffice=soffice, done=done, note=note)


def run_models(request: RenderRequest, *, done: Done | None = None,
               note: Callable[[str], None] | None = None) -> RenderRun:
    """``thidua render bao-cao-dien-hinh --ledger SỔ.db --year N``: the yearly report of
    exemplary models and their replication from the ledger's register (issue 17)."""
    from thidua_cli.app.models import list_models
    from thidua_cli.core.documents.models_kind import KIND, models_context
    from thidua_cli.errors import UsageError
    from thidua_cli.regulation import load_regulation

    ledger, year = request.ledger, request.year
    if ledger is None or year is None:
        raise UsageError(f"{KIND} cần --ledger SỔ.db và --year NĂM (sổ có danh sách điển hình: "
                         "thidua initiatives models import).")
    soffice = _soffice(request)
    regulation = load_regulation(request.rules)
    items = list_models(ledger=ledger, year=year)
    context = models_context(items, year, regulation.organisation.letterhead())
    return _render_single(
        request, KIND, context, documents=regulation.documents, money=regulation.money,
        inputs=[], ledger=ledger,
        out_dir=request.output if request.output is not None else ledger.parent,
        file_name=lambda ext: f"{KIND}-{year}{ext}", items=len(items), year=year,
        soffice=soffice, done=done, note=note)


def _write_calibration(rd: Any, docset: Any, options: DocumentOptions, path: Path, force: bool) -> Any:
    """The calibration page of the pre-printed blanks, written like any document."""
    from thidua_cli.io.atomic import make_output_folder, write_atomic

    data = rd.calibration_docx(docset, options.documents.certificates)
    make_output_folder(path.parent)
    write_atomic(path, data, force=force)
    doc = rd.RenderedDocument("giay-khen", path.name, data, rd.find_template("giay-khen"), 1)
    return doc, path
