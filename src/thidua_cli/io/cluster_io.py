"""The files of the emulation cluster (thidua cluster, issue 18): the cluster's workbook (its
scoring table and its members), one self-assessment and cross-check workbook per member, the
vote of the member heads, and the members' awards results for the leaders' share.

Spreadsheets are opened only through ``io.workbook.load_workbook``; header rows are found by
content in the first 30 rows with the reader's accent- and case-blind alias matching
(``io.reader.fields.alias_index``), numbers are read by ``core.numbers.parse_number``. Data
problems are findings of the one catalogue, each naming file, sheet and cell; the app refuses to
rank when any is an error (exit 1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.cluster import (
    BANG_KHEN,
    BONUS,
    CRITERION,
    DEDUCTION,
    FLAG,
    Ballot,
    Item,
    Member,
    MemberSheet,
    Proposed,
)
from thidua_cli.core.numbers import NumberProblem, is_blank, parse_number
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader.cells import plain_text, show_value
from thidua_cli.io.reader.fields import HEADER_SCAN_ROWS, TOTAL_ROW, alias_index
from thidua_cli.issues import make_issue
from thidua_cli.model import Report, column_letter

_ITEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã", "Mã tiêu chí", "Mã TC", "Ký hiệu", "Mã số"),
    "name": ("Tiêu chí", "Tên tiêu chí", "Nội dung", "Nội dung tiêu chí", "Nội dung đánh giá",
             "Nội dung chấm điểm"),
    "group": ("Nhóm", "Nhóm tiêu chí"),
    "max": ("Điểm tối đa", "Tối đa", "Điểm chuẩn", "Thang điểm", "Điểm", "Điểm tối đa (điểm)"),
    "kind": ("Loại", "Loại điểm", "Cộng/Trừ"),
    "self": ("Tự chấm", "Điểm tự chấm", "Đơn vị tự chấm", "Tự đánh giá", "Điểm tự đánh giá"),
    "checked": ("Kiểm tra", "Điểm kiểm tra", "Kiểm tra chéo", "Chấm chéo", "Khối chấm",
                "Điểm khối chấm", "Trưởng khối chấm", "Điểm thẩm định", "Đoàn kiểm tra",
                "Điểm kiểm tra chéo"),
    "evidence": ("Minh chứng", "Cách chấm", "Tài liệu minh chứng", "Ghi chú"),
}
_MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("Đơn vị", "Tên đơn vị", "Đơn vị thành viên", "Bệnh viện"),
    "head": ("Trưởng khối", "Trưởng cụm", "Đơn vị trưởng khối"),
    "staff": ("Số lao động", "Số người lao động", "Quy mô", "Số CBVC", "Số cán bộ"),
    "targets": ("Vượt chỉ tiêu", "Hoàn thành vượt chỉ tiêu", "Vượt kế hoạch"),
    "party": ("Tổ chức Đảng", "Xếp loại tổ chức Đảng", "Đảng bộ", "Chi bộ"),
    "violation": ("Vi phạm nghiêm trọng", "Vi phạm", "Khiếu nại vượt cấp"),
}
_VOTE_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": _MEMBER_COLUMNS["unit"],
    "title": ("Danh hiệu", "Đề nghị", "Hình thức", "Danh hiệu, hình thức", "Biểu quyết"),
    "votes": ("Số phiếu đồng ý", "Phiếu đồng ý", "Số phiếu", "Đồng ý", "Số phiếu tán thành"),
}
_LEVELS = {"self": "tự chấm", "checked": "kiểm tra chéo"}
_YES = {"x", "co", "dat", "1", "true", "yes", "v", "vuot"}
_NO = {"khong", "0", "false", "no", "khongdat", "chuadat"}
_UNIT_LINE = re.compile(r"^\s*(?:tên\s+)?(?:đơn vị|bệnh viện|đơn vị thành viên)\s*[:：]\s*(.+)$",
                        re.IGNORECASE)


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, int]  # field → 1-based column


def _index(columns: Mapping[str, Sequence[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    return alias_index((a, k) for k, names in columns.items() for a in names)


_ITEM_INDEX = _index(_ITEM_COLUMNS)
_MEMBER_INDEX = _index(_MEMBER_COLUMNS)
_VOTE_INDEX = _index(_VOTE_COLUMNS)


def _find_header(sheet: RawSheet, index: tuple[dict[str, Any], dict[str, Any]],
                 required: Sequence[str]) -> _Header | None:
    by_key, by_compact = index
    for r in range(1, min(HEADER_SCAN_ROWS, sheet.max_row) + 1):
        found: dict[str, int] = {}
        for c, value in enumerate(sheet.rows[r - 1], start=1):
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                continue
            k = vntext.key(value)
            kind = by_key.get(k) or by_compact.get(vntext.compact(k))
            if kind and kind not in found:
                found[kind] = c
        if all(f in found for f in required):
            return _Header(r, found)
    return None


def _sheets(raw: RawWorkbook) -> list[RawSheet]:
    return [s for s in raw.sheets if s.kind == "worksheet"]


def _where(file: str, sheet: RawSheet, row: int | None, col: int | None) -> dict[str, Any]:
    return {"file": file, "sheet": sheet.name, "row": row,
            "column": column_letter(col) if col else None}


def _cell_problem(sheet: RawSheet, row: int, col: int) -> str | None:
    """Why a cell holds no usable value: an error value or a formula saved without its value."""
    if (row, col) in sheet.errors:
        return f"là giá trị lỗi {sheet.errors[(row, col)]} của công thức"
    if (row, col) in sheet.formulas_without_value:
        return "là công thức chưa có giá trị đã tính: mở tệp bằng Excel, lưu lại rồi gửi lại"
    return None


def _points(value: Any) -> Decimal | NumberProblem | None:
    if is_blank(value):
        return None
    parsed = parse_number(value)
    if isinstance(parsed, NumberProblem):
        return parsed
    return Decimal(str(parsed.value))


def _reason(problem: NumberProblem) -> str:
    if problem.code == "ambiguous-decimal":
        return "không rõ là số thập phân hay hàng nghìn: ghi 8,5 hoặc 8.5 cho rõ"
    return "không phải là số"


# --------------------------------------------------------------------------------------------
# The cluster's workbook: scoring table and members
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterBook:
    name: str
    items: tuple[Item, ...]
    members: tuple[Member, ...]
    report: Report


def _item_kind(text: str, group: str) -> str:
    """"Điểm cộng"/"Điểm thưởng" (or Loại "Cộng") adds, "Điểm trừ" (or "Trừ") subtracts."""
    k = vntext.compact(text or group)
    if "diemtru" in k or k == "tru" or text.strip() == "-":
        return DEDUCTION
    if "diemcong" in k or "diemthuong" in k or k == "cong" or text.strip() == "+":
        return BONUS
    return CRITERION


def read_cluster_book(path: str | Path, fallback: Sequence[Item] = ()) -> ClusterBook:
    """The scoring table (Mã | Tiêu chí | Nhóm | Điểm tối đa, optional Loại) and the members'
    list (Đơn vị | Trưởng khối | Số lao động | Vượt chỉ tiêu | Tổ chức Đảng | Vi phạm nghiêm
    trọng), each found by its header on any sheet of the cluster's workbook. Without a table in
    the workbook, ``fallback`` (the regulation's ``cluster.items``) is the table."""
    from thidua_cli.io.workbook import load_workbook

    file = str(path)
    raw = load_workbook(path)
    report = Report()
    items: list[Item] = []
    members: list[Member] = []
    name = Path(file).stem
    table = members_sheet = None
    for sheet in _sheets(raw):
        if table is None:
            header = _find_header(sheet, _ITEM_INDEX, ("code", "name", "max"))
            if header is not None:
                table = sheet
                items = _read_items(sheet, header, file, report)
                name = _title_above(sheet, header.row) or name
                continue
        if members_sheet is None:
            header = _find_header(sheet, _MEMBER_INDEX, ("unit",))
            if header is not None and len(header.columns) > 1:
                members_sheet = sheet
                members = _read_members(sheet, header, file, report)
    if table is None and fallback:
        items = list(fallback)
    elif table is None:
        report.add(make_issue("cluster-table-invalid", file=file, detail=(
            "không có sheet nào có dòng tiêu đề Mã | Tiêu chí | Điểm tối đa trong 30 dòng đầu, "
            "và quy chế không khai cluster.items")))
    elif not items and report.valid:
        report.add(make_issue("cluster-table-invalid", file=file, sheet=table.name,
                              detail="không có tiêu chí nào"))
    if members_sheet is None:
        report.add(make_issue("cluster-member-invalid", file=file, detail=(
            "không có sheet nào có dòng tiêu đề Đơn vị | Trưởng khối | Số lao động | Vượt chỉ "
            "tiêu | Tổ chức Đảng | Vi phạm nghiêm trọng")))
    return ClusterBook(name, tuple(items), tuple(members), report)


def _title_above(sheet: RawSheet, header_row: int) -> str | None:
    for r in range(1, header_row):
        for value in sheet.rows[r - 1]:
            text = plain_text(value)
            if any(w in vntext.fold(text) for w in ("khoi thi dua", "cum thi dua")):
                return text
    return None


def _read_items(sheet: RawSheet, header: _Header, file: str, report: Report) -> list[Item]:
    cols = header.columns
    items: list[Item] = []
    seen: dict[str, int] = {}
    group = ""
    for r in range(header.row + 1, sheet.max_row + 1):
        code = plain_text(sheet.value(r, cols["code"]))
        text = plain_text(sheet.value(r, cols["name"]))
        raw_max = sheet.value(r, cols["max"])
        if not code and not text and is_blank(raw_max):
            continue
        if not code:
            if TOTAL_ROW.match(vntext.key(text)):
                break
            group = re.sub(r"^(?:[IVXLC]+|[A-Za-z]|\d+)\s*[.)\-–:]\s*", "", text) or group
            continue
        where = _where(file, sheet, r, cols["max"])
        maximum = _points(raw_max)
        if not isinstance(maximum, Decimal) or maximum <= 0:
            report.add(make_issue("cluster-table-invalid", **where, value=raw_max, detail=(
                f"điểm tối đa của \"{code}\" ({show_value(raw_max) or 'trống'}) phải là một số "
                "lớn hơn 0")))
            continue
        k = vntext.compact(code)
        if k in seen:
            report.add(make_issue("cluster-table-invalid", **_where(file, sheet, r, cols["code"]),
                                  value=code, detail=f"mã \"{code}\" có hai dòng ({seen[k]} và {r})"))
            continue
        seen[k] = r
        grp = plain_text(sheet.value(r, cols["group"])) if "group" in cols else ""
        kind_text = plain_text(sheet.value(r, cols["kind"])) if "kind" in cols else ""
        items.append(Item(code, text, grp or group, maximum, _item_kind(kind_text, grp or group)))
    return items


def _flag(value: Any) -> bool | None:
    if is_blank(value):
        return None
    k = vntext.compact(plain_text(value))
    if k in _YES or k.startswith("htxs") or k.startswith("hoanthanhxuatsac"):
        return True
    if k in _NO or k.startswith(("htt", "htnv", "kht", "hoanthanh", "khong")):
        return False
    return None


def _read_members(sheet: RawSheet, header: _Header, file: str, report: Report) -> list[Member]:
    cols = header.columns
    members: list[Member] = []
    seen: dict[str, int] = {}
    for r in range(header.row + 1, sheet.max_row + 1):
        unit = plain_text(sheet.value(r, cols["unit"]))
        if not unit:
            continue
        if TOTAL_ROW.match(vntext.key(unit)):
            break
        k = vntext.key(unit)
        if k in seen:
            report.add(make_issue("cluster-member-invalid", **_where(file, sheet, r, cols["unit"]),
                                  value=unit, detail=f"\"{unit}\" có hai dòng ({seen[k]} và {r})"))
            continue
        seen[k] = r
        values = {f: sheet.value(r, c) for f, c in cols.items()}
        flags: dict[str, bool | None] = {}
        for f in ("targets", "party", "violation", "head"):
            flags[f] = _flag(values.get(f, ""))
            if f in cols and flags[f] is None and not is_blank(values[f]):
                report.add(make_issue("cluster-member-invalid", **_where(file, sheet, r, cols[f]),
                                      value=values[f], detail=(
                    f"không hiểu \"{plain_text(values[f])}\" ở dòng {r}: ghi Có/Không (hoặc x), "
                    "tổ chức Đảng ghi HTXSNV, HTTNV …")))
        staff = _points(values.get("staff", ""))
        members.append(Member(
            name=unit, is_head=bool(flags["head"]),
            staff=int(staff) if isinstance(staff, Decimal) else None,
            targets_exceeded=flags["targets"], party_htxsnv=flags["party"],
            serious_violation=flags["violation"],
        ))
    if not members:
        report.add(make_issue("cluster-member-invalid", file=file, sheet=sheet.name,
                              detail="không có đơn vị thành viên nào"))
    return members


# --------------------------------------------------------------------------------------------
# One member's self-assessment and cross-check workbook
# --------------------------------------------------------------------------------------------


def read_member_sheet(path: str | Path, items: Sequence[Item], members: Sequence[Member],
                      report: Report) -> MemberSheet | None:
    """The points of one member: the first sheet with a header Mã | Tự chấm (| Kiểm tra); the
    member named in a line "Đơn vị: …" above the header, or by the file's name."""
    from thidua_cli.io.workbook import load_workbook

    file = str(path)
    raw = load_workbook(path)
    for sheet in _sheets(raw):
        header = _find_header(sheet, _ITEM_INDEX, ("code", "self"))
        if header is not None:
            break
    else:
        report.add(make_issue("cluster-table-invalid", file=file, detail=(
            "bảng chấm không có dòng tiêu đề Mã | Tự chấm | Kiểm tra trong 30 dòng đầu của sheet "
            "nào")))
        return None
    member = _which_member(sheet, header.row, Path(file), members)
    if member is None:
        report.add(make_issue("cluster-sheet-unknown-member", **_where(file, sheet, None, None),
                              detail=f"không có dòng \"Đơn vị: …\" trên dòng tiêu đề {header.row} "
                                     "và tên tệp không trùng tên đơn vị nào"))
        return None
    before = len(report.errors)
    own, checked = _read_points(sheet, header, file, items, report)
    if len(report.errors) > before:
        return None
    return MemberSheet(member.name, file, own, checked)


def _which_member(sheet: RawSheet, header_row: int, path: Path,
                  members: Sequence[Member]) -> Member | None:
    by_key = {vntext.key(m.name): m for m in members}
    for r in range(1, header_row):
        for value in sheet.rows[r - 1]:
            text = plain_text(value)
            m = _UNIT_LINE.match(text)
            named = by_key.get(vntext.key(m.group(1))) if m else by_key.get(vntext.key(text))
            if named is not None:
                return named
    stem = vntext.compact(path.stem)
    return next((x for x in members if vntext.compact(x.name) == stem), None)


def _read_points(sheet: RawSheet, header: _Header, file: str, items: Sequence[Item],
                 report: Report) -> tuple[dict[str, Decimal | None], dict[str, Decimal | None]]:
    cols = header.columns
    by_code = {vntext.compact(i.code): i for i in items}
    own: dict[str, Decimal | None] = {}
    checked: dict[str, Decimal | None] = {}
    rows: dict[str, int] = {}
    for r in range(header.row + 1, sheet.max_row + 1):
        code = plain_text(sheet.value(r, cols["code"]))
        text = plain_text(sheet.value(r, cols["name"])) if "name" in cols else ""
        if not code:
            if TOTAL_ROW.match(vntext.key(text)):
                break
            continue
        item = by_code.get(vntext.compact(code))
        if item is None:
            close = vntext.suggest(code, [i.code for i in items])
            report.add(make_issue("cluster-item-unknown", **_where(file, sheet, r, cols["code"]),
                                  value=code, suggestion=f" Có phải \"{close}\"?" if close else ""))
            continue
        if item.code in rows:
            report.add(make_issue("cluster-item-twice", **_where(file, sheet, r, cols["code"]),
                                  value=item.code, first=rows[item.code], second=r))
            continue
        rows[item.code] = r
        for level, store in (("self", own), ("checked", checked)):
            if level not in cols:
                store[item.code] = None
                continue
            store[item.code] = _one_score(sheet, r, cols[level], item, level, file, report)
        if own[item.code] is not None and checked[item.code] is None and "checked" in cols:
            report.add(make_issue("cluster-check-missing",
                                  **_where(file, sheet, r, cols["checked"]), item=item.code,
                                  value=show_value(float(own[item.code] or 0))))
    for item in items:
        if item.code not in rows:
            report.add(make_issue("cluster-item-missing", **_where(file, sheet, None, cols["code"]),
                                  value=item.code, name=item.name))
    return own, checked


def _one_score(sheet: RawSheet, r: int, c: int, item: Item, level: str, file: str,
               report: Report) -> Decimal | None:
    raw = sheet.value(r, c)
    bad = _cell_problem(sheet, r, c)
    points = None if bad else _points(raw)
    if bad is None and isinstance(points, NumberProblem):
        bad = _reason(points)
    elif isinstance(points, Decimal) and not 0 <= points <= item.max_points:
        bad = f"phải từ 0 đến {show_value(float(item.max_points))} (điểm tối đa)"
    if bad:
        report.add(make_issue("cluster-points-invalid", **_where(file, sheet, r, c), value=raw,
                              item=item.code, level=_LEVELS[level], reason=bad))
        return None
    return points if isinstance(points, Decimal) else None


# --------------------------------------------------------------------------------------------
# The vote of the member heads, and the members' proposals
# --------------------------------------------------------------------------------------------


def read_ballot(path: str | Path, members: Sequence[Member]) -> tuple[Ballot, Report]:
    """Rows Đơn vị | Danh hiệu (Cờ thi đua / Bằng khen) | Số phiếu đồng ý; the number of member
    heads from a line "Tổng số thành viên: 9" above the table, else the members' count."""
    from thidua_cli.io.awards_io import members_above
    from thidua_cli.io.workbook import load_workbook

    file = str(path)
    raw = load_workbook(path)
    report = Report()
    by_key = {vntext.key(m.name): m.name for m in members}
    for sheet in _sheets(raw):
        header = _find_header(sheet, _VOTE_INDEX, ("unit", "title", "votes"))
        if header is not None:
            break
    else:
        report.add(make_issue("cluster-vote-invalid", file=file, detail=(
            "không có bảng với các cột Đơn vị | Danh hiệu | Số phiếu đồng ý")))
        return Ballot(len(members), source=file), report
    total = members_above(sheet, header.row) or len(members)
    cols = header.columns
    votes: dict[str, dict[str, int]] = {FLAG: {}, BANG_KHEN: {}}
    for r in range(header.row + 1, sheet.max_row + 1):
        unit = plain_text(sheet.value(r, cols["unit"]))
        title = vntext.compact(plain_text(sheet.value(r, cols["title"])))
        if not unit and not title:
            continue
        if TOTAL_ROW.match(vntext.key(unit)):
            break
        name = by_key.get(vntext.key(unit))
        code = FLAG if title.startswith("co") else BANG_KHEN if "bangkhen" in title else None
        count = _points(sheet.value(r, cols["votes"]))
        problem = None
        if name is None:
            close = vntext.suggest(unit, list(by_key.values()))
            problem = (cols["unit"], f"\"{unit}\" (dòng {r}) không có trong danh sách thành viên"
                       + (f"; có phải \"{close}\"?" if close else ""))
        elif code is None:
            problem = (cols["title"], f"dòng {r}: danh hiệu phải là \"Cờ thi đua\" hoặc \"Bằng khen\"")
        elif not isinstance(count, Decimal) or count != int(count) or not 0 <= count <= total:
            problem = (cols["votes"], f"dòng {r}: số phiếu đồng ý phải là số nguyên từ 0 đến {total} "
                                      "(tổng số thành viên)")
        elif name in votes[code]:
            problem = (cols["unit"], f"\"{unit}\" có hai dòng biểu quyết {plain_text(sheet.value(r, cols['title']))}")
        if problem is not None:
            report.add(make_issue("cluster-vote-invalid", **_where(file, sheet, r, problem[0]),
                                  value=sheet.value(r, problem[0]), detail=problem[1]))
            continue
        assert name is not None and code is not None and isinstance(count, Decimal)
        votes[code][name] = int(count)
    return Ballot(total, votes[FLAG], votes[BANG_KHEN], file), report


def read_proposals(paths: Sequence[Path], members: Sequence[Member]
                   ) -> tuple[list[Proposed], Report]:
    """The individuals each member proposes (its ``.de-xuat.json`` through the awards result
    loader); the member is the result's organisation name. Rejected entries do not count."""
    from thidua_cli.io.awards_io import load_result

    report = Report()
    by_key = {vntext.key(m.name): m.name for m in members}
    proposed: list[Proposed] = []
    for path in paths:
        outcome = load_result(path)
        organisation = str(outcome.organisation.get("name", ""))
        member = by_key.get(vntext.key(organisation))
        if member is None:
            close = vntext.suggest(organisation, list(by_key.values()))
            report.add(make_issue("cluster-proposal-unknown", file=str(path), value=str(path),
                                  organisation=organisation,
                                  suggestion=f" Có phải \"{close}\"? Hãy sửa organisation.name "
                                             "trong quy chế của đơn vị." if close else ""))
            continue
        for a in outcome.awards:
            if a.kind == "individual" and a.status != "rejected":
                proposed.append(Proposed(member, a.name, a.title, a.title_label, a.is_manager,
                                         a.staff_id or ""))
    return proposed, report
