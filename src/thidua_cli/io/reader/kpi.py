"""The KPI workbook (thidua kpi, thidua score --kpi): one row per indicator and owner, at any of
the four levels, read as tolerantly as the score sheets (issue 15).

- The header row is found among the first 30 rows of each sheet (title rows above it, merged or
  not, are skipped); a header cell left blank under a vertically merged title takes the title's
  text. Headers are matched accent- and case-blind; a unit in brackets ("Chỉ tiêu (%)") is the
  column's unit.
- Percentages may be typed 95, 0,95 or "95%": a text with "%" is in percent points; bare numbers
  of a row that are all at most 1 are fractions (what an Excel cell formatted as 95 % holds);
  a bare fraction beside a value above 1 is ambiguous and refused with its cell.
- Every problem is a finding of the one catalogue naming file, sheet and cell; reading never
  raises for data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.kpi import Direction, Indicator, Kind, Level
from thidua_cli.core.numbers import ParsedNumber, is_blank, parse_number
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader.cells import show_value, staff_id_text
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue, Report, SourceRow, column_letter

HEADER_ROWS = 30

# Field → accepted headers (compared compact: accent-blind, no spaces or punctuation).
_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("Mã chỉ số", "Mã KPI", "Mã", "Mã chỉ tiêu", "Mã tiêu chí", "Code"),
    "name": ("Tên chỉ số", "Chỉ số", "Tên chỉ tiêu", "Tên KPI", "Nội dung", "Tên tiêu chí",
             "Chỉ số KPI"),
    "level": ("Cấp", "Cấp KPI", "Cấp độ", "Cấp chỉ số"),
    "department": ("Khoa/Phòng", "Khoa phòng", "Đơn vị", "Khoa", "Phòng", "Đơn vị thực hiện"),
    "staff_id": ("Mã NV", "Mã nhân viên", "Mã cán bộ", "Mã CB", "Mã số NV"),
    "staff_name": ("Họ và tên", "Họ tên", "Người thực hiện"),
    "unit": ("Đơn vị tính", "ĐVT"),
    "kind": ("Loại", "Loại chỉ số"),
    "direction": ("Chiều", "Hướng", "Xu hướng", "Chiều đánh giá", "Chiều tốt"),
    "target": ("Chỉ tiêu", "Mục tiêu", "Kế hoạch", "Target"),
    "actual": ("Thực hiện", "Kết quả", "Thực tế", "Kết quả thực hiện", "Actual"),
    "weight": ("Trọng số", "Tỷ trọng", "Tỉ trọng"),
    "threshold": ("Ngưỡng", "Ngưỡng tối thiểu", "Ngưỡng đạt", "Ngưỡng tính điểm"),
    "band_low": ("Cận dưới", "Từ", "Giới hạn dưới"),
    "band_high": ("Cận trên", "Đến", "Giới hạn trên"),
    "source": ("Nguồn", "Nguồn số liệu", "Nguồn dữ liệu"),
    "parent": ("Chỉ số cha", "Phân bổ từ", "Thuộc chỉ số", "Mã chỉ số cha", "Chỉ số cấp trên"),
}
_IGNORED = ("STT", "TT", "Ghi chú", "Mức hoàn thành", "Điểm", "Điểm KPI")
_INDEX: dict[str, str] = {vntext.compact(a): f for f, names in _ALIASES.items() for a in names}
_IGNORED_KEYS = {vntext.compact(a) for a in _IGNORED}
LABELS: dict[str, str] = {f: names[0] for f, names in _ALIASES.items()}
_NUMERIC = ("target", "actual", "weight", "threshold", "band_low", "band_high")
_PERCENT_FIELDS = ("target", "actual", "threshold", "band_low", "band_high")
_UNIT = re.compile(r"\(([^()]*)\)\s*$")


@dataclass
class KpiData:
    """What one KPI workbook holds: its indicators and the findings of reading them."""

    file: str
    indicators: list[Indicator] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    sheets: list[str] = field(default_factory=list)  # the sheets read


def header_field(text: Any) -> tuple[str | None, str]:
    """The field a header cell names and its unit in brackets ("Chỉ tiêu (%)" → target, "%")."""
    if not isinstance(text, str) or not text.strip():
        return None, ""
    clean = vntext.clean(text)
    unit = ""
    m = _UNIT.search(clean)
    if m:
        unit = m.group(1).strip()
        clean = clean[: m.start()].strip()
    k = vntext.compact(clean)
    if k in _IGNORED_KEYS:
        return "", unit
    return _INDEX.get(k), unit


def read_kpi_workbook(raw: RawWorkbook, file: str) -> KpiData:
    """Every indicator of every sheet with a KPI header (never raises for data)."""
    data = KpiData(file)
    for sheet in raw.sheets:
        if sheet.kind != "worksheet" or not sheet.rows:
            continue
        found = _find_header(sheet)
        if found is None:
            continue
        if sheet.visibility != "visible":
            data.report.add(make_issue("hidden-sheet", file=file, sheet=sheet.name, state="ẩn",
                                       counted="vẫn được đọc như các sheet khác"))
        data.sheets.append(sheet.name)
        _read_sheet(sheet, file, found, data)
    if not data.sheets:
        data.report.add(make_issue("kpi-no-header", file=file))
    return data


@dataclass
class _Header:
    row: int  # 1-based
    columns: dict[str, int]  # field → 0-based column index
    units: dict[str, str]


def _header_text(sheet: RawSheet, r: int, c: int) -> Any:
    """The text of header cell (r, c) (1-based); blank under a merged title: the title's."""
    v = sheet.value(r, c)
    if isinstance(v, str) and v.strip():
        return v
    for r1, c1, r2, c2 in sheet.merged:
        if r1 < r <= r2 and c1 <= c <= c2:
            return sheet.value(r1, c1)
    return v


def _find_header(sheet: RawSheet) -> _Header | None:
    for r in range(1, min(HEADER_ROWS, sheet.max_row) + 1):
        width = len(sheet.rows[r - 1])
        columns: dict[str, int] = {}
        units: dict[str, str] = {}
        for c in range(1, width + 1):
            fname, unit = header_field(_header_text(sheet, r, c))
            if fname and fname not in columns:
                columns[fname] = c - 1
                if unit:
                    units[fname] = unit
        if ("code" in columns or "name" in columns) and (
                "target" in columns or "actual" in columns) and len(columns) >= 3:
            return _Header(r, columns, units)
    return None


def _word(value: Any) -> str:
    return vntext.fold(value) if isinstance(value, str) else ""


def parse_level(value: Any) -> Level | None:
    f = _word(value)
    if "benh vien" in f or f in ("bv", "hospital", "toan vien"):
        return Level.HOSPITAL
    if "quan ly" in f or "lanh dao" in f or f == "manager":
        return Level.MANAGER
    if "nhan vien" in f or "ca nhan" in f or f in ("nv", "staff"):
        return Level.STAFF
    if "khoa" in f or "phong" in f or f in ("department", "don vi"):
        return Level.DEPARTMENT
    return None


def parse_direction(value: Any) -> Direction | None:
    if not isinstance(value, str):
        return None
    s = value.strip()
    if s in ("↑", ">=", "≥", ">"):
        return Direction.HIGHER
    if s in ("↓", "<=", "≤", "<"):
        return Direction.LOWER
    f = _word(value)
    if "khoang" in f or f in ("band", "↔"):
        return Direction.BAND
    if "thap" in f or "giam" in f or f == "lower" or "it hon" in f:
        return Direction.LOWER
    if "cao" in f or "tang" in f or f == "higher" or "nhieu hon" in f:
        return Direction.HIGHER
    return None


def parse_kind(value: Any) -> Kind | None:
    f = _word(value)
    if "chat luong" in f or f in ("muc", "muc 1-5", "quality"):
        return Kind.QUALITY
    if "hai long" in f or "khao sat" in f or f == "survey":
        return Kind.SURVEY
    if "ty le" in f or "ti le" in f or f in ("%", "percent", "phan tram"):
        return Kind.PERCENT
    if "so lieu" in f or f in ("so", "number", "gia tri"):
        return Kind.NUMBER
    return None


class _Cell:
    """One number cell's reading: its value, whether it is a bare number (no "%")."""

    __slots__ = ("bare", "col", "raw", "value")

    def __init__(self, col: int, raw: Any, value: float, bare: bool) -> None:
        self.col, self.raw, self.value, self.bare = col, raw, value, bare


def _read_sheet(sheet: RawSheet, file: str, header: _Header, data: KpiData) -> None:
    cols = header.columns
    letters = {f: column_letter(i + 1) for f, i in cols.items()}
    labels = {f: vntext.clean(sheet.value(header.row, i + 1)) or LABELS[f] for f, i in cols.items()}
    report = data.report
    # A KPI sheet repeats the same few texts (departments, levels, directions, codes) thousands
    # of times: each distinct cell value is cleaned and parsed once.
    texts: dict[Any, str] = {}
    words: dict[tuple[str, Any], Any] = {}

    def text(v: Any) -> str:
        t = texts.get(v)
        if t is None:
            t = texts[v] = "" if is_blank(v) else (
                staff_id_text(v) if isinstance(v, float | int) else vntext.clean(v))
        return t

    def word(kind: str, v: Any) -> Any:
        k = (kind, v)
        if k not in words:
            words[k] = _PARSERS[kind](v)
        return words[k]

    def issue(code: str, r: int, fname: str | None = None, **params: Any) -> Issue:
        return make_issue(code, file=file, sheet=sheet.name, row=r,
                          column=letters.get(fname) if fname else None,
                          header=labels.get(fname) if fname else None, **params)

    numeric = [(f, cols[f]) for f in _NUMERIC if f in cols]
    width = max(cols.values()) + 1
    absent = width  # an absent column reads the blank cell padded at the end of each row
    ic, iname, ilevel, idept, iid, isname, iunit, ikind, idir, isrc, ipar = (
        cols.get(f, absent) for f in ("code", "name", "level", "department", "staff_id",
                                      "staff_name", "unit", "kind", "direction", "source",
                                      "parent"))
    errors, pending = sheet.errors, sheet.formulas_without_value
    unit_pct = any("%" in header.units.get(f, "") for f in _PERCENT_FIELDS)
    pct_cols = {f for f in _PERCENT_FIELDS if "%" in header.units.get(f, "")}
    weights: list[tuple[int, _Cell]] = []
    found: list[Indicator] = []
    padded = [row[:width] + [""] * (width + 1 - min(len(row), width)) for row in
              sheet.rows[header.row:]]
    # A child row that leaves its unit and kind to its parent is a percentage when the parent
    # is: its numbers are scaled like the parent's (the cascade itself is the core's).
    # It is told the parent's scale too (True: fractions, a target of at most 1), for a child
    # row that has no target of its own to tell it.
    itarget = cols.get("target", absent)
    percent_codes: dict[str, bool | None] = {
        vntext.key(text(row[ic])): (row[itarget] <= 1 if isinstance(row[itarget], float | int)
                                    else False if isinstance(row[itarget], str) else None)
        for row in padded
        if "%" in text(row[iunit]) or (text(row[ikind]) and getattr(
            word("kind", row[ikind]), "percent", False))}
    for r, row in enumerate(padded, start=header.row + 1):
        if row.count("") == width + 1:
            continue
        code, name = text(row[ic]), text(row[iname])
        first = vntext.fold(code or name) if (code or name)[:1] in "TtCc" else ""
        if first.startswith(("tong", "cong")) and not code.isdigit():
            continue  # a total row
        numbers: dict[str, _Cell] = {}
        bad = False
        for fname, i in numeric:
            v = row[i]
            if v.__class__ is float or v.__class__ is int:
                if v < 0:
                    report.add(issue("kpi-negative", r, fname, value=v))
                    bad = True
                else:
                    numbers[fname] = _Cell(i, v, float(v), True)
                continue
            if (r, i + 1) in errors:
                report.add(issue("error-value", r, fname, value=errors[(r, i + 1)],
                                 formula_part=""))
                bad = True
                continue
            if (r, i + 1) in pending:
                report.add(issue("formula-without-value", r, fname, formula=pending[(r, i + 1)]))
                bad = True
                continue
            if v == "" or is_blank(v):
                continue
            parsed = _number(v)
            if parsed is None:
                report.add(issue("not-a-number", r, fname, value=v))
                bad = True
                continue
            value, bare, as_text = parsed
            if as_text:
                report.add(issue("number-stored-as-text", r, fname, value=v,
                                 number=show_value(value)))
            if value < 0:
                report.add(issue("kpi-negative", r, fname, value=v))
                bad = True
                continue
            numbers[fname] = _Cell(i, v, value, bare)
        if not code and not name:
            if numbers:
                report.add(issue("kpi-missing-owner", r, "code", indicator=f"ở dòng {r}",
                                 level="(không rõ)", what="mã và tên chỉ số"))
            continue
        label = f"{code} – {name}" if code and name else code or name
        raw_level = row[ilevel]
        level = word("level", raw_level) if text(raw_level) else None
        if level is None and text(raw_level):
            report.add(issue("kpi-unknown-level", r, "level", value=raw_level))
            continue
        department, staff_id = text(row[idept]), text(row[iid])
        if level is None:
            level = Level.STAFF if staff_id else Level.DEPARTMENT if department else Level.HOSPITAL
        if level is Level.DEPARTMENT and not department:
            report.add(issue("kpi-missing-owner", r, "department", indicator=label,
                             level=level.label, what="tên khoa/phòng (cột Khoa/Phòng)"))
            continue
        if level.personal and not staff_id:
            report.add(issue("kpi-missing-owner", r, "staff_id", indicator=label,
                             level=level.label, what="mã nhân viên (cột Mã NV)"))
            continue
        raw_dir = row[idir]
        direction = word("direction", raw_dir) if text(raw_dir) else None
        if direction is None and text(raw_dir):
            report.add(issue("kpi-unknown-direction", r, "direction", value=raw_dir,
                             indicator=label))
            bad = True
        reported = ("direction",) if direction is None and text(raw_dir) else ()
        raw_kind = row[ikind]
        own_kind = kind = word("kind", raw_kind) if text(raw_kind) else None
        if kind is None and text(raw_kind):
            report.add(issue("kpi-unknown-kind", r, "kind", value=raw_kind))
            bad = True
        unit = text(row[iunit])
        parent = text(row[ipar])
        percent_row = (kind is not None and kind.percent) or "%" in unit or (
            unit_pct and any(f in pct_cols for f in numbers)) or (
            bool(parent) and not unit and kind is None and vntext.key(parent) in percent_codes)
        if kind is None and percent_row:
            kind = Kind.PERCENT
        if percent_row and not _scale_percent(
                numbers, lambda code, f, r=r, **p: issue(code, r, f, **p), report,
                percent_codes.get(vntext.key(parent)) if parent else None):
            bad = True
        if kind is Kind.QUALITY:
            for fname in ("target", "actual"):
                c = numbers.get(fname)
                if c is not None and not 1 <= c.value <= 5:
                    report.add(issue("kpi-quality-level", r, fname, value=c.raw, indicator=label))
                    bad = True
        found.append(Indicator(
            code=code, name=name, level=level, department=department, staff_id=staff_id,
            staff_name=text(row[isname]), unit=unit or ("%" if percent_row and not parent else ""),
            # a child that leaves its unit and kind blank inherits them from its parent
            kind=own_kind if own_kind or (parent and not unit) else kind, direction=direction,
            target=_val(numbers, "target"), actual=_val(numbers, "actual"),
            weight=_val(numbers, "weight"), threshold=_val(numbers, "threshold"),
            band_low=_val(numbers, "band_low"), band_high=_val(numbers, "band_high"),
            source=text(row[isrc]), parent=parent,
            where=SourceRow(file, sheet.name, r), columns=letters,
            broken=bad,  # an error finding was reported: the row does not enter a score
            reported=reported,
        ))
        if "weight" in numbers:
            weights.append((len(found) - 1, numbers["weight"]))
    # Weights typed as fractions (0.3 for 30 %, an Excel cell formatted as %): when every bare
    # weight of the sheet is at most 1, they are read as fractions of 100.
    bare_weights = [c for _, c in weights if c.bare]
    if bare_weights and all(c.value <= 1 for c in bare_weights):
        for i, c in weights:
            if c.bare and found[i].weight is not None:
                found[i] = _with_weight(found[i], c.value * 100)
    data.indicators.extend(found)


_PARSERS = {"level": parse_level, "direction": parse_direction, "kind": parse_kind}


def _with_weight(ind: Indicator, weight: float) -> Indicator:
    return replace(ind, weight=round(weight, 9))


def _val(numbers: dict[str, _Cell], fname: str) -> float | None:
    c = numbers.get(fname)
    return None if c is None else c.value


def _number(v: Any) -> tuple[float, bool, bool] | None:
    """(value, bare, typed as text) of a number cell; "95%" is 95 and not bare; None: text."""
    if isinstance(v, str) and v.strip().endswith("%"):
        parsed = parse_number(v.strip()[:-1])
        return (parsed.value, False, False) if isinstance(parsed, ParsedNumber) else None
    parsed = parse_number(v)
    if not isinstance(parsed, ParsedNumber):
        return None
    return parsed.value, True, parsed.from_text


SCALE_GAP = 30.0  # values of one indicator further apart than this are on different scales


def _near(value: float, others: list[float]) -> bool:
    return all(1 / SCALE_GAP <= value / o <= SCALE_GAP for o in others)


def _scale_percent(numbers: dict[str, _Cell], issue: Any, report: Report,
                   parent_fractions: bool | None = None) -> bool:
    """Bring a percentage row's numbers to percent points; False when one is ambiguous.

    A text with "%" is in percent points; a bare number takes the scale that puts it near
    them. Without such a text the row's bare numbers share one scale, told by the target (or
    the band, the threshold; for a child without them, its parent's target): at most 1 →
    fractions, as an Excel cell formatted as % holds them (0,95 and 1,0546 are 95 % and
    105,46 %). A bare number far (× 30) from the others on both readings is refused with its
    cell."""
    cells = [(f, c) for f, c in numbers.items() if f in _PERCENT_FIELDS]
    bare = [(f, c) for f, c in cells if c.bare and c.value > 0]
    fixed = [c for _, c in cells if not c.bare and c.value > 0]
    ok = True

    def refuse(f: str, c: _Cell, other: _Cell) -> None:
        nonlocal ok
        report.add(issue("kpi-percent-ambiguous", f, value=c.raw, other=show_value(other.raw),
                         scaled=show_value(round(c.value * 100, 9))))
        ok = False

    if fixed:
        values = [c.value for c in fixed]
        for f, c in bare:
            as_is, scaled = _near(c.value, values), _near(c.value * 100, values)
            if scaled and not as_is:
                c.value = round(c.value * 100, 9)
            elif scaled == as_is:
                refuse(f, c, fixed[0])
        return ok
    if not bare:
        return True
    ref = next(c for f in ("target", "band_low", "band_high", "threshold", "actual")
               for g, c in bare if g == f)
    for f, c in bare:
        if c is not ref and not _near(c.value, [ref.value]):
            refuse(f, c, ref)
    own = any(g in ("target", "band_low", "band_high", "threshold") for g, _ in bare)
    fractions = ref.value <= 1 if own or parent_fractions is None else parent_fractions
    if ok and fractions:
        for _, c in bare:
            c.value = round(c.value * 100, 9)
    return ok
