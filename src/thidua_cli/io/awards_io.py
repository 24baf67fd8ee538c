"""Files around the awards stage: the council's tally sheet (--votes), past decision lists for
the ledger (``thidua ledger import``), the awards result (JSON or the hidden sheet of the
proposal workbook) and its conversion into ledger records, and the ledger export workbook.

Spreadsheets are opened only through ``io.workbook.load_workbook``; headers are found by content
(first 30 rows) with the same accent- and case-blind matching as the score reader. Data problems
are findings (``Issue``) collected in a ``Report``; the caller refuses to go on when there are
errors (exit 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.awards_model import ANYONE, Tally, Votes
from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.numbers import ParsedNumber, is_blank, parse_number
from thidua_cli.core.rulesets import (
    COLLECTIVE,
    COLLECTIVE_ONLY,
    INDIVIDUAL,
    INDIVIDUAL_ONLY,
    RULESET_2025_07,
    parse_rating,
    parse_title,
)
from thidua_cli.errors import InputFileError, InvalidDataError, LedgerError, UsageError
from thidua_cli.io.awards_xlsx import RESULT_SHEET
from thidua_cli.io.ledger import AwardRecord, Batch, DecisionRecord, RatingRecord
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.issues import make_issue
from thidua_cli.model import Report, column_letter

_EVERYONE = {"*", "tatca", "toanbo", "all"}


# --------------------------------------------------------------------------------------------
# Finding a header row
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    row: int  # Excel row of the header
    columns: dict[str, int]  # field → 1-based column


def _find_header(sheet: RawSheet, aliases: Mapping[str, Sequence[str]],
                 required: Sequence[str]) -> _Header | None:
    wanted = {f: {vntext.compact(a) for a in names} for f, names in aliases.items()}
    best: _Header | None = None
    for r in range(1, min(sheet.max_row, 30) + 1):
        row = sheet.rows[r - 1]
        found: dict[str, int] = {}
        for c, value in enumerate(row, start=1):
            if not isinstance(value, str):
                continue
            k = vntext.compact(value)
            for f, keys in wanted.items():
                if k in keys and f not in found:
                    found[f] = c
                    break
        if all(f in found for f in required) and (best is None or len(found) > len(best.columns)):
            best = _Header(r, found)
    return best


def _cell(sheet: RawSheet, row: int, col: int | None) -> Any:
    return sheet.value(row, col) if col else ""


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return vntext.clean(value)


def _int(value: Any) -> int | None:
    if is_blank(value):
        return 0
    parsed = parse_number(value)
    if isinstance(parsed, ParsedNumber) and parsed.value == int(parsed.value) and parsed.value >= 0:
        return int(parsed.value)
    return None


def _where(path: str, sheet: RawSheet, row: int, col: int | None) -> dict[str, Any]:
    return {"file": path, "sheet": sheet.name, "row": row,
            "column": column_letter(col) if col else None}


# --------------------------------------------------------------------------------------------
# The tally sheet (--votes)
# --------------------------------------------------------------------------------------------

VOTE_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_id": ("Mã NV", "Mã nhân viên", "Mã số", "MSNV", "Mã CB", "Mã cán bộ"),
    "name": ("Họ và tên", "Họ tên", "Tên", "Họ tên / Tập thể", "Cá nhân, tập thể", "Tên tập thể"),
    "department": ("Khoa/Phòng", "Khoa phòng", "Đơn vị", "Khoa", "Phòng", "Tập thể"),
    "title": ("Danh hiệu", "Đề nghị", "Danh hiệu đề nghị", "Hình thức", "Danh hiệu, hình thức"),
    "votes": ("Số phiếu đồng ý", "Phiếu đồng ý", "Số phiếu", "Đồng ý", "Số phiếu tán thành"),
    "members": ("Số thành viên", "Tổng số thành viên", "Số thành viên Hội đồng",
                "Tổng số thành viên Hội đồng"),
}


def read_votes(path: str | Path, *, members_setting: int = 0,
               members_option: int | None = None) -> tuple[Votes, Report]:
    """Read the council's tally sheet. Each row: a candidate (staff ID, or a department for a
    collective), a title (name or code; "HTXSNV" for people tied at the cap) and the votes for.
    The council's size comes from --council-size, else a "Số thành viên" column or a line
    "Tổng số thành viên Hội đồng: 9" above the table, else ``council.members``."""
    from thidua_cli.io.workbook import load_workbook

    shown = str(path)
    raw = load_workbook(path)
    report = Report()
    sheet, header = _first_table(raw, VOTE_ALIASES, ("title", "votes"))
    if sheet is None or header is None:
        raise InvalidDataError(
            f"Tệp phiếu bầu {shown} không có bảng với các cột \"Danh hiệu\" và \"Số phiếu đồng ý\" "
            "(cùng \"Mã NV\" hoặc \"Khoa/Phòng\"). Hãy thêm dòng tiêu đề có các cột đó.",
            report,
        )
    cols = header.columns
    size_from_sheet = _members_above(sheet, header.row)
    rows: list[tuple[int, dict[str, Any]]] = []
    for r in range(header.row + 1, sheet.max_row + 1):
        values = {f: _cell(sheet, r, c) for f, c in cols.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        first = _text(values.get("name", "")) or _text(values.get("staff_id", ""))
        if vntext.compact(first).startswith(("tongcong", "cong")):
            break
        rows.append((r, values))
        if "members" in cols and size_from_sheet is None:
            m = _int(values["members"])
            if m:
                size_from_sheet = m
    members = members_option or size_from_sheet or members_setting
    if not members:
        raise UsageError(
            f"Chưa biết số thành viên Hội đồng để tính tỷ lệ phiếu: hãy ghi \"Tổng số thành viên Hội "
            f"đồng: 9\" phía trên bảng trong {shown}, hoặc thêm cột \"Số thành viên\", hoặc dùng "
            "--council-size 9, hoặc đặt council.members trong quy chế."
        )
    ballots = _ballots_above(sheet, header.row, shown, members, report)
    tallies: dict[tuple[str, str, str], Tally] = {}
    first_row: dict[tuple[str, str, str], int] = {}
    titles = [t.label for t in RULESET_2025_07.titles]
    for r, values in rows:
        title_text = _text(values.get("title", ""))
        code = parse_title(title_text, allow_rating=True)
        if code is None:
            close = vntext.suggest(title_text, titles)
            report.add(make_issue("vote-unknown-title", **_where(shown, sheet, r, cols["title"]),
                                  value=title_text,
                                  suggestion=f" Có phải \"{close}\"." if close else ""))
            continue
        # A blank count is a tally not filled in, never 0 votes (that would reject silently).
        votes = None if is_blank(values.get("votes")) else _int(values.get("votes"))
        if votes is None or votes > members:
            report.add(make_issue("vote-invalid-count", **_where(shown, sheet, r, cols["votes"]),
                                  value=_text(values.get("votes")), members=members))
            continue
        staff_id = _text(values.get("staff_id", ""))
        department = _text(values.get("department", ""))
        name = _text(values.get("name", ""))
        if code in COLLECTIVE_ONLY or (not staff_id and code not in INDIVIDUAL_ONLY
                                       and code != "HTXSNV"):
            kind = COLLECTIVE
            label = department or name
            k = ANYONE if vntext.compact(label) in _EVERYONE else vntext.key(label)
        else:
            kind = INDIVIDUAL
            label = name
            k = ANYONE if vntext.compact(staff_id) in _EVERYONE else staff_id
        if not k:
            report.add(make_issue("vote-missing-recipient", **_where(shown, sheet, r, None)))
            continue
        slot = (kind, k, code)
        if slot in tallies:
            report.add(make_issue("vote-duplicate", **_where(shown, sheet, r, None),
                                  value=label or k, title=title_text, first=first_row[slot],
                                  second=r))
            continue
        first_row[slot] = r
        tallies[slot] = Tally(kind=kind, key=k, title=code, votes_for=votes, name=label, row=r)
    return Votes(members=members, tallies=tallies, source=shown, ballots=ballots), report


# The ballot counts above the table, by the words of their label (compacted: no accents, no
# spaces): "Số phiếu phát ra: 9", "Số phiếu thu vào (thu về): 9", "Số phiếu hợp lệ: 8"; "không
# hợp lệ" is checked against thu vào − hợp lệ when written.
_BALLOT_LABELS = (("invalid", ("khonghople",)), ("issued", ("phatra",)),
                  ("returned", ("thuvao", "thuve")), ("valid", ("hople",)))
_BALLOT_WORDS = {"issued": "phát ra", "returned": "thu vào", "valid": "hợp lệ",
                 "invalid": "không hợp lệ"}


def _ballots_above(sheet: RawSheet, header_row: int, shown: str, members: int,
                   report: Report) -> tuple[int, int, int] | None:
    """The secret ballot's ballots issued, returned and valid, when the lines above the table
    state them (a label and its number in one cell, or the number in the next cell); checked:
    valid ≤ returned ≤ issued ≤ the council's members. Any problem is a finding at its cell and
    no counts are taken (the Biên bản then leaves them to fill in by hand)."""
    found: dict[str, tuple[int | None, int, int]] = {}  # field → (number, row, column)
    for r in range(1, header_row):
        row = sheet.rows[r - 1]
        for c, value in enumerate(row, start=1):
            if not isinstance(value, str):
                continue
            label, _, rest = value.partition(":")
            words = vntext.compact(label)
            if "phieu" not in words:
                continue
            which = next((f for f, keys in _BALLOT_LABELS if any(k in words for k in keys)), None)
            if which is None or which in found:
                continue
            text = rest.strip()
            if not text:  # the number in the next filled cell
                text = next((v for v in row[c:] if not is_blank(v)), "")
            if isinstance(text, str):
                text = vntext.clean(text).removesuffix("phiếu").strip()
            number = None if is_blank(text) else _int(text)
            found[which] = (number, r, c)

    problems: list[tuple[str, str]] = []

    def bad(field: str, detail: str) -> None:
        _, r, c = found[field]
        report.add(make_issue("vote-ballots-invalid", **_where(shown, sheet, r, c), detail=detail))

    if not found:
        return None
    for field, (number, _, _) in found.items():
        if number is None:
            problems.append((field, f"Số phiếu {_BALLOT_WORDS[field]} không phải số nguyên không âm."))
    missing = [_BALLOT_WORDS[f] for f in ("issued", "returned", "valid") if f not in found]
    if missing:
        problems.append((next(iter(found)), f"Thiếu số phiếu {', '.join(missing)}."))
    if problems:
        for field, detail in problems:
            bad(field, detail)
        return None
    issued, returned, valid = (found[f][0] or 0 for f in ("issued", "returned", "valid"))
    if returned > issued:
        problems.append(("returned", f"Số phiếu thu vào ({returned}) nhiều hơn số phát ra ({issued})."))
    if valid > returned:
        problems.append(("valid", f"Số phiếu hợp lệ ({valid}) nhiều hơn số thu vào ({returned})."))
    if issued > members:
        problems.append(("issued", f"Số phiếu phát ra ({issued}) nhiều hơn số thành viên Hội đồng "
                                   f"({members})."))
    if "invalid" in found and found["invalid"][0] != returned - valid:
        problems.append(("invalid", f"Số phiếu không hợp lệ ({found['invalid'][0]}) khác thu vào − "
                                    f"hợp lệ ({returned} − {valid} = {returned - valid})."))
    for field, detail in problems:
        bad(field, detail)
    return None if problems else (issued, returned, valid)


def _members_above(sheet: RawSheet, header_row: int) -> int | None:
    """A council size written above the table: "Tổng số thành viên Hội đồng: 9" in one cell,
    or the label in one cell and the number in the next."""
    import re

    for r in range(1, header_row):
        row = sheet.rows[r - 1]
        for c, value in enumerate(row):
            if not isinstance(value, str) or "thanhvien" not in vntext.compact(value):
                continue
            m = re.search(r"(\d+)", value)
            if m:
                return int(m.group(1))
            for nxt in row[c + 1:]:
                n = _int(nxt)
                if n:
                    return n
    return None


members_above = _members_above  # the cluster's ballot reads its size the same way


def _first_table(raw: RawWorkbook, aliases: Mapping[str, Sequence[str]],
                 required: Sequence[str]) -> tuple[RawSheet | None, _Header | None]:
    for sheet in raw.sheets:
        if sheet.kind != "worksheet" or sheet.name == RESULT_SHEET:
            continue
        header = _find_header(sheet, aliases, required)
        if header is not None:
            return sheet, header
    return None, None


# --------------------------------------------------------------------------------------------
# Past decision lists (thidua ledger import)
# --------------------------------------------------------------------------------------------

LEDGER_ALIASES: dict[str, tuple[str, ...]] = {
    "year": ("Năm", "Năm thi đua", "Năm xét"),
    "number": ("Số quyết định", "Số QĐ", "Quyết định số", "Quyết định", "Số văn bản"),
    "signed_on": ("Ngày quyết định", "Ngày ký", "Ngày QĐ", "Ngày ban hành", "Ngày ký quyết định"),
    "staff_id": VOTE_ALIASES["staff_id"],
    "name": ("Họ và tên", "Họ tên", "Tên tập thể", "Cá nhân, tập thể"),
    "department": (*VOTE_ALIASES["department"][:-1], "Khoa/Phòng (tập thể)"),
    "title": ("Danh hiệu", "Hình thức khen thưởng", "Danh hiệu, hình thức", "Danh hiệu/Hình thức",
              "Khen thưởng"),
    "rating": ("Xếp loại", "Xếp loại năm", "Xếp loại chất lượng"),
    "initiatives": ("Sáng kiến", "Số sáng kiến", "Sáng kiến, đề tài"),
    "used": ("Sáng kiến đã dùng", "Sáng kiến đã sử dụng", "Đã dùng"),
    "coefficient": ("Hệ số",),
    "amount": ("Số tiền", "Tiền thưởng", "Số tiền (đồng)"),
}


@dataclass(frozen=True)
class LedgerImport:
    batches: tuple[Batch, ...]
    ratings: tuple[RatingRecord, ...]
    report: Report
    rows: int


def read_ledger_workbook(path: str | Path, *, recorded_at: str) -> LedgerImport:
    """Past decisions from an Excel list: one row per award (and/or a year rating). Columns:
    Năm, Số quyết định, Ngày quyết định, Mã NV, Họ và tên, Khoa/Phòng, Danh hiệu, Xếp loại,
    Sáng kiến, Sáng kiến đã dùng. A row without "Mã NV" is a collective (the department)."""
    from thidua_cli.io.workbook import load_workbook

    shown = str(path)
    raw = load_workbook(path)
    report = Report()
    decisions: dict[tuple[str, int], DecisionRecord] = {}
    awards: dict[tuple[str, int], list[AwardRecord]] = {}
    ratings: dict[tuple[str, int], RatingRecord] = {}
    rating_rows: dict[tuple[str, int], int] = {}  # where each person's year rating was first read
    rows_read = 0
    tables = 0
    from thidua_cli.io.ledger import decision_key

    for sheet in raw.sheets:
        if sheet.kind != "worksheet":
            continue
        header = _find_header(sheet, LEDGER_ALIASES, ("year",))
        if header is None or not ({"staff_id", "name"} & header.columns.keys()):
            continue
        if "title" not in header.columns and "rating" not in header.columns:
            continue
        tables += 1
        cols = header.columns
        for r in range(header.row + 1, sheet.max_row + 1):
            v = {f: _cell(sheet, r, c) for f, c in cols.items()}
            if all(is_blank(x) for x in v.values()):
                continue
            rows_read += 1

            def here(f: str, sheet: RawSheet = sheet, r: int = r,
                     cols: dict[str, int] = cols) -> dict[str, Any]:
                return _where(shown, sheet, r, cols.get(f))

            year = _int(v.get("year"))
            if not year or not 1990 <= year <= 2100:
                report.add(make_issue("ledger-invalid-year", **here("year"), value=_text(v.get("year"))))
                continue
            staff_id = _text(v.get("staff_id", ""))
            name = _text(v.get("name", ""))
            department = _text(v.get("department", ""))
            if not staff_id and not (name or department):
                report.add(make_issue("ledger-missing-recipient", **here("name")))
                continue
            title_text = _text(v.get("title", ""))
            rating_text = _text(v.get("rating", ""))
            initiatives = _int(v.get("initiatives"))
            used = _int(v.get("used"))
            if initiatives is None or used is None:
                bad = "initiatives" if initiatives is None else "used"
                report.add(make_issue("not-a-number", **here(bad), header=LEDGER_ALIASES[bad][0],
                                      value=_text(v.get(bad))))
                continue
            if rating_text and staff_id:
                code = parse_rating(rating_text)
                if code is None:
                    report.add(make_issue("ledger-unknown-rating", **here("rating"), value=rating_text))
                else:
                    k = (staff_id, year)
                    old = ratings.get(k)
                    if old is not None and old.rating and old.rating != code:
                        report.add(make_issue("ledger-rating-conflict", **here("rating"), value=code,
                                              year=year, name=name or old.name, staff_id=staff_id,
                                              first=old.rating, first_row=rating_rows[k]))
                    ratings[k] = RatingRecord(staff_id, year, code, name, department,
                                              initiatives, used)
                    rating_rows.setdefault(k, r)
            elif staff_id and (initiatives or used):
                k = (staff_id, year)
                if k not in ratings:
                    ratings[k] = RatingRecord(staff_id, year, "", name, department, initiatives, used)
            if not title_text:
                continue
            code = parse_title(title_text)
            if code is None:
                labels = [t.label for t in RULESET_2025_07.titles]
                close = vntext.suggest(title_text, labels)
                report.add(make_issue("ledger-unknown-title", **here("title"), value=title_text,
                                      suggestion=f" Có phải \"{close}\"." if close else ""))
            number = _text(v.get("number", ""))
            signed = _date(v.get("signed_on"))
            missing = [w for w, ok in (("số quyết định", bool(number)),
                                       ("ngày ký hợp lệ", signed is not None)) if not ok]
            if missing:
                report.add(make_issue("ledger-missing-decision", **here("number"),
                                      value=" và ".join(missing)))
                continue
            assert signed is not None
            dk = (decision_key(number), signed.year)
            if dk in decisions and decisions[dk].signed_on != signed:
                report.add(make_issue("ledger-decision-conflict", **here("signed_on"), value=number,
                                      first=f"{decisions[dk].signed_on:%d/%m/%Y}",
                                      second=f"{signed:%d/%m/%Y}"))
                continue
            decisions.setdefault(dk, DecisionRecord(
                number=number, signed_on=signed, year=year, origin="import", source=shown,
                source_sha256=raw.sha256, recorded_at=recorded_at))
            if code is None:
                continue
            collective = not staff_id or code in COLLECTIVE_ONLY
            kind = COLLECTIVE if collective else INDIVIDUAL
            spec = RULESET_2025_07.title(code, kind) if RULESET_2025_07.has_title(code, kind) else None
            if spec is None:
                report.add(make_issue("ledger-unknown-title", **here("title"), value=title_text,
                                      suggestion=" Danh hiệu này không dành cho "
                                      + ("tập thể." if collective else "cá nhân.")))
                continue
            awards.setdefault(dk, []).append(AwardRecord(
                year=year,
                kind=kind,
                staff_id=None if collective else staff_id,
                name=(department or name) if collective else name,
                department=department,
                title=code,
                title_label=spec.label,
                category=spec.category,
                level=spec.level,
                coefficient=_text(v.get("coefficient", "")) or None,
                amount=_int(v.get("amount")) or None,
            ))
    if tables == 0:
        raise InvalidDataError(
            f"Tệp {shown} không có bảng danh sách khen thưởng: cần dòng tiêu đề có ít nhất các cột "
            "\"Năm\", \"Mã NV\" hoặc \"Họ và tên\", và \"Danh hiệu\" (hoặc \"Xếp loại\").",
            report,
        )
    batches = tuple(Batch(decisions[k], tuple(awards.get(k, ()))) for k in
                    sorted(decisions, key=lambda k: (decisions[k].signed_on, k)))
    return LedgerImport(batches, tuple(ratings.values()), report, rows_read)


def _date(value: Any) -> date | None:
    """A decision date as the score reader reads a date cell (a date, a serial number shown as
    General, "20/12/2024", "2024-12-20"); None when it is not one."""
    from thidua_cli.io.reader import parse_date

    return parse_date(value)[0]


# --------------------------------------------------------------------------------------------
# The awards result, and what of it the ledger keeps
# --------------------------------------------------------------------------------------------


def load_result(path: str | Path) -> AwardsOutcome:
    """The awards result from ``X.de-xuat.json`` or from the hidden sheet "_thidua_json" of
    ``X.de-xuat.xlsx`` (chunks of ≤ 32,000 characters in column A). Which of the two a file is
    comes from its content, not its name (a zip is the workbook; anything else is JSON text,
    with or without a UTF-8 BOM). Raises :class:`InputFileError` (exit 4) when the file cannot
    be read or is not a ``thidua.awards/2`` (or /1) result."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError(
            f"Không tìm thấy tệp kết quả xét danh hiệu {p}. Hãy chạy thidua awards trước; lệnh "
            "đó ghi tệp <tên>.de-xuat.json và <tên>.de-xuat.xlsx."
        )
    try:
        with p.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputFileError(f"Không đọc được {p}: {exc.strerror or exc}.") from exc
    if head.startswith(b"PK"):
        text = _json_from_workbook(p)
    else:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"{p} không phải tệp JSON (UTF-8) hay bảng tính .xlsx của thidua awards."
            ) from exc
        except OSError as exc:
            raise InputFileError(f"Không đọc được {p}: {exc.strerror or exc}.") from exc
    from thidua_cli.io.json_input import parse_json

    data = parse_json(text, str(p), "Hãy tạo lại tệp bằng thidua awards, không sửa tay.")
    return AwardsOutcome.from_json(data, str(p))


def _json_from_workbook(path: Path) -> str:
    from thidua_cli.io.workbook import load_workbook

    raw = load_workbook(path)
    sheet = next((s for s in raw.sheets if s.name == RESULT_SHEET), None)
    if sheet is None:
        raise InputFileError(
            f"Bảng tính {path} không có sheet ẩn \"{RESULT_SHEET}\": đây không phải tệp đề xuất do "
            "thidua awards tạo ra (hoặc sheet đã bị xoá). Hãy dùng tệp .de-xuat.json."
        )
    chunks = (sheet.value(r, 1) for r in range(1, sheet.max_row + 1))
    return "".join(str(c) for c in chunks if c is not None)


def result_records(
    result: AwardsOutcome, *, number: str, signed_on: date, source: str, sha256: str,
    recorded_at: str, include_proposed: bool,
) -> tuple[Batch, tuple[RatingRecord, ...], list[str]]:
    """The decision's awards (only what the council decided at the hospital's level) and the
    year ratings, for ``thidua ledger record``. Returns notes on what was left out."""
    year = result.year
    wanted = {"approved"} | ({"proposed"} if include_proposed else set())
    if not result.council.votes_given and not include_proposed:
        raise LedgerError(
            "Kết quả này chưa có phiếu bầu của Hội đồng (thidua awards chạy không có --votes): chưa "
            "có gì được quyết định để ghi sổ. Hãy chạy lại thidua awards với --votes, hoặc dùng "
            "--proposed nếu Hội đồng đã thông qua toàn bộ danh sách đề nghị."
        )
    notes: list[str] = []
    records: list[AwardRecord] = []
    skipped_higher = 0
    skipped_status: dict[str, int] = {}
    for a in result.awards:
        if a.level != "hospital":
            skipped_higher += 1
            continue
        if a.status not in wanted:
            skipped_status[a.status] = skipped_status.get(a.status, 0) + 1
            continue
        records.append(AwardRecord(
            year=year,
            kind=a.kind,
            staff_id=a.staff_id if a.kind == INDIVIDUAL else None,
            name=a.name,
            department=a.department,
            title=a.title,
            title_label=a.title_label,
            category=a.category,
            level=a.level,
            coefficient=a.coefficient or None,
            amount=a.amount if a.paid else 0,
            initiatives_used=a.initiatives_used,
        ))
    if skipped_higher:
        notes.append(f"{skipped_higher} đề nghị khen thưởng cấp trên không ghi (cấp trên quyết "
                     "định; nhập quyết định của cấp trên bằng thidua ledger import khi có).")
    labels = {"pending_council": "chờ Hội đồng xét", "rejected": "không đạt phiếu",
              "proposed": "chưa có phiếu bầu"}
    for status, n in sorted(skipped_status.items()):
        notes.append(f"{n} khen thưởng {labels.get(status, status)} không ghi.")
    ratings = []
    for r in result.ratings:
        if r.rating in (None, "", "PENDING_COUNCIL"):
            if r.rating == "PENDING_COUNCIL":
                notes.append(f"Xếp loại của {r.name} ({r.staff_id}) đang chờ Hội đồng "
                             "xét: chưa ghi.")
            continue
        ratings.append(RatingRecord(
            staff_id=r.staff_id, year=year, rating=r.rating, name=r.name,
            department=r.department, initiatives=r.initiatives + r.research, used=0,
        ))
    decision = DecisionRecord(number=number, signed_on=signed_on, year=year, origin="record",
                              source=source, source_sha256=sha256, recorded_at=recorded_at)
    return Batch(decision, tuple(records)), tuple(ratings), notes
