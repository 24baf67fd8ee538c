"""Read back a ``thidua score --json`` result (schema ``thidua.score/1``) as the quarter's
Dataset, so that ``thidua awards`` can roll the year up from the quarters' score results as it
does from their workbooks.

Every person is rebuilt from the object's ``inputs`` (the sheet's values, unrounded: points,
raw bonus and deduction, leave, discipline …), so the year is re-scored under the regulation of
the ``awards`` run exactly as from the workbooks. Results written by an older version lack
``inputs``: they are refused (InputFileError) with the key that is missing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from thidua_cli.errors import InputFileError
from thidua_cli.model import (
    Criterion,
    Dataset,
    Discipline,
    Gender,
    InputFile,
    Period,
    PeriodKind,
    Person,
    Report,
    SourceRow,
)

SCORE_SCHEMA = "thidua.score/1"
_RERUN = "hãy chạy lại `thidua score … --json` bằng phiên bản này"


def looks_like_score_result(path: Path) -> bool:
    """A JSON file: its name ends in .json, or its first non-space byte is "{"."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return False  # the workbook loader reports the unreadable file
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


#: The Person fields of the year roll-up and issue 11 in ``people[].inputs`` (dates ISO); a file
#: written before them lacks them, and reads as if the sheet had no such column.
ROLLUP_INPUTS = ("left_on", "absence_reason", "achievement", "adhoc_award", "injury_days",
                 "training_days", "contract_from", "discipline_ended_on", "moved_in_on",
                 "previous_opinion", "tasks_done", "tasks_exceeded")


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Person)}


def _rollup_inputs(r: _Reader, inputs: Mapping[str, Any], iw: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ROLLUP_INPUTS:
        value = inputs.get(name)
        if value is None:
            continue
        default = _DEFAULTS[name]
        if isinstance(default, str):
            out[name] = r.text(inputs, name, iw)
        elif isinstance(default, float) or name.startswith("tasks_"):
            out[name] = r.number(inputs, name, iw)
        else:
            try:
                out[name] = date.fromisoformat(value)
            except (TypeError, ValueError) as exc:
                raise r.fail(f"khoá `{iw}{name}` phải là ngày dạng 2026-05-04 hoặc null "
                             f"(đang là {json.dumps(value)})") from exc
    return out


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, what: str) -> InputFileError:
        return InputFileError(f"Tệp kết quả chấm điểm {self.path}: {what} — {_RERUN}.")

    def get(self, obj: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in obj:
            raise self.fail(f"thiếu khoá `{where}{key}`")
        return obj[key]

    def obj(self, obj: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = self.get(obj, key, where)
        if not isinstance(value, dict):
            raise self.fail(f"khoá `{where}{key}` phải là một đối tượng JSON")
        return value

    def text(self, obj: Mapping[str, Any], key: str, where: str) -> str:
        value = self.get(obj, key, where)
        if not isinstance(value, str):
            raise self.fail(f"khoá `{where}{key}` phải là chuỗi (đang là {json.dumps(value)})")
        return value

    def number(self, obj: Mapping[str, Any], key: str, where: str, *,
               optional: bool = False) -> float | None:
        value = self.get(obj, key, where)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"khoá `{where}{key}` phải là số (đang là {json.dumps(value)})")
        return float(value)

    def count(self, obj: Mapping[str, Any], key: str, where: str) -> int:
        value = self.get(obj, key, where)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"khoá `{where}{key}` phải là số nguyên không âm "
                            f"(đang là {json.dumps(value)})")
        return value

    def flag(self, obj: Mapping[str, Any], key: str, where: str, *,
             optional: bool = False) -> bool | None:
        value = self.get(obj, key, where)
        if value is None and optional:
            return None
        if not isinstance(value, bool):
            raise self.fail(f"khoá `{where}{key}` phải là true/false (đang là {json.dumps(value)})")
        return value


def load_score_result(path: Path) -> tuple[Period, Dataset]:
    """The quarter (or other period) and its Dataset, rebuilt from a ``thidua.score/1`` file.

    Raises InputFileError (exit 4) naming the file and the key on any problem."""
    try:
        data_bytes = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError(f"Không tìm thấy tệp {path}. Hãy kiểm tra tên và thư mục.") from exc
    except OSError as exc:
        raise InputFileError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from exc
    from thidua_cli.io.json_input import parse_json

    how = ("Tệp kết quả chấm điểm được tạo bằng "
           "`thidua score quy-N-2026.xlsx --json --no-output > quy-N.json`.")
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Tệp {path} không phải JSON hợp lệ (UTF-8) ({exc}). {how}") from exc
    data = parse_json(text, f"Tệp {path}", how)
    r = _Reader(path)
    if not isinstance(data, dict):
        raise r.fail("nội dung phải là một đối tượng JSON")
    schema = data.get("schema")
    if schema != SCORE_SCHEMA:
        raise InputFileError(
            f"Tệp {path} không phải kết quả `thidua score --json` (khoá `schema` là "
            f"{json.dumps(schema, ensure_ascii=False)}, cần \"{SCORE_SCHEMA}\"). Hãy chỉ tệp tạo "
            f"bằng `thidua score quy-N-2026.xlsx --json --no-output > quy-N.json`."
        )
    period = _period(r, data)
    criteria = _criteria(r, data)
    codes = [c.code for c in criteria]
    people_raw = r.get(data, "people", "")
    if not isinstance(people_raw, list):
        raise r.fail("khoá `people` phải là một danh sách")
    people = [_person(r, item, i, codes) for i, item in enumerate(people_raw)]
    source = data.get("criteria_source")
    dataset = Dataset(
        people=people,
        criteria=criteria,
        criteria_source=source if isinstance(source, str) else f"kết quả chấm điểm ({path.name})",
        report=Report(),
        inputs=[InputFile(str(path), hashlib.sha256(data_bytes).hexdigest(), "json")],
        period=period,
        period_source=f"khoá `period` của {path.name}",
    )
    return period, dataset


def _period(r: _Reader, data: Mapping[str, Any]) -> Period:
    value = r.get(data, "period", "")
    if not isinstance(value, dict):
        raise r.fail("khoá `period` trống: kết quả chấm điểm không ghi kỳ (chạy `thidua score` "
                     "với --period, ví dụ --period 2026-Q1)")
    kind_text = r.text(value, "kind", "period.")
    year = r.get(value, "year", "period.") if "year" in value else None
    code = r.text(value, "code", "period.")
    try:
        kind = PeriodKind(kind_text)
    except ValueError as exc:
        raise r.fail(f"khoá `period.kind` không hợp lệ ({json.dumps(kind_text)})") from exc
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import UsageError

    try:
        period = parse_period_option(code)
    except UsageError as exc:
        raise r.fail(f"khoá `period.code` không hợp lệ ({json.dumps(code)})") from exc
    if period.kind is not kind or (year is not None and year != period.year):
        raise r.fail(f"khoá `period` không thống nhất ({json.dumps(code)}, {kind_text})")
    return period


def _criteria(r: _Reader, data: Mapping[str, Any]) -> tuple[Criterion, ...]:
    items = r.get(data, "criteria", "")
    if not isinstance(items, list) or not items:
        raise r.fail("khoá `criteria` phải là danh sách tiêu chí (không rỗng)")
    out: list[Criterion] = []
    for i, item in enumerate(items):
        where = f"criteria[{i}]."
        if not isinstance(item, dict):
            raise r.fail(f"khoá `criteria[{i}]` phải là một đối tượng JSON")
        max_points = r.number(item, "max_points", where)
        assert max_points is not None
        out.append(Criterion(r.text(item, "code", where), r.text(item, "name", where),
                             r.text(item, "group", where), max_points))
    return tuple(out)


def _person(r: _Reader, item: Any, i: int, codes: list[str]) -> Person:
    where = f"people[{i}]."
    if not isinstance(item, dict):
        raise r.fail(f"khoá `people[{i}]` phải là một đối tượng JSON")
    inputs = r.obj(item, "inputs", where)
    iw = f"{where}inputs."
    raw_scores = r.obj(inputs, "scores", iw)
    scores: dict[str, float] = {}
    for code in codes:
        value = r.number(raw_scores, code, f"{iw}scores.", optional=True)
        if value is not None:
            scores[code] = value
    src = r.obj(item, "source", where)
    row = src.get("row")
    source = SourceRow(
        file=r.text(src, "file", f"{where}source."),
        sheet=r.text(src, "sheet", f"{where}source."),
        row=row if isinstance(row, int) and not isinstance(row, bool) else 0,
    )
    gender_text = r.text(inputs, "gender", iw)
    try:
        gender = Gender(gender_text)
    except ValueError as exc:
        raise r.fail(f"khoá `{iw}gender` không hợp lệ ({json.dumps(gender_text)})") from exc
    recruited_text = r.get(inputs, "recruited_on", iw)
    recruited: date | None = None
    if recruited_text is not None:
        try:
            recruited = date.fromisoformat(recruited_text)
        except (TypeError, ValueError) as exc:
            raise r.fail(f"khoá `{iw}recruited_on` phải là ngày dạng 2026-05-04 hoặc null "
                         f"(đang là {json.dumps(recruited_text)})") from exc
    discipline_text = r.get(inputs, "discipline", iw)
    discipline: Discipline | None = None
    if discipline_text is not None:
        try:
            discipline = Discipline(discipline_text)
        except ValueError as exc:
            raise r.fail(f"khoá `{iw}discipline` không hợp lệ "
                         f"({json.dumps(discipline_text, ensure_ascii=False)})") from exc
    inferred = bool(r.flag(inputs, "manager_inferred", iw))
    is_manager = bool(r.flag(item, "is_manager", where))
    bonus = r.number(inputs, "bonus", iw)
    deduction = r.number(inputs, "deduction", iw)
    leave = r.number(inputs, "leave_days", iw)
    maternity = r.number(inputs, "maternity_days", iw)
    assert bonus is not None and deduction is not None and leave is not None
    assert maternity is not None
    return Person(
        staff_id=r.text(item, "staff_id", where),
        name=r.text(item, "name", where),
        department=r.text(item, "department", where),
        source=source,
        scores=scores,
        bonus=bonus,
        deduction=deduction,
        position=r.text(item, "position", where),
        # A manager flag inferred from "Chức vụ" is inferred again under the awards run's
        # regulation, exactly as from the workbook.
        is_manager=is_manager and not inferred,
        peer_group=r.text(item, "group", where),
        gender=gender,
        recruited_on=recruited,
        leave_days=leave,
        maternity_days=maternity,
        discipline=discipline,
        initiatives=r.count(inputs, "initiatives", iw),
        research=r.count(inputs, "research", iw),
        registered=r.flag(inputs, "registered", iw, optional=True),
        note=r.text(inputs, "note", iw),
        **_rollup_inputs(r, inputs, iw),
    )
