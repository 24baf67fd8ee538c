"""The hospital's own award settings: the ``[awards]``, ``[money]`` and ``[council]`` tables of the
regulation (quy chế), validated loudly.

The values live in the shipped default TOML (``data/quy-che-mac-dinh.toml``, the one source of
truth); the regulation loader merges the user's file over it and keeps these tables as parsed
mappings in ``Regulation.extra``. This module turns them into typed settings. Every problem names
its key (``awards.ldtt.min_months``), unknown keys get a "did you mean", and all problems are
raised together as one :class:`RegulationError` (exit 3). Pure module.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from thidua_cli.core.rulesets import TITLE_CODES, BaseSalary
from thidua_cli.errors import RegulationError
from thidua_cli.model import Rating, Regulation

SECTIONS = ("awards", "money", "council")
_RATING_CODES = ("HTXSNV", "HTTNV", "HTNV")
ACHIEVEMENTS = ("htxsnv", "initiative", "research")


@dataclass(frozen=True)
class RollupSettings:
    method: str  # "mean" | "weighted"
    weights: tuple[Decimal, ...]  # one per quarter (1–4), used when method = "weighted"
    initiatives: str  # "max" | "sum": how quarterly "Sáng kiến" counts add up to the year
    min_quarter_rating: Rating | None  # e.g. HTTNV: "no quarter below B" (LĐTT condition)
    min_quarters_ab: int  # at least N quarters rated A or B (LĐTT condition); 0 = off
    require_last_quarter: bool  # not in the last quarter's list (left, moved) → no title


@dataclass(frozen=True)
class QuotaSettings:
    share: Decimal  # 0 = no quota
    of: str  # "ldtt" (count of LĐTT) | "members" (headcount)
    by_department: bool  # allocate the hospital quota to departments (largest remainder)

    @property
    def enabled(self) -> bool:
        return self.share > 0


@dataclass(frozen=True)
class LdttSettings:
    min_months: int  # since recruitment (TT 01/2024/TT-BNV: 6; ND 91/2017: 10)
    require_registration: bool
    absence_limit_days: Decimal  # internal rule: absent ≥ this many working days → no LĐTT; 0 = off


@dataclass(frozen=True)
class GiayKhenSettings:
    enabled: bool
    min_rating: Rating
    achievements: tuple[str, ...]  # one of these is needed; () = the rating alone suffices
    quota: QuotaSettings


@dataclass(frozen=True)
class CollectiveSettings:
    min_ldtt_share: Decimal  # 0.70 (Luật Điều 27, 28)
    members: str  # "rated": not-rated members are left out of the shares | "all"
    rating: str  # "council": the collective's task completion is confirmed by the council |
    #             "mean_band": the department's mean score read through the rating bands
    ttldxs_min_cstdcs: int


@dataclass(frozen=True)
class HigherSettings:
    enabled: bool
    bang_khen_years: int  # consecutive CSTĐCS (or HTXSNV) years: 2
    bang_khen_initiatives: int  # initiatives in those years, not used for other awards: 2
    cstd_tinh_years: int  # consecutive CSTĐCS years: 3
    ttg_years: int  # consecutive years ≥ HTTNV after a Bằng khen: 5
    ttg_cstdcs: int  # CSTĐCS titles within them: 3


@dataclass(frozen=True)
class MoneySettings:
    rounding_step: int
    base_salary: tuple[BaseSalary, ...]
    coefficients: Mapping[str, Decimal]  # "GIAY_KHEN", "BANG_KHEN_TINH.collective" → override
    linh: str
    nghin: str


@dataclass(frozen=True)
class CouncilSettings:
    members: int  # 0 = from the votes file
    thresholds: Mapping[str, Decimal]  # title code → share of ALL members voting for
    above_half_strict: bool  # a threshold of exactly 0.5 means "more than half" (quá bán)


@dataclass(frozen=True)
class AwardsSettings:
    women_first: bool
    leader_share_warning: Decimal  # warn when leaders' share of awarded people exceeds it; 0 = off
    rollup: RollupSettings
    ldtt: LdttSettings
    cstdcs_quota: QuotaSettings
    giay_khen: GiayKhenSettings
    collective: CollectiveSettings
    higher: HigherSettings
    money: MoneySettings
    council: CouncilSettings

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view for the log sheet and the JSON (stable keys)."""
        from dataclasses import asdict

        def conv(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, (date, datetime)):
                return value.isoformat()
            if isinstance(value, Rating):
                return value.value
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [conv(v) for v in value]
            return value

        result: dict[str, Any] = conv(asdict(self))
        return result


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

T = TypeVar("T")


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, key: str, text: str) -> None:
        self.items.append(f"- tệp {self.source}, khoá `{key}`: {text}")

    def raise_if_any(self) -> None:
        if self.items:
            raise RegulationError(
                "Quy chế có lỗi ở phần xét danh hiệu, tiền thưởng, Hội đồng:\n"
                + "\n".join(self.items)
                + "\nHãy sửa các khoá trên trong tệp quy chế (xem README, mục \"Xét danh hiệu\")."
            )


class _Table:
    """Reads one TOML table: every key must be known; missing keys are reported."""

    def __init__(self, problems: _Problems, data: Any, path: str, keys: tuple[str, ...]) -> None:
        self.p = problems
        self.path = path
        self.keys = keys
        if not isinstance(data, Mapping):
            problems.add(path, f"phải là một bảng [{path}], không phải {_shown(data)}")
            data = {}
        self.data: Mapping[str, Any] = data
        for k in data:
            if k not in keys:
                close = difflib.get_close_matches(str(k), list(keys), n=1, cutoff=0.5)
                hint = f" Có phải ý bạn là `{path}.{close[0]}`?" if close else ""
                allowed = ", ".join(keys)
                problems.add(f"{path}.{k}", f"khoá không có trong quy chế.{hint} (các khoá hợp lệ: {allowed})")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}"

    def get(self, name: str, parse: Callable[[Any, str], T], fallback: T) -> T:
        if name not in self.data:
            self.p.add(self.key(name), "thiếu khoá này (tệp quy chế mặc định phải có nó).")
            return fallback
        try:
            return parse(self.data[name], self.key(name))
        except _Bad as exc:
            self.p.add(self.key(name), str(exc))
            return fallback

    def sub(self, name: str, keys: tuple[str, ...]) -> _Table:
        return _Table(self.p, self.data.get(name, {}), self.key(name), keys)


class _Bad(Exception):
    pass


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"chuỗi \"{value}\""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"phải là true hoặc false, không phải {_shown(value)}.")
    return value


def _int(lo: int, hi: int) -> Callable[[Any, str], int]:
    def parse(value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"phải là số nguyên từ {lo} đến {hi}, không phải {_shown(value)}.")
        if not lo <= value <= hi:
            raise _Bad(f"là {value}, ngoài khoảng cho phép {lo}–{hi}.")
        return value

    return parse


def _decimal(lo: Decimal, hi: Decimal | None, what: str = "số") -> Callable[[Any, str], Decimal]:
    def parse(value: Any, key: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise _Bad(f"phải là {what}, không phải {_shown(value)}.")
        try:
            # str() of a TOML float is its shortest repr: 0.8 → "0.8", exact in Decimal.
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise _Bad(f"\"{value}\" không phải là số (dùng dấu chấm: 0.8).") from exc
        if not number.is_finite() or number < lo or (hi is not None and number > hi):
            bound = f"từ {lo} đến {hi}" if hi is not None else f"từ {lo} trở lên"
            raise _Bad(f"là {value}, phải {bound}.")
        return number

    return parse


def _choice(options: tuple[str, ...]) -> Callable[[Any, str], str]:
    def parse(value: Any, key: str) -> str:
        if not isinstance(value, str) or value not in options:
            close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.5)
            hint = f" Có phải ý bạn là \"{close[0]}\"?" if close else ""
            shown = ", ".join(f'"{o}"' for o in options)
            raise _Bad(f"là {_shown(value)}; chỉ nhận một trong: {shown}.{hint}")
        return value

    return parse


def _rating(allow_none: bool) -> Callable[[Any, str], Rating | None]:
    def parse(value: Any, key: str) -> Rating | None:
        if allow_none and value == "":
            return None
        options = (("",) if allow_none else ()) + _RATING_CODES
        return Rating(_choice(options)(value, key))

    return parse


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"phải là một chuỗi chữ, không phải {_shown(value)}.")
    return value.strip()


def _date(value: Any, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Bad(f"phải là ngày dạng 2024-07-01, không phải {_shown(value)}.")


def parse_awards_settings(extra: Mapping[str, Any], source: str = "quy chế") -> AwardsSettings:
    """Typed settings from ``Regulation.extra``; RegulationError listing every problem."""
    p = _Problems(source)
    aw = _Table(p, extra.get("awards", {}), "awards",
                ("women_first", "leader_share_warning", "rollup", "ldtt", "cstdcs", "giay_khen",
                 "collective", "higher"))
    women_first = aw.get("women_first", _bool, False)
    leader_share = aw.get("leader_share_warning", _decimal(Decimal(0), Decimal(1), "tỷ lệ"), Decimal(0))

    ru = aw.sub("rollup", ("method", "weights", "initiatives", "min_quarter_rating",
                           "min_quarters_ab", "require_last_quarter"))

    def weights(value: Any, key: str) -> tuple[Decimal, ...]:
        if not isinstance(value, list) or len(value) != 4:
            raise _Bad("phải là danh sách 4 trọng số, một cho mỗi quý, ví dụ [1, 1, 1, 2].")
        out = tuple(_decimal(Decimal(0), None, "số không âm")(v, key) for v in value)
        if sum(out) == 0:
            raise _Bad("tổng các trọng số phải lớn hơn 0.")
        return out

    rollup = RollupSettings(
        method=ru.get("method", _choice(("mean", "weighted")), "mean"),
        weights=ru.get("weights", weights, (Decimal(1),) * 4),
        initiatives=ru.get("initiatives", _choice(("max", "sum")), "max"),
        min_quarter_rating=ru.get("min_quarter_rating", _rating(True), None),
        min_quarters_ab=ru.get("min_quarters_ab", _int(0, 4), 0),
        require_last_quarter=ru.get("require_last_quarter", _bool, True),
    )

    ld = aw.sub("ldtt", ("min_months", "require_registration", "absence_limit_days"))
    ldtt = LdttSettings(
        min_months=ld.get("min_months", _int(0, 12), 6),
        require_registration=ld.get("require_registration", _bool, False),
        absence_limit_days=ld.get("absence_limit_days", _decimal(Decimal(0), Decimal(366)), Decimal(0)),
    )

    def quota(table: _Table) -> QuotaSettings:
        return QuotaSettings(
            share=table.get("quota_share", _decimal(Decimal(0), Decimal(1), "tỷ lệ"), Decimal(0)),
            of=table.get("quota_of", _choice(("ldtt", "members")), "ldtt"),
            by_department=table.get("quota_by_department", _bool, False),
        )

    cs = aw.sub("cstdcs", ("quota_share", "quota_of", "quota_by_department"))
    cstdcs_quota = quota(cs)

    gk = aw.sub("giay_khen", ("enabled", "min_rating", "achievements", "quota_share", "quota_of",
                              "quota_by_department"))

    def achievements(value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise _Bad("phải là danh sách, ví dụ [\"initiative\", \"research\"].")
        return tuple(_choice(ACHIEVEMENTS)(v, key) for v in value)

    fallback: Rating | None = Rating.HTTNV
    min_rating = gk.get("min_rating", _rating(False), fallback)
    giay_khen = GiayKhenSettings(
        enabled=gk.get("enabled", _bool, True),
        min_rating=min_rating or Rating.HTTNV,
        achievements=gk.get("achievements", achievements, ("initiative", "research")),
        quota=quota(gk),
    )

    co = aw.sub("collective", ("min_ldtt_share", "members", "rating", "ttldxs_min_cstdcs"))
    collective = CollectiveSettings(
        min_ldtt_share=co.get("min_ldtt_share", _decimal(Decimal(0), Decimal(1), "tỷ lệ"), Decimal("0.7")),
        members=co.get("members", _choice(("rated", "all")), "rated"),
        rating=co.get("rating", _choice(("council", "mean_band")), "council"),
        ttldxs_min_cstdcs=co.get("ttldxs_min_cstdcs", _int(0, 1000), 1),
    )

    hi = aw.sub("higher", ("enabled", "bang_khen_years", "bang_khen_initiatives", "cstd_tinh_years",
                           "ttg_years", "ttg_cstdcs"))
    higher = HigherSettings(
        enabled=hi.get("enabled", _bool, True),
        bang_khen_years=hi.get("bang_khen_years", _int(1, 10), 2),
        bang_khen_initiatives=hi.get("bang_khen_initiatives", _int(0, 10), 2),
        cstd_tinh_years=hi.get("cstd_tinh_years", _int(1, 10), 3),
        ttg_years=hi.get("ttg_years", _int(1, 20), 5),
        ttg_cstdcs=hi.get("ttg_cstdcs", _int(0, 20), 3),
    )

    mo = _Table(p, extra.get("money", {}), "money",
                ("rounding_step", "linh", "nghin", "base_salary", "coefficients"))

    def salary_table(value: Any, key: str) -> tuple[BaseSalary, ...]:
        if not isinstance(value, list) or not value:
            raise _Bad("phải là danh sách các dòng { from = 2024-07-01, amount = 2340000, basis = \"…\" }.")
        rows: list[BaseSalary] = []
        for i, row in enumerate(value):
            t = _Table(p, row, f"{key}[{i}]", ("from", "amount", "basis"))
            rows.append(BaseSalary(
                valid_from=t.get("from", _date, date(2024, 7, 1)),
                amount=t.get("amount", _int(1, 10**9), 1),
                basis=t.get("basis", _text, ""),
            ))
        if len({r.valid_from for r in rows}) != len(rows):
            raise _Bad("có hai dòng cùng ngày bắt đầu.")
        return tuple(sorted(rows, key=lambda r: r.valid_from))

    coefficients = _by_title(
        p, [*TITLE_CODES, *(f"{c}.collective" for c in ("GIAY_KHEN", "BANG_KHEN_TINH", "BANG_KHEN_TTG"))],
        _decimal(Decimal(0), Decimal(100), "hệ số"), 'GIAY_KHEN = "0.3"')
    money = MoneySettings(
        rounding_step=mo.get("rounding_step", _choice_int((1, 1_000, 10_000)), 10_000),
        base_salary=mo.get("base_salary", salary_table, ()),
        coefficients=mo.get("coefficients", coefficients, {}),
        linh=mo.get("linh", _choice(("linh", "lẻ")), "linh"),
        nghin=mo.get("nghin", _choice(("nghìn", "ngàn")), "nghìn"),
    )

    cu = _Table(p, extra.get("council", {}), "council", ("members", "above_half_strict", "thresholds"))

    thresholds = _by_title(p, TITLE_CODES, _decimal(Decimal(0), Decimal(1), "tỷ lệ"),
                           "CSTDCS = 0.8")
    council = CouncilSettings(
        members=cu.get("members", _int(0, 1000), 0),
        thresholds=cu.get("thresholds", thresholds, {}),
        above_half_strict=cu.get("above_half_strict", _bool, True),
    )
    p.raise_if_any()
    return AwardsSettings(
        women_first=women_first,
        leader_share_warning=leader_share,
        rollup=rollup,
        ldtt=ldtt,
        cstdcs_quota=cstdcs_quota,
        giay_khen=giay_khen,
        collective=collective,
        higher=higher,
        money=money,
        council=council,
    )


def _by_title(problems: _Problems, allowed: Sequence[str], parse: Callable[[Any, str], Decimal],
              example: str) -> Callable[[Any, str], dict[str, Decimal]]:
    """A table keyed by title code ([money.coefficients], [council.thresholds]): each unknown
    code is reported with a suggestion, each value parsed on its own."""

    def read(value: Any, key: str) -> dict[str, Decimal]:
        if not isinstance(value, Mapping):
            raise _Bad(f"phải là một bảng [{key}], ví dụ {example}.")
        out: dict[str, Decimal] = {}
        for code, raw in value.items():
            path = f"{key}.{code}"
            if code not in allowed:
                close = difflib.get_close_matches(str(code), list(allowed), n=1, cutoff=0.5)
                hint = f" Có phải ý bạn là `{close[0]}`?" if close else ""
                problems.add(path, f"không có danh hiệu này.{hint}")
                continue
            try:
                out[code] = parse(raw, path)
            except _Bad as exc:
                problems.add(path, str(exc))
        return out

    return read


def _choice_int(options: tuple[int, ...]) -> Callable[[Any, str], int]:
    def parse(value: Any, key: str) -> int:
        if isinstance(value, bool) or value not in options:
            shown = ", ".join(str(o) for o in options)
            raise _Bad(f"là {_shown(value)}; chỉ nhận một trong: {shown} (đồng).")
        return int(value)

    return parse


def awards_settings(regulation: Regulation) -> AwardsSettings:
    return parse_awards_settings(regulation.extra, regulation.source)
