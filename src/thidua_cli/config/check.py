"""The one checker of the regulation (quy chế): a merged TOML mapping → a typed
:class:`~thidua_cli.model.Regulation`, every section of it, at load time (pure).

Every table (organisation, criteria, scoring, bands, overrides, cap, validation, awards, money,
council, documents) is read by the same :class:`Checker`: an unknown key anywhere is refused with
a "did you mean" from :func:`suggest_key` (the one suggestion function, one cut-off), a wrong type
or a value out of range names its dotted key (``cap.rate``, ``criteria[3].max_points``,
``awards.ldtt.min_months``) and the line of the user's file where it is written. All problems are
collected and raised as ONE :class:`~thidua_cli.errors.RegulationError` (exit 3). The values come
from the shipped default TOML merged under the user's file, so no default is written here.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from thidua_cli.config.load import DEFAULT_SOURCE
from thidua_cli.config.sections import (
    CERTIFICATE_FIELDS,
    CLUSTER_CONDITIONS,
    CLUSTER_ITEM_KINDS,
    CLUSTER_ROTATIONS,
    INCOME_BASES,
    INCOME_EXCLUDE,
    INCOME_LEAVE_KINDS,
    INCOME_REMAINDERS,
    AwardsSettings,
    BaseSalary,
    CertificateField,
    CertificateSettings,
    ClusterItem,
    ClusterSettings,
    CollectiveSettings,
    CouncilMember,
    CouncilSettings,
    DocumentsSettings,
    EventItem,
    EventSettings,
    GiayKhenSettings,
    HigherSettings,
    IncomeCeiling,
    IncomeSettings,
    KpiSettings,
    LdttSettings,
    MoneySettings,
    PostGroup,
    PostSettings,
    PublishSettings,
    QuotaSettings,
    RollupSettings,
    UnionSettings,
)
from thidua_cli.core import vntext
from thidua_cli.core.names import NAME_ORDERS
from thidua_cli.core.rulesets import TITLE_CODES
from thidua_cli.errors import RegulationError
from thidua_cli.model import (
    Bands,
    CapRules,
    Criterion,
    Organisation,
    Rating,
    Regulation,
    ScoringRules,
    ValidationRules,
)
from thidua_cli.model import Overrides as OverrideRules

#: The scoring tables, checked field by field against their dataclass (TOML keys = field names).
SECTIONS: dict[str, type] = {
    "organisation": Organisation,
    "scoring": ScoringRules,
    "bands": Bands,
    "overrides": OverrideRules,
    "cap": CapRules,
    "validation": ValidationRules,
}

#: The tables of the later stages, each with its own reader below (nested tables, Decimals).
STAGE_SECTIONS: dict[str, str] = {
    "awards": "xét danh hiệu thi đua (thidua awards)",
    "money": "tiền thưởng (thidua awards)",
    "council": "Hội đồng Thi đua – Khen thưởng (thidua awards)",
    "documents": "in văn bản (thidua render)",
    "events": "danh mục vi phạm, điểm cộng theo mã sự việc",
    "posts": "bộ tiêu chí theo vị trí việc làm",
    "publish": "công khai lấy ý kiến (thidua publish)",
    "kpi": "chỉ số KPI (thidua kpi, thidua score --kpi)",
    "income": "thu nhập tăng thêm (thidua income)",
    "cluster": "khối thi đua (thidua cluster)",
    "union": "danh hiệu công đoàn dựa trên sáng kiến (thidua awards)",
}

CRITERION_KEYS = tuple(f.name for f in dataclasses.fields(Criterion))
SCOPES = ("hospital", "department")
DENOMINATORS = ("htt_or_better", "htt_only")


# ---------------------------------------------------------------------------------------------
# Collecting problems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    key: str  # dotted path: "cap.rate", "criteria[3].max_points"
    message: str  # Vietnamese: what is wrong and how to fix it


_MISSING: Any = object()


class Checker:
    """Collects problems of one regulation; typed getters record a problem and return None.

    ``label`` names the file ("tệp quy-che.toml"); ``lines`` maps dotted keys to the line of the
    user's file where they are written (best effort, for the messages).
    """

    def __init__(self, label: str, lines: Mapping[str, int] | None = None) -> None:
        self.label = label
        self.lines: Mapping[str, int] = lines or {}
        self.problems: list[Problem] = []

    # -- recording ---------------------------------------------------------------------------
    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    def format(self, problem: Problem) -> str:
        line = self.lines.get(problem.key)
        where = f" (dòng {line})" if line else ""
        return f"- {self.label}, khoá `{problem.key}`{where}: {problem.message}"

    def error(self, source: str) -> RegulationError:
        n = len(self.problems)
        what = "một lỗi" if n == 1 else f"{n} lỗi"
        name = DEFAULT_SOURCE if source == DEFAULT_SOURCE else f"Quy chế {source}"
        body = "\n".join(self.format(p) for p in self.problems)
        return RegulationError(
            f"{name} có {what}, chưa dùng được:\n{body}\n"
            "Hãy sửa tệp quy chế (mở bằng Notepad, lưu với mã UTF-8) rồi chạy lại."
        )

    def raise_if_any(self, source: str) -> None:
        if self.problems:
            raise self.error(source)

    # -- structure ---------------------------------------------------------------------------
    def table(self, value: Any, key: str, *, example: str = "") -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        how = example or f"viết thành mục [{key}] với các khoá bên dưới"
        self.add(key, f"phải là một mục (bảng) nhưng đang là {describe(value)}; hãy {how}.")
        return None

    def unknown_keys(
        self,
        table: Mapping[str, Any],
        allowed: Iterable[str],
        path: str,
        *,
        elsewhere: Mapping[str, Iterable[str]] | None = None,
        near_elsewhere: bool = False,
    ) -> None:
        """Every key of ``table`` not in ``allowed`` is a problem with a suggestion.

        ``elsewhere`` maps other tables' paths to their keys: a key written in the wrong table
        is pointed to its right place.
        """
        allowed = list(allowed)
        for key in table:
            if key in allowed:
                continue
            full = f"{path}.{key}" if path else key
            what = _unknown_what(path, key, table[key])
            hint = suggest_key(key, allowed)
            if hint is not None:
                target = f"{path}.{hint}" if path else hint
                self.add(full, f"{what}. Có phải ý bạn là `{target}`?")
                continue
            moved = [
                f"{other}.{key}" for other, keys in (elsewhere or {}).items() if key in set(keys)
            ]
            if not moved and near_elsewhere:  # [awards] min_monthz → awards.ldtt.min_months
                nearby = ((other, suggest_key(key, keys)) for other, keys in (elsewhere or {}).items())
                moved = [f"{other}.{near}" for other, near in nearby if near is not None][:1]
            if moved:
                self.add(
                    full,
                    f"{what}; khoá này thuộc mục [{moved[0].rsplit('.', 1)[0]}]. "
                    f"Có phải ý bạn là `{moved[0]}`?",
                )
                continue
            self.add(full, f"{what}. Các khoá được dùng: {', '.join(allowed)}.")

    def require(self, table: Mapping[str, Any], key: str, path: str) -> Any:
        if key not in table:
            self.add(path, f"thiếu khoá này; hãy thêm dòng `{key} = …`.")
            return _MISSING
        return table[key]

    # -- scalar types ------------------------------------------------------------------------
    def string(
        self,
        value: Any,
        path: str,
        *,
        choices: tuple[str, ...] | None = None,
        allow_empty: bool = False,
    ) -> str | None:
        if not isinstance(value, str):
            example = f'"{choices[0]}"' if choices else '"…"'
            self.add(
                path,
                f"phải là văn bản trong ngoặc kép (ví dụ {example}) nhưng đang là "
                f"{describe(value)}.",
            )
            return None
        text = vntext.clean(value)
        if choices is not None and text not in choices:
            alias = _CHOICE_ALIASES.get(vntext.fold(text))
            hint = alias if alias in choices else suggest_key(text, choices)
            extra = f' Có phải ý bạn là "{hint}"?' if hint else ""
            listed = " hoặc ".join(f'"{c}"' for c in choices)
            self.add(path, f'"{value}" không hợp lệ; chỉ nhận {listed}.{extra}')
            return None
        if not text and not allow_empty:
            self.add(path, "không được để trống; hãy ghi nội dung trong ngoặc kép.")
            return None
        return text

    def number(
        self,
        value: Any,
        path: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
        hint: str = "",
    ) -> float | None:
        """A finite int or float (never a bool) within the bounds (``above`` is exclusive)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, _not_a_number(value, path))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(path, f"phải là một số hữu hạn, không phải {describe(value)}.")
            return None
        bounds = _bounds_text(minimum, maximum, above)
        out_of_range = (
            (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)
            or (above is not None and value <= above)
        )
        if out_of_range:
            tail = f" {hint}" if hint else ""
            self.add(path, f"phải {bounds}, nhưng đang là {fmt_number(value)}.{tail}")
            return None
        return float(value)

    def integer(
        self, value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                self.add(path, f"phải là số nguyên: ghi {int(value)} (không có phần thập phân).")
            else:
                self.add(path, f"phải là một số nguyên (ví dụ 2) nhưng đang là {describe(value)}.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.add(path, f"phải {_bounds_text(minimum, maximum, None)}, nhưng đang là {value}.")
            return None
        return value

    def decimal(
        self, value: Any, path: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> Decimal | None:
        """A number as an exact Decimal (shares, coefficients, money). A number written in
        quotes is accepted ([money.coefficients] documents GIAY_KHEN = "0.3")."""
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                self.add(path, _not_a_number(value, path))
                return None
            if not number.is_finite():
                self.add(path, f"phải là một số hữu hạn, không phải {describe(value)}.")
                return None
            checked = self.number(float(number), path, minimum=minimum, maximum=maximum)
            return None if checked is None else number
        if self.number(value, path, minimum=minimum, maximum=maximum) is None:
            return None
        # str() of a TOML float is its shortest repr: 0.8 → "0.8", exact in Decimal.
        return Decimal(str(value))

    def boolean(self, value: Any, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and vntext.fold(value) in _TRUE_WORDS | _FALSE_WORDS:
            word = "true" if vntext.fold(value) in _TRUE_WORDS else "false"
            self.add(path, f"phải là true hoặc false, viết không có ngoặc kép: ghi {word}.")
            return None
        if isinstance(value, int | float) and value in (0, 1):
            word = "true" if value else "false"
            self.add(path, f"phải là true hoặc false (không dùng 0/1): ghi {word}.")
            return None
        self.add(path, f"phải là true (có) hoặc false (không) nhưng đang là {describe(value)}.")
        return None

    def dates(self, value: Any, path: str) -> tuple[date, ...] | None:
        """A list of TOML dates (2026-08-31), e.g. the year's announced swapped days."""
        if not isinstance(value, list) or not all(
                isinstance(v, date) and not isinstance(v, datetime) for v in value):
            self.add(path, "phải là danh sách ngày viết dạng năm-tháng-ngày, không có ngoặc kép, "
                           f"ví dụ [2026-08-31], nhưng đang là {describe(value)}.")
            return None
        return tuple(sorted(set(value)))

    def strings(self, value: Any, path: str, *, unique: bool = True) -> tuple[str, ...] | None:
        if isinstance(value, str):
            self.add(
                path,
                f'phải là một danh sách trong ngoặc vuông, ví dụ ["{vntext.clean(value)}"], '
                "nhưng đang là một văn bản.",
            )
            return None
        if not isinstance(value, list):
            self.add(
                path,
                f'phải là một danh sách văn bản, ví dụ ["…", "…"], nhưng đang là {describe(value)}.',
            )
            return None
        out: list[str] = []
        seen: dict[str, int] = {}
        ok = True
        for i, item in enumerate(value, 1):
            text = self.string(item, f"{path}[{i}]")
            if text is None:
                ok = False
                continue
            k = vntext.key(text)
            if unique and k in seen:
                self.add(
                    f"{path}[{i}]",
                    f'"{text}" bị trùng với phần tử thứ {seen[k]} của danh sách; hãy xoá một lần.',
                )
                ok = False
                continue
            seen[k] = i
            out.append(text)
        return tuple(out) if ok else None


_ARRAY_ITEM = re.compile(r"^(\w+)\[(\d+)\]$")


def _unknown_what(path: str, key: str, value: Any) -> str:
    if not path:
        if isinstance(value, dict):
            return f"không có mục [{key}] trong quy chế"
        return "không có khoá này ở đầu tệp (ngoài các mục)"
    item = _ARRAY_ITEM.match(path)
    if item:
        return f"không có khoá này trong khối [[{item.group(1)}]] thứ {item.group(2)}"
    return f"không có khoá này trong mục [{path}]"


# Vietnamese words a clerk may type for a setting's English value.
_CHOICE_ALIASES = {
    "khoa": "department",
    "phong": "department",
    "khoa/phong": "department",
    "khoa phong": "department",
    "benh vien": "hospital",
    "toan vien": "hospital",
    "vien": "hospital",
}

_TRUE_WORDS = {"true", "co", "yes", "x", "bat", "dung", "1"}
_FALSE_WORDS = {"false", "khong", "no", "tat", "sai", "0"}


SUGGEST_CUTOFF = 0.6


def suggest_key(key: str, allowed: Iterable[str]) -> str | None:
    """The allowed key the clerk most probably meant (spelling, or a unique prefix), or None."""
    # Compared accent- and case-blind ("cstdsc" → "CSTDCS", "mặc định" → "mac_dinh"); the one
    # cut-off of every suggestion the regulation's messages make.
    folded = {_fold_key(a): a for a in allowed}
    k = _fold_key(key)
    close = difflib.get_close_matches(k, list(folded), n=1, cutoff=SUGGEST_CUTOFF)
    if close:
        return folded[close[0]]
    prefixed = [a for f, a in folded.items() if len(k) >= 3 and (f.startswith(k) or k.startswith(f))]
    return prefixed[0] if len(prefixed) == 1 else None


def _fold_key(word: str) -> str:
    return vntext.fold(word).replace(" ", "_").replace("-", "_")


def describe(value: Any) -> str:
    """A TOML value as the clerk reads it, for "… nhưng đang là X"."""
    if isinstance(value, bool):
        return f"giá trị {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"số {fmt_number(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f'văn bản "{shown}"'
    if isinstance(value, list):
        return "một danh sách [...]"
    if isinstance(value, dict):
        return "một mục (bảng)"
    if isinstance(value, datetime | date | time):
        return f"ngày giờ {value.isoformat()}"
    return f"giá trị {value!r}"


def fmt_number(value: float) -> str:
    """10 → "10", 10.0 → "10", 0.2 → "0.2" (as typed in TOML: decimal point)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bounds_text(minimum: float | None, maximum: float | None, above: float | None) -> str:
    if above is not None and maximum is not None:
        return f"lớn hơn {fmt_number(above)} và không quá {fmt_number(maximum)}"
    if above is not None:
        return f"lớn hơn {fmt_number(above)}"
    if minimum is not None and maximum is not None:
        return f"nằm trong khoảng từ {fmt_number(minimum)} đến {fmt_number(maximum)}"
    if minimum is not None:
        return f"từ {fmt_number(minimum)} trở lên"
    if maximum is not None:
        return f"không quá {fmt_number(maximum)}"
    return "hợp lệ"


_NUMBERISH = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?\s*(%)?\s*$")


def _not_a_number(value: Any, path: str) -> str:
    key = path.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return f"phải là một số (ví dụ 10), không phải {describe(value)}."
    if isinstance(value, str):
        m = _NUMBERISH.match(value)
        if m:
            digits = value.strip().rstrip("%").strip().replace(",", ".")
            if m.group(1):
                as_fraction = fmt_number(round(float(digits) / 100, 6))
                return (
                    f'phải là một số, không phải văn bản "{value}": tỷ lệ ghi bằng số thập '
                    f"phân, ví dụ `{key} = {as_fraction}` (tức {digits} %)."
                )
            return (
                f"phải là một số, không phải văn bản: bỏ ngoặc kép, ghi `{key} = {digits}`."
            )
    return f"phải là một số (ví dụ 10 hoặc 0.5) nhưng đang là {describe(value)}."




# ---------------------------------------------------------------------------------------------
# Validation: merged mapping → Regulation
# ---------------------------------------------------------------------------------------------


def check_regulation(
    merged: Mapping[str, Any],
    *,
    user: Mapping[str, Any],
    source: str,
    label: str,
    sha256: str,
    lines: Mapping[str, int],
) -> Regulation:
    """The typed regulation of ``merged`` (the user's mapping ``user`` laid over the shipped
    default), or ONE :class:`RegulationError` listing every problem. ``label`` names the file in
    messages; ``lines`` maps dotted keys to the lines of the user's file."""
    check = Checker(label, lines)
    user_keys = set(_dotted_keys(user))
    allowed_top = ["name", "criteria", *SECTIONS, *STAGE_SECTIONS]
    section_keys = {name: _field_names(cls) for name, cls in SECTIONS.items()}
    check.unknown_keys(merged, allowed_top, "", elsewhere=section_keys)

    name = check.require(merged, "name", "name")
    name = None if name is _MISSING else check.string(name, "name")

    sections: dict[str, Any] = {}
    for section, cls in SECTIONS.items():
        raw = merged.get(section, _MISSING)
        if raw is _MISSING:
            check.add(section, f"thiếu mục [{section}]; hãy chép mục này từ tệp `thidua init` tạo ra.")
            continue
        table = check.table(raw, section)
        if table is None:
            continue
        others = {k: v for k, v in section_keys.items() if k != section}
        check.unknown_keys(table, section_keys[section], section, elsewhere=others)
        converted = _fields(check, cls, table, section)
        if converted is not None:
            sections[section] = converted

    criteria = _criteria(check, merged.get("criteria", _MISSING))

    stages = _Stages(check, merged)
    awards = stages.awards()
    money = stages.money()
    council = stages.council()
    documents = stages.documents()
    events = stages.events()
    posts = stages.posts(criteria)
    if posts is not None and criteria is not None and "scoring" in sections:
        _check_post_totals(check, posts, criteria, sections["scoring"].total_max)
    publish = stages.publish()
    kpi = stages.kpi()
    income = stages.income()
    cluster = stages.cluster()
    union = stages.union()

    _cross_checks(check, sections, criteria, user_keys)
    check.raise_if_any(source)

    assert name is not None and criteria is not None
    return Regulation(
        name=name,
        source=source,
        sha256=sha256,
        organisation=sections["organisation"],
        criteria=criteria,
        scoring=sections["scoring"],
        bands=sections["bands"],
        overrides=sections["overrides"],
        cap=sections["cap"],
        validation=sections["validation"],
        awards=awards,
        money=money,
        council=council,
        documents=documents,
        events=events,
        posts=posts,
        publish=publish,
        kpi=kpi,
        income=income,
        cluster=cluster,
        union=union,
    )


def _check_post_totals(check: Checker, posts: PostSettings, common: tuple[Criterion, ...],
                       total_max: float) -> None:
    """Each post group's set (common − drop + own) sums to scoring.total_max, like [[criteria]]."""
    for i, g in enumerate(posts.groups, 1):
        total = sum(c.max_points for c in common if c.code not in g.drop) + sum(
            c.max_points for c in g.criteria)
        if abs(total - total_max) > 1e-9:
            check.add(f"posts.groups[{i}]", f'tổng điểm tối đa của nhóm "{g.name}" là '
                      f"{fmt_number(total)}, phải bằng scoring.total_max ({fmt_number(total_max)}); "
                      "hãy sửa drop hoặc max_points của các tiêu chí riêng.")


def _dotted_keys(mapping: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    for key, value in mapping.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path
        if isinstance(value, dict):
            yield from _dotted_keys(value, path)


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


# Bounds of each number, and what to say when it is out of range. Keys absent here only need
# their type. Percentages are fractions (0.20 = 20 %).
_RATE_HINT = "Tỷ lệ ghi bằng số thập phân: 0.20 nghĩa là 20 %."
_NUMBER_RULES: dict[str, dict[str, Any]] = {
    "scoring.bonus_cap": {"minimum": 0, "hint": "Ghi 0 nếu không tính điểm cộng."},
    "scoring.deduction_cap": {
        "above": 0,
        "hint": "Muốn không giới hạn điểm trừ thì xoá dòng này hoặc ghi deduction_cap = false.",
    },
    "scoring.total_min": {"minimum": 0},
    "scoring.total_max": {"above": 0},
    "bands.htxsnv": {"minimum": 0},
    "bands.httnv": {"minimum": 0},
    "bands.htnv": {"minimum": 0},
    "bands.htxsnv_tasks_done": {"minimum": 0, "maximum": 100},
    "bands.htxsnv_tasks_exceeded": {"minimum": 0, "maximum": 100},
    "overrides.min_months_worked_year": {"minimum": 0, "maximum": 12},
    "overrides.absence_months_cap_low": {"minimum": 0, "maximum": 12},
    "overrides.absence_months_cap_high": {"minimum": 0, "maximum": 12},
    "overrides.min_share_worked_period": {
        "minimum": 0,
        "maximum": 1,
        "hint": "Ghi bằng số thập phân: 0.5 nghĩa là một nửa số ngày làm việc của kỳ.",
    },
    "overrides.working_days_per_month": {"above": 0, "maximum": 31},
    "cap.rate": {"minimum": 0, "maximum": 1, "hint": _RATE_HINT},
    "cap.exceptional_rate": {"minimum": 0, "maximum": 1, "hint": _RATE_HINT},
    "validation.max_leave_days_year": {"above": 0, "maximum": 366},
}
_INT_RULES: dict[str, dict[str, int]] = {"scoring.decimals": {"minimum": 0, "maximum": 4}}
_CHOICES: dict[str, tuple[str, ...]] = {"cap.scope": SCOPES, "cap.denominator": DENOMINATORS}
_MAY_BE_EMPTY = {"organisation.departments", "cap.manager_positions"}


def _fields(check: Checker, cls: type, table: Mapping[str, Any], section: str) -> Any:
    """Convert one table into ``cls``; None when any field has a problem (already recorded)."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    ok = True
    for f in dataclasses.fields(cls):
        path = f"{section}.{f.name}"
        tp = hints[f.name]
        optional = _is_optional(tp)
        if f.name not in table:
            if optional:
                values[f.name] = None
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                check.require(table, f.name, path)
                ok = False
            continue
        value = _convert(check, tp, table[f.name], path)
        if value is _MISSING:
            ok = False
        else:
            values[f.name] = value
    return cls(**values) if ok else None


def _is_optional(tp: Any) -> bool:
    return isinstance(tp, types.UnionType) and type(None) in typing.get_args(tp)


def _convert(check: Checker, tp: Any, value: Any, path: str) -> Any:
    if _is_optional(tp):
        # TOML has no null: "false" (or leaving the key out) means "none", e.g. no deduction cap.
        if value is False:
            return None
        if value is True:
            check.add(
                path,
                "ghi một số, hoặc false (hay xoá dòng này) nghĩa là không giới hạn; true không "
                "có nghĩa ở đây.",
            )
            return _MISSING
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(check, inner, value, path)
    result: Any
    if tp is bool:
        result = check.boolean(value, path)
    elif tp is int:
        result = check.integer(value, path, **_INT_RULES.get(path, {}))
    elif tp is float:
        result = check.number(value, path, **_NUMBER_RULES.get(path, {}))
    elif tp is str:
        result = check.string(value, path, choices=_CHOICES.get(path))
    elif typing.get_origin(tp) is tuple and typing.get_args(tp) == (date, ...):
        result = check.dates(value, path)
    elif typing.get_origin(tp) is tuple and typing.get_args(tp) == (str, ...):
        result = check.strings(value, path)
        if result is not None and not result and path not in _MAY_BE_EMPTY:
            check.add(path, "danh sách không được để trống.")
            result = None
    else:  # pragma: no cover - a model field of a type this loader does not know
        raise TypeError(f"regulation: unsupported field type {tp!r} at {path}")
    return _MISSING if result is None else result


def _criteria(check: Checker, raw: Any) -> tuple[Criterion, ...] | None:
    example = (
        "mỗi tiêu chí viết thành một khối [[criteria]] gồm code, name, group, max_points "
        "(xem tệp `thidua init` tạo ra)"
    )
    if raw is _MISSING:
        check.add("criteria", f"thiếu danh sách tiêu chí; {example}.")
        return None
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        check.add("criteria", f"phải là danh sách tiêu chí nhưng đang là {describe(raw)}; {example}.")
        return None
    if not raw:
        check.add("criteria", f"danh sách tiêu chí đang trống; {example}.")
        return None
    out: list[Criterion] = []
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    ok = True
    for i, item in enumerate(raw, 1):
        base = f"criteria[{i}]"
        check.unknown_keys(item, CRITERION_KEYS, base)
        values: dict[str, Any] = {}
        for key in CRITERION_KEYS:
            value = check.require(item, key, f"{base}.{key}")
            if value is _MISSING:
                ok = False
                continue
            if key == "max_points":
                converted: Any = check.number(value, f"{base}.{key}", above=0)
            else:
                converted = check.string(value, f"{base}.{key}")
            if converted is None:
                ok = False
            values[key] = converted
        code, name = values.get("code"), values.get("name")
        if code:
            k = vntext.key(code)
            if k in codes:
                check.add(
                    f"{base}.code",
                    f'mã tiêu chí "{code}" bị trùng với tiêu chí thứ {codes[k]} '
                    f"(`criteria[{codes[k]}].code`); mỗi tiêu chí phải có một mã riêng.",
                )
                ok = False
            else:
                codes[k] = i
        if name:
            k = vntext.key(name)
            if k in names:
                check.add(
                    f"{base}.name",
                    f'tên tiêu chí "{name}" bị trùng với tiêu chí thứ {names[k]}; hãy đặt tên khác '
                    "để cột điểm của bảng điểm được nhận ra đúng tiêu chí.",
                )
                ok = False
            else:
                names[k] = i
        if ok and len(values) == len(CRITERION_KEYS):
            out.append(Criterion(**values))
    return tuple(out) if ok else None


def _cross_checks(
    check: Checker,
    sections: Mapping[str, Any],
    criteria: tuple[Criterion, ...] | None,
    user_keys: set[str],
) -> None:
    """Rules between keys; each part runs when the keys it needs are valid on their own."""
    scoring: ScoringRules | None = sections.get("scoring")
    bands: Bands | None = sections.get("bands")
    overrides: OverrideRules | None = sections.get("overrides")

    if overrides is not None and (
        overrides.absence_months_cap_low > overrides.absence_months_cap_high
    ):
        check.add(
            _blame(user_keys, "overrides.absence_months_cap_low", "overrides.absence_months_cap_high"),
            f"absence_months_cap_low ({fmt_number(overrides.absence_months_cap_low)} tháng) không "
            f"được lớn hơn absence_months_cap_high ({fmt_number(overrides.absence_months_cap_high)} "
            "tháng): nghỉ từ cap_low đến dưới cap_high tháng thì tối đa Hoàn thành nhiệm vụ.",
        )

    if bands is not None:
        _check_band_order(check, bands, user_keys)

    if scoring is None:
        return
    if scoring.total_min >= scoring.total_max:
        check.add(
            _blame(user_keys, "scoring.total_min", "scoring.total_max"),
            f"điểm thấp nhất total_min ({fmt_number(scoring.total_min)}) phải nhỏ hơn điểm cao "
            f"nhất total_max ({fmt_number(scoring.total_max)}).",
        )
        return

    if criteria:
        total = sum(c.max_points for c in criteria)
        if not math.isclose(total, scoring.total_max, rel_tol=0, abs_tol=1e-9):
            parts = " + ".join(f"{c.code} {fmt_number(c.max_points)}" for c in criteria)
            shown_total = fmt_number(round(total, 6))
            check.add(
                _blame(user_keys, "criteria", "scoring.total_max"),
                f"tổng điểm tối đa các tiêu chí là {shown_total} ({parts}) nhưng "
                f"scoring.total_max = {fmt_number(scoring.total_max)}. Hãy sửa max_points của các "
                f"tiêu chí cho tổng đủ {fmt_number(scoring.total_max)}, hoặc nếu quy chế của bệnh "
                f"viện thật sự tính trên {shown_total} điểm thì ghi total_max = {shown_total} "
                "trong mục [scoring] (và xem lại các ngưỡng [bands]).",
            )

    if bands is None:
        return
    for key in ("htxsnv", "httnv", "htnv"):
        value = getattr(bands, key)
        if not scoring.total_min <= value <= scoring.total_max:
            check.add(
                f"bands.{key}",
                f"ngưỡng {fmt_number(value)} nằm ngoài thang điểm từ "
                f"{fmt_number(scoring.total_min)} đến {fmt_number(scoring.total_max)} "
                "(scoring.total_min – scoring.total_max).",
            )


def _check_band_order(check: Checker, bands: Bands, user_keys: set[str]) -> None:
    """htxsnv > httnv > htnv: each band must be reachable."""
    shown = (
        f"hiện là htxsnv = {fmt_number(bands.htxsnv)}, httnv = {fmt_number(bands.httnv)}, "
        f"htnv = {fmt_number(bands.htnv)}"
    )
    if not bands.htxsnv > bands.httnv:
        check.add(
            _blame(user_keys, "bands.httnv", "bands.htxsnv"),
            f"các ngưỡng phải giảm dần htxsnv > httnv > htnv ({shown}): ngưỡng Hoàn thành tốt "
            "nhiệm vụ phải thấp hơn ngưỡng Hoàn thành xuất sắc nhiệm vụ.",
        )
    if not bands.httnv > bands.htnv:
        check.add(
            _blame(user_keys, "bands.htnv", "bands.httnv"),
            f"các ngưỡng phải giảm dần htxsnv > httnv > htnv ({shown}): ngưỡng Hoàn thành nhiệm "
            "vụ phải thấp hơn ngưỡng Hoàn thành tốt nhiệm vụ.",
        )


def _blame(user_keys: set[str], preferred: str, other: str) -> str:
    """Of two keys in conflict, the one the user's file set (``preferred`` when both or none)."""
    if preferred not in user_keys and other in user_keys:
        return other
    return preferred


# ---------------------------------------------------------------------------------------------
# The sections of the later stages: [awards], [money], [council], [documents]
# ---------------------------------------------------------------------------------------------

_RATING_CODES = ("HTXSNV", "HTTNV", "HTNV")
ACHIEVEMENTS = ("achievement", "htxsnv", "initiative", "research")
_COLLECTIVE_CODES = tuple(f"{c}.collective" for c in ("GIAY_KHEN", "BANG_KHEN_TINH", "BANG_KHEN_TTG"))
_ROUNDING_STEPS = (1, 1_000, 10_000)
_QUOTA_KEYS = ("quota_share", "quota_of", "quota_by_department")
_LEADER_CAP_TITLES = ("LDTT", "CSTDCS", "GIAY_KHEN", "BANG_KHEN_TINH", "CSTD_TINH", "BANG_KHEN_TTG")
_AWARDS_TABLES: dict[str, tuple[str, ...]] = {  # the sub-tables of [awards], in reading order
    "rollup": ("method", "weights", "initiatives", "min_quarter_rating", "min_quarters_ab",
               "require_last_quarter"),
    "ldtt": ("min_months", "require_registration", "absence_limit_days"),
    "cstdcs": _QUOTA_KEYS,
    "giay_khen": ("enabled", "min_rating", "achievements", *_QUOTA_KEYS),
    "collective": ("min_ldtt_share", "members", "rating", "ttldxs_min_cstdcs"),
    "higher": ("enabled", "bang_khen_years", "bang_khen_initiatives", "cstd_tinh_years",
               "ttg_years", "ttg_cstdcs"),
}


_BROKEN: Any = object()
_CERT_KEYS = ("mode", "page_width_mm", "page_height_mm", "offset_x_mm", "offset_y_mm", "fields")
_FIELD_KEYS = ("x", "y", "width", "size", "bold", "italic", "align", "enabled")


class _Table:
    """One table of a stage section: unknown keys refused, each key read by a converter.

    A converter returns the typed value, or None after recording a problem; the regulation is
    only built when no problem was recorded, so a None never reaches a dataclass in use."""

    def __init__(
        self,
        check: Checker,
        raw: Any,
        path: str,
        keys: tuple[str, ...],
        subtables: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.check = check
        self.path = path
        if raw is _BROKEN:  # inside a table already reported as not a table
            table = None
        elif raw is _MISSING:
            check.add(path, f"thiếu mục [{path}]; hãy chép mục này từ tệp `thidua init` tạo ra.")
            table = None
        else:
            table = check.table(raw, path)
        self.valid = table is not None  # a broken table is one problem, not one per key
        self.data: Mapping[str, Any] = table or {}
        # A key written one table too high is pointed to the sub-table that has it.
        elsewhere = {f"{path}.{name}": sub for name, sub in (subtables or {}).items()}
        check.unknown_keys(self.data, keys, path, elsewhere=elsewhere, near_elsewhere=True)

    def raw(self, key: str) -> Any:
        return self.data.get(key, _MISSING) if self.valid else _BROKEN

    def get(self, key: str, convert: typing.Callable[[Any, str], Any]) -> Any:
        path = f"{self.path}.{key}"
        value = self.check.require(self.data, key, path) if self.valid else _MISSING
        return None if value is _MISSING else convert(value, path)

    def sub(self, key: str, keys: tuple[str, ...]) -> _Table:
        return _Table(self.check, self.raw(key), f"{self.path}.{key}", keys)


# [income] keys (thidua income, issue 16)
_INCOME_KEYS = ("basis", "mix_salary_weight", "exclude", "maternity", "paid_leave", "standard_days",
                "rounding_step", "remainder", "grades", "rating_grades", "ceiling")
_GRADE_LETTER = re.compile(r"^[A-Z][A-Z0-9+]{0,3}$")


class _Stages:
    def __init__(self, check: Checker, merged: Mapping[str, Any]) -> None:
        self.c = check
        self.merged = merged

    # -- converters ----------------------------------------------------------------------------
    def boolean(self, value: Any, path: str) -> bool | None:
        return self.c.boolean(value, path)

    def integer(self, lo: int, hi: int) -> typing.Callable[[Any, str], int | None]:
        return lambda value, path: self.c.integer(value, path, minimum=lo, maximum=hi)

    def decimal(self, lo: float, hi: float | None) -> typing.Callable[[Any, str], Decimal | None]:
        return lambda value, path: self.c.decimal(value, path, minimum=lo, maximum=hi)

    def choice(self, options: tuple[str, ...]) -> typing.Callable[[Any, str], str | None]:
        return lambda value, path: self.c.string(value, path, choices=options, allow_empty="" in options)

    def rating(self, allow_none: bool) -> typing.Callable[[Any, str], Any]:
        options = (("",) if allow_none else ()) + _RATING_CODES

        def read(value: Any, path: str) -> Any:
            code = self.choice(options)(value, path)
            return None if not code else Rating(code)

        return read

    def text(self, value: Any, path: str) -> str | None:
        """Free text kept as written (line breaks included: "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC")."""
        if not isinstance(value, str):
            self.c.add(path, f'phải là văn bản trong ngoặc kép (ví dụ "…") nhưng đang là {describe(value)}.')
            return None
        return value.strip()

    def texts(self, value: Any, path: str) -> tuple[str, ...] | None:
        """A list of free texts; blank items are dropped."""
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.c.add(path, f'phải là một danh sách văn bản, ví dụ ["…", "…"], nhưng đang là {describe(value)}.')
            return None
        return tuple(v.strip() for v in value if v.strip())

    def day(self, value: Any, path: str) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.c.add(path, f"phải là một ngày dạng 2024-07-01 nhưng đang là {describe(value)}.")
        return None

    def by_title(self, allowed: tuple[str, ...], lo: float, hi: float) -> typing.Callable[[Any, str], Any]:
        """A table keyed by title code ([money.coefficients], [council.thresholds])."""

        def read(value: Any, path: str) -> dict[str, Decimal] | None:
            table = self.c.table(value, path)
            if table is None:
                return None
            self.c.unknown_keys(table, allowed, path)
            out: dict[str, Decimal] = {}
            for code, raw in table.items():
                if code in allowed:
                    number = self.c.decimal(raw, f"{path}.{code}", minimum=lo, maximum=hi)
                    if number is not None:
                        out[code] = number
            return out

        return read

    # -- [awards] ------------------------------------------------------------------------------
    def awards(self) -> AwardsSettings:
        aw = _Table(self.c, self.merged.get("awards", _MISSING), "awards",
                    ("women_first", "leader_share_warning", "leader_share_cap", *_AWARDS_TABLES),
                    _AWARDS_TABLES)
        ru, ld, cs, gk, co, hi = (aw.sub(name, keys) for name, keys in _AWARDS_TABLES.items())
        share = self.decimal(0, 1)
        return AwardsSettings(
            women_first=aw.get("women_first", self.boolean),
            leader_share_warning=aw.get("leader_share_warning", share),
            rollup=RollupSettings(
                method=ru.get("method", self.choice(("mean", "weighted"))),
                weights=ru.get("weights", self.weights),
                initiatives=ru.get("initiatives", self.choice(("max", "sum"))),
                min_quarter_rating=ru.get("min_quarter_rating", self.rating(True)),
                min_quarters_ab=ru.get("min_quarters_ab", self.integer(0, 4)),
                require_last_quarter=ru.get("require_last_quarter", self.boolean),
            ),
            ldtt=LdttSettings(
                min_months=ld.get("min_months", self.integer(0, 12)),
                require_registration=ld.get("require_registration", self.boolean),
                absence_limit_days=ld.get("absence_limit_days", self.decimal(0, 366)),
            ),
            cstdcs_quota=self.quota(cs),
            giay_khen=GiayKhenSettings(
                enabled=gk.get("enabled", self.boolean),
                min_rating=gk.get("min_rating", self.rating(False)),
                achievements=gk.get("achievements", self.achievements),
                quota=self.quota(gk),
            ),
            collective=CollectiveSettings(
                min_ldtt_share=co.get("min_ldtt_share", share),
                members=co.get("members", self.choice(("rated", "all"))),
                rating=co.get("rating", self.choice(("council", "mean_band"))),
                ttldxs_min_cstdcs=co.get("ttldxs_min_cstdcs", self.integer(0, 1000)),
            ),
            higher=HigherSettings(
                enabled=hi.get("enabled", self.boolean),
                bang_khen_years=hi.get("bang_khen_years", self.integer(1, 10)),
                bang_khen_initiatives=hi.get("bang_khen_initiatives", self.integer(0, 10)),
                cstd_tinh_years=hi.get("cstd_tinh_years", self.integer(1, 10)),
                ttg_years=hi.get("ttg_years", self.integer(1, 20)),
                ttg_cstdcs=hi.get("ttg_cstdcs", self.integer(0, 20)),
            ),
            leader_share_cap=aw.get("leader_share_cap", self.by_title(_LEADER_CAP_TITLES, 0, 1)),
        )

    def quota(self, table: _Table) -> QuotaSettings:
        return QuotaSettings(
            share=table.get("quota_share", self.decimal(0, 1)),
            of=table.get("quota_of", self.choice(("ldtt", "members"))),
            by_department=table.get("quota_by_department", self.boolean),
        )

    def weights(self, value: Any, path: str) -> tuple[Decimal, ...] | None:
        if not isinstance(value, list) or len(value) != 4:
            self.c.add(path, "phải là danh sách 4 trọng số, một cho mỗi quý, ví dụ [1, 1, 1, 2].")
            return None
        out = [self.c.decimal(v, f"{path}[{i}]", minimum=0) for i, v in enumerate(value, 1)]
        if any(v is None for v in out):
            return None
        weights = tuple(v for v in out if v is not None)
        if sum(weights) == 0:
            self.c.add(path, "tổng các trọng số phải lớn hơn 0.")
            return None
        return weights

    def achievements(self, value: Any, path: str) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, 'phải là danh sách, ví dụ ["initiative", "research"].')
            return None
        out = [self.choice(ACHIEVEMENTS)(v, f"{path}[{i}]") for i, v in enumerate(value, 1)]
        # "initiative"/"research" spend an initiative on a Giấy khen: allowed, never the default
        # (issue 11 point 6), and never one a multi-year streak needs (core/eligibility.py).
        return None if any(v is None for v in out) else tuple(v for v in out if v is not None)

    # -- [money], [council] --------------------------------------------------------------------
    def money(self) -> MoneySettings:
        mo = _Table(self.c, self.merged.get("money", _MISSING), "money",
                    ("rounding_step", "linh", "nghin", "base_salary", "coefficients"))
        return MoneySettings(
            rounding_step=mo.get("rounding_step", self.rounding_step),
            base_salary=mo.get("base_salary", self.salary_table),
            coefficients=mo.get("coefficients", self.by_title((*TITLE_CODES, *_COLLECTIVE_CODES), 0, 100)),
            linh=mo.get("linh", self.choice(("linh", "lẻ"))),
            nghin=mo.get("nghin", self.choice(("nghìn", "ngàn"))),
        )

    def rounding_step(self, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or value not in _ROUNDING_STEPS:
            shown = ", ".join(str(o) for o in _ROUNDING_STEPS)
            self.c.add(path, f"chỉ nhận một trong: {shown} (đồng), nhưng đang là {describe(value)}.")
            return None
        return int(value)

    def salary_table(self, value: Any, path: str) -> tuple[BaseSalary, ...] | None:
        if not isinstance(value, list) or not value:
            self.c.add(path, 'phải là danh sách các dòng { from = 2024-07-01, amount = 2340000, basis = "…" }.')
            return None
        rows: list[BaseSalary] = []
        for i, row in enumerate(value, 1):
            t = _Table(self.c, row, f"{path}[{i}]", ("from", "amount", "basis"))
            rows.append(BaseSalary(
                valid_from=t.get("from", self.day),
                amount=t.get("amount", self.integer(1, 10**9)),
                basis=t.get("basis", lambda v, p: self.c.string(v, p)),
            ))
        if any(r.valid_from is None for r in rows):
            return None
        if len({r.valid_from for r in rows}) != len(rows):
            self.c.add(path, "có hai dòng cùng ngày bắt đầu.")
            return None
        return tuple(sorted(rows, key=lambda r: r.valid_from))

    def council(self) -> CouncilSettings:
        cu = _Table(self.c, self.merged.get("council", _MISSING), "council",
                    ("members", "above_half_strict", "thresholds"))
        return CouncilSettings(
            members=cu.get("members", self.integer(0, 1000)),
            thresholds=cu.get("thresholds", self.by_title(TITLE_CODES, 0, 1)),
            above_half_strict=cu.get("above_half_strict", self.boolean),
        )

    # -- [publish] -----------------------------------------------------------------------------
    def publish(self) -> PublishSettings:
        pu = _Table(self.c, self.merged.get("publish", _MISSING), "publish", ("comment_days",))
        return PublishSettings(comment_days=pu.get("comment_days", self.integer(1, 60)))

    # -- [union] (issue 17) ---------------------------------------------------------------------
    def union(self) -> UnionSettings:
        keys = tuple(f.name for f in dataclasses.fields(UnionSettings))
        un = _Table(self.c, self.merged.get("union", _MISSING), "union", keys)
        money = self.integer(0, 10**12)
        return UnionSettings(
            enabled=un.get("enabled", self.boolean),
            min_rating=un.get("min_rating", self.choice(_RATING_CODES)),
            max_leave_days=un.get("max_leave_days", self.integer(1, 366)),
            min_months=un.get("min_months", self.integer(0, 12)),
            discipline_excludes=un.get("discipline_excludes", self.boolean),
            creative_min_initiatives=un.get("creative_min_initiatives", self.integer(1, 100)),
            creative_benefit=un.get("creative_benefit", money),
            creative_three_years=un.get("creative_three_years", money),
        )

    # -- [documents] ---------------------------------------------------------------------------
    def documents(self) -> DocumentsSettings:
        texts = ("templates", "signer", "signer_title", "office_head", "regulation_basis",
                 "higher_recipient", "chair", "secretary", "meeting_place", "meeting_time",
                 "authority_basis")
        lists = ("extra_bases", "recipients", "tally_team")
        keys = tuple(f.name for f in dataclasses.fields(DocumentsSettings))
        doc = _Table(self.c, self.merged.get("documents", _MISSING), "documents", keys)
        values: dict[str, Any] = {}
        for key in keys:
            if key in texts:
                values[key] = doc.get(key, self.text)
            elif key in lists:
                values[key] = doc.get(key, self.texts)
        values["ballot_titles"] = doc.get("ballot_titles", self.ballot_titles)
        values["council_members"] = doc.get("council_members", self.council_members)
        values["name_order"] = doc.get("name_order", self.choice(tuple(NAME_ORDERS)))
        values["certificates"] = self.certificates(doc.sub("certificates", _CERT_KEYS))
        return DocumentsSettings(**values)

    def certificates(self, cert: _Table) -> CertificateSettings:
        """``[documents.certificates]``: the mode, the blank's size, the offsets, the fields."""
        mm = self.number_in(-1000, 1000)
        fields = cert.sub("fields", CERTIFICATE_FIELDS)
        placed: dict[str, CertificateField] = {}
        for name in CERTIFICATE_FIELDS:
            raw = fields.data.get(name) if fields.valid else None
            if raw is None:
                continue  # a line the blank has pre-printed (or the hospital leaves off)
            f = fields.sub(name, _FIELD_KEYS)
            if "enabled" in f.data and f.get("enabled", self.boolean) is not True:
                continue  # pre-printed on the blank (enabled = false)
            values = {key: f.get(key, conv) for key, conv in (
                ("x", self.number_in(0, 1000)), ("y", self.number_in(0, 1000)),
                ("width", self.number_in(1, 1000)), ("size", self.number_in(4, 96)))}
            extra = {key: f.get(key, self.boolean) for key in ("bold", "italic") if key in f.data}
            if "align" in f.data:
                extra["align"] = f.get("align", self.choice(("center", "left")))
            if all(v is not None for v in (*values.values(), *extra.values())):
                placed[name] = CertificateField(values["x"], values["y"], values["width"], values["size"],
                                                **extra)
        return CertificateSettings(
            mode=cert.get("mode", self.choice(("giay-trang", "phoi"))),
            page_width_mm=cert.get("page_width_mm", self.number_in(50, 1000)),
            page_height_mm=cert.get("page_height_mm", self.number_in(50, 1000)),
            offset_x_mm=cert.get("offset_x_mm", mm),
            offset_y_mm=cert.get("offset_y_mm", mm),
            fields=placed,
        )

    def number_in(self, lo: float, hi: float) -> typing.Callable[[Any, str], float | None]:
        return lambda value, path: self.c.number(value, path, minimum=lo, maximum=hi)

    def ballot_titles(self, value: Any, path: str) -> tuple[str, ...] | None:
        codes = self.texts(value, path)
        if codes is None:
            return None
        unknown = [c for c in codes if c not in TITLE_CODES]
        for c in unknown:
            hint = suggest_key(c, TITLE_CODES)
            tail = f' Có phải ý bạn là "{hint}"?' if hint else ""
            self.c.add(path, f'không có danh hiệu "{c}" (dùng mã: {", ".join(TITLE_CODES)}).{tail}')
        return None if unknown else codes

    def council_members(self, value: Any, path: str) -> tuple[CouncilMember, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, 'phải là danh sách, ví dụ [{ name = "Nguyễn Văn A", role = "Giám đốc – Chủ tịch Hội đồng" }].')
            return None
        members: list[CouncilMember] = []
        for i, item in enumerate(value, 1):
            where = f"{path}[{i}]"
            if isinstance(item, str) and item.strip():
                members.append(CouncilMember(item.strip()))
            elif isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"].strip():
                role = item.get("role", "")
                if set(item) - {"name", "role"} or not isinstance(role, str):
                    self.c.add(where, "chỉ có hai khoá name và role (văn bản).")
                    continue
                members.append(CouncilMember(item["name"].strip(), role.strip()))
            else:
                self.c.add(where, "cần họ tên (name) của thành viên.")
        return tuple(members)

    # -- [events] (issue 14) -------------------------------------------------------------------
    def events(self) -> EventSettings:
        ev = _Table(self.c, self.merged.get("events", _MISSING), "events",
                    ("violations", "bonuses", "severe_cap"))
        violations = ev.get("violations", lambda v, p: self.event_items(v, p, violation=True))
        bonuses = ev.get("bonuses", lambda v, p: self.event_items(v, p, violation=False))
        seen: dict[str, str] = {}
        for where, items in (("events.violations", violations), ("events.bonuses", bonuses)):
            for i, item in enumerate(items or (), 1):
                k = item.code.casefold()
                if k in seen:
                    self.c.add(f"{where}[{i}].code", f'mã "{item.code}" đã có ở {seen[k]}; mỗi mã '
                               "sự việc chỉ được khai một lần.")
                seen.setdefault(k, f"{where}[{i}]")
        return EventSettings(
            violations=violations or (),
            bonuses=bonuses or (),
            severe_cap=ev.get("severe_cap", self.rating(False)),
        )

    def event_items(self, value: Any, path: str, *, violation: bool) -> tuple[EventItem, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, 'phải là danh sách, ví dụ [{ code = "VP01", name = "…", points = [2, 4, 6] }].')
            return None
        keys = ("code", "name", "points", "severe") if violation else ("code", "name", "points")
        items: list[EventItem] = []
        for i, raw in enumerate(value, 1):
            t = _Table(self.c, raw, f"{path}[{i}]", keys)
            code = t.get("code", lambda v, p: self.c.string(v, p))
            name = t.get("name", lambda v, p: self.c.string(v, p))
            points = t.get("points", self.event_points)
            severe = (t.get("severe", self.boolean) if violation and "severe" in t.data else False)
            if code is not None and " " in code:
                self.c.add(f"{path}[{i}].code", f'"{code}" có dấu cách; mã sự việc viết liền, ví dụ "VP01".')
            elif code is not None and name is not None and points is not None:
                items.append(EventItem(code, name, points, bool(severe)))
        return tuple(items)

    def event_points(self, value: Any, path: str) -> tuple[float, ...] | None:
        if not isinstance(value, list) or not value:
            self.c.add(path, "phải là danh sách điểm theo lần xảy ra, ví dụ [2, 4, 6] hoặc [3].")
            return None
        out = [self.c.number(v, f"{path}[{i}]", above=0) for i, v in enumerate(value, 1)]
        return None if any(v is None for v in out) else tuple(v for v in out if v is not None)

    # -- [posts] (issue 14) --------------------------------------------------------------------
    def posts(self, common: tuple[Criterion, ...] | None) -> PostSettings | None:
        po = _Table(self.c, self.merged.get("posts", _MISSING), "posts", ("field", "groups"))
        field = po.get("field", self.choice(("position", "peer_group", "job_position")))
        groups = po.get("groups", lambda v, p: self.post_groups(v, p, common or ()))
        if field is None or groups is None:
            return None
        return PostSettings(field, groups)

    def post_groups(self, value: Any, path: str, common: tuple[Criterion, ...]
                    ) -> tuple[PostGroup, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, 'phải là danh sách nhóm vị trí, mỗi nhóm một khối [[posts.groups]].')
            return None
        common_codes = {c.code.casefold() for c in common}
        seen_positions: dict[str, str] = {}
        seen_codes: dict[str, str] = {}
        out: list[PostGroup] = []
        for i, raw in enumerate(value, 1):
            where = f"{path}[{i}]"
            t = _Table(self.c, raw, where, ("name", "positions", "drop", "criteria"))
            name = t.get("name", lambda v, p: self.c.string(v, p))
            positions = t.get("positions", lambda v, p: self.c.strings(v, p))
            drop = (t.get("drop", lambda v, p: self.c.strings(v, p, unique=True))
                    if "drop" in t.data else ())
            own = (t.get("criteria", self.post_criteria) if "criteria" in t.data else ())
            if name is None or positions is None or drop is None or own is None:
                continue
            for code in drop:
                if code.casefold() not in common_codes:
                    self.c.add(f"{where}.drop", f'không có tiêu chí chung mã "{code}" để bỏ.')
            for c in own:
                k = c.code.casefold()
                if k in common_codes or (k in seen_codes and seen_codes[k] != name):
                    self.c.add(f"{where}.criteria", f'mã tiêu chí "{c.code}" đã dùng ở '
                               f"{'tiêu chí chung' if k in common_codes else seen_codes[k]}; "
                               "tiêu chí riêng của nhóm cần mã riêng.")
                seen_codes[k] = name
            for pos in positions:
                k = vntext.key(pos)
                if k in seen_positions:
                    self.c.add(f"{where}.positions", f'vị trí "{pos}" đã thuộc nhóm '
                               f'"{seen_positions[k]}"; mỗi vị trí chỉ thuộc một nhóm.')
                seen_positions[k] = name
            out.append(PostGroup(name, positions, drop, own))
        return tuple(out)

    def post_criteria(self, value: Any, path: str) -> tuple[Criterion, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, 'phải là danh sách, ví dụ [{ code = "DD1", name = "…", group = "…", '
                       "max_points = 10 }].")
            return None
        out: list[Criterion] = []
        for i, raw in enumerate(value, 1):
            t = _Table(self.c, raw, f"{path}[{i}]", CRITERION_KEYS)
            code = t.get("code", lambda v, p: self.c.string(v, p))
            name = t.get("name", lambda v, p: self.c.string(v, p))
            group = t.get("group", lambda v, p: self.c.string(v, p))
            mx = t.get("max_points", lambda v, p: self.c.number(v, p, above=0))
            if None not in (code, name, group, mx):
                out.append(Criterion(code, name, group, mx))
        return tuple(out)
    # -- [kpi] ---------------------------------------------------------------------------------
    def kpi(self) -> KpiSettings:
        keys = tuple(f.name for f in dataclasses.fields(KpiSettings))
        kp = _Table(self.c, self.merged.get("kpi", _MISSING), "kpi", keys)
        share = self.decimal(0, 1)
        return KpiSettings(
            cap=kp.get("cap", self.decimal(1, 10)),
            higher_formula=kp.get("higher_formula", self.choice(("ratio",))),
            lower_formula=kp.get("lower_formula", self.choice(("inverse", "complement"))),
            band_formula=kp.get("band_formula", self.choice(("ratio", "all_or_nothing"))),
            missing_actual=kp.get("missing_actual", self.choice(("error", "zero", "skip"))),
            weights_not_100=kp.get("weights_not_100", self.choice(("warning", "error"))),
            manager_department_weight=kp.get("manager_department_weight", share),
            staff_department_weight=kp.get("staff_department_weight", share),
            hospital_owned_in_department=kp.get("hospital_owned_in_department", self.boolean),
            score_mode=kp.get("score_mode", self.choice(("criterion", "total"))),
            score_criterion=kp.get("score_criterion", lambda v, p: self.c.string(v, p)),
            decimals=kp.get("decimals", self.integer(0, 4)),
        )

    # -- [income] (thidua income, issue 16) ------------------------------------------------------
    def income(self) -> IncomeSettings:
        inc = _Table(self.c, self.merged.get("income", _MISSING), "income", _INCOME_KEYS,
                     {"ceiling": ("autonomy_group", "max_multiple", "basis")})
        ce = inc.sub("ceiling", ("autonomy_group", "max_multiple", "basis"))

        def choices(options: tuple[str, ...]) -> typing.Callable[[Any, str], tuple[str, ...] | None]:
            def read(value: Any, path: str) -> tuple[str, ...] | None:
                items = self.c.strings(value, path)
                if items is None:
                    return None
                out = [self.choice(options)(v, f"{path}[{i}]") for i, v in enumerate(items, 1)]
                return None if any(v is None for v in out) else tuple(v for v in out if v)
            return read

        def grades(value: Any, path: str) -> dict[str, Decimal] | None:
            table = self.c.table(value, path, example='viết A = 1.2, B = 1.0 … trong mục [income.grades]')
            if table is None:
                return None
            out: dict[str, Decimal] = {}
            for letter, raw in table.items():
                if not _GRADE_LETTER.match(letter):
                    self.c.add(f"{path}.{letter}", "loại phải viết bằng chữ in hoa không dấu (A, B, C, D, A1 …).")
                    continue
                number = self.c.decimal(raw, f"{path}.{letter}", minimum=0, maximum=10)
                if number is not None:
                    out[letter] = number
            if not table:
                self.c.add(path, "cần ít nhất một loại, ví dụ A = 1.2.")
                return None
            return out

        def rating_grades(value: Any, path: str) -> dict[str, str] | None:
            table = self.c.table(value, path)
            if table is None:
                return None
            allowed = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
            self.c.unknown_keys(table, allowed, path)
            out = {code: letter for code in allowed
                   if (letter := self.c.string(table.get(code, ""), f"{path}.{code}")) is not None}
            return out if len(out) == len(allowed) else None

        settings = IncomeSettings(
            basis=inc.get("basis", self.choice(INCOME_BASES)),
            mix_salary_weight=inc.get("mix_salary_weight", self.decimal(0, 1)),
            grades=inc.get("grades", grades),
            rating_grades=inc.get("rating_grades", rating_grades),
            exclude=inc.get("exclude", choices(INCOME_EXCLUDE)),
            maternity=inc.get("maternity", self.choice(("none", "worked"))),
            paid_leave=inc.get("paid_leave", choices(INCOME_LEAVE_KINDS)),
            standard_days=inc.get("standard_days", self.integer(0, 366)),
            rounding_step=inc.get("rounding_step", self.rounding_step),
            remainder=inc.get("remainder", self.choice(INCOME_REMAINDERS)),
            ceiling=IncomeCeiling(
                autonomy_group=ce.get("autonomy_group", self.integer(0, 4)),
                max_multiple=ce.get("max_multiple", self.decimal(0, 100)),
                basis=ce.get("basis", self.text),
            ),
        )
        if isinstance(settings.grades, dict) and isinstance(settings.rating_grades, dict):
            for code, letter in settings.rating_grades.items():
                if letter not in settings.grades:
                    self.c.add(f"income.rating_grades.{code}",
                             f'loại "{letter}" không có trong [income.grades] ({", ".join(settings.grades)}).')
        return settings

    # -- [cluster] (thidua cluster) ------------------------------------------------------------
    def cluster(self) -> ClusterSettings:
        keys = tuple(f.name for f in dataclasses.fields(ClusterSettings))
        cl = _Table(self.c, self.merged.get("cluster", _MISSING), "cluster", keys)
        share = self.decimal(0, 1)
        return ClusterSettings(
            tolerance=cl.get("tolerance", self.decimal(0, None)),
            flag_conditions=cl.get("flag_conditions", self.cluster_conditions),
            flag_vote_share=cl.get("flag_vote_share", share),
            bang_khen_slots=cl.get("bang_khen_slots", self.integer(1, 2)),
            bang_khen_vote_share=cl.get("bang_khen_vote_share", share),
            leader_share_max=cl.get("leader_share_max", share),
            rotation=cl.get("rotation", self.choice(CLUSTER_ROTATIONS)),
            items=cl.get("items", self.cluster_items),
        )

    def cluster_items(self, value: Any, path: str) -> tuple[ClusterItem, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, 'phải là danh sách, ví dụ [{ code = "CM1", name = "…", group = "…", '
                             'max = 20 }].')
            return None
        items: list[ClusterItem] = []
        seen: set[str] = set()
        for i, row in enumerate(value, 1):
            t = _Table(self.c, row, f"{path}[{i}]", ("code", "name", "group", "max", "kind"))
            code = t.get("code", self.text)
            name = t.get("name", self.text)
            maximum = t.get("max", self.decimal(0.01, None))
            group = self.text(t.raw("group"), f"{path}[{i}].group") if "group" in t.data else ""
            kind = (self.choice(CLUSTER_ITEM_KINDS)(t.raw("kind"), f"{path}[{i}].kind")
                    if "kind" in t.data else "criterion")
            if code and code.casefold() in seen:
                self.c.add(f"{path}[{i}].code", f'mã "{code}" có hai lần.')
            elif code and name and maximum is not None and group is not None and kind:
                seen.add(code.casefold())
                items.append(ClusterItem(code, name, group, maximum, kind))
        return tuple(items)

    def cluster_conditions(self, value: Any, path: str) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.c.add(path, f'phải là danh sách, ví dụ {list(CLUSTER_CONDITIONS)}.'.replace("'", '"'))
            return None
        out = [self.choice(CLUSTER_CONDITIONS)(v, f"{path}[{i}]") for i, v in enumerate(value, 1)]
        return None if any(v is None for v in out) else tuple(v for v in out if v is not None)
