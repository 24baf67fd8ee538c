"""The register of initiatives and research (sổ sáng kiến, đề tài): what one is, the rules a
row must meet, the counts a report shows, and the per-person supply the awards stage spends.

- An initiative is recognised at a level (cơ sở / ngành / tỉnh / toàn quốc) by a decision, and
  supports the award of the years ``year_from`` … ``year_to`` (usually the year recognised).
- Its authors share it; the shares, when written, add up to 100 % (a register whose shares
  do not add up cannot say whose contribution is whose).
- Each author may rest one award on it, once (CV 5007/BNV-TĐKT: an initiative is the basis of
  one award only): the awards stage takes it from the person's supply (:func:`supply`), which
  the eligibility Wallet consumes unchanged, oldest year first.

Pure module: no file, no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from thidua_cli.core import vntext

# Levels, lowest first (the order the lists and the counts show them in).
LEVELS: tuple[tuple[str, str], ...] = (
    ("co-so", "Cấp cơ sở"),
    ("nganh", "Cấp ngành"),
    ("tinh", "Cấp tỉnh"),
    ("toan-quoc", "Toàn quốc"),
)
LEVEL_LABEL = dict(LEVELS)
_LEVEL_WORDS: dict[str, str] = {
    "coso": "co-so", "capcoso": "co-so", "bv": "co-so", "benhvien": "co-so", "capbenhvien": "co-so",
    "capdonvi": "co-so", "donvi": "co-so",
    "nganh": "nganh", "capnganh": "nganh", "capbo": "nganh", "bo": "nganh", "capso": "nganh",
    "so": "nganh", "capthanhpho": "nganh", "thanhpho": "nganh", "capnganhthanhpho": "nganh",
    "tinh": "tinh", "captinh": "tinh",
    "toanquoc": "toan-quoc", "captoanquoc": "toan-quoc", "quocgia": "toan-quoc",
    "capquocgia": "toan-quoc", "capnhanuoc": "toan-quoc", "nhanuoc": "toan-quoc",
}
KINDS: dict[str, str] = {"sang-kien": "Sáng kiến", "de-tai": "Đề tài NCKH"}
HUNDRED = Decimal(100)


def parse_level(text: str) -> str | None:
    """The level code of "Cấp cơ sở", "cơ sở", "Cấp ngành/thành phố", "tỉnh" …; None if unknown."""
    return _LEVEL_WORDS.get(vntext.compact(text).replace("/", ""))


def parse_kind(text: str) -> str | None:
    """"Sáng kiến" / "SK" → sang-kien; "Đề tài", "Đề tài NCKH", "NCKH" → de-tai; blank → sang-kien."""
    k = vntext.compact(text)
    if not k or k in ("sangkien", "sk", "giaiphap", "sangkiengiaiphap"):
        return "sang-kien"
    if k.startswith("detai") or k in ("nckh", "nghiencuu", "nghiencuukhoahoc"):
        return "de-tai"
    return None


@dataclass(frozen=True)
class Author:
    name: str
    staff_id: str = ""
    share: Decimal | None = None  # per cent; None when the register does not say
    used_by: str = ""  # the award resting on this author's part, as the dossier names it
    used_year: int | None = None  # the year of that award


@dataclass(frozen=True)
class Initiative:
    title: str
    level: str  # a LEVELS code
    year_from: int
    year_to: int
    authors: tuple[Author, ...]
    kind: str = "sang-kien"
    code: str = ""  # the hospital's number for it ("SK-2025-07"), if any
    department: str = ""
    union_group: str = ""  # tổ công đoàn
    decision_number: str = ""
    decision_date: date | None = None
    decision_body: str = ""  # who recognised it (Hội đồng KHKT bệnh viện, Sở Y tế …)
    scope: str = ""  # phạm vi ảnh hưởng
    benefit: int | None = None  # giá trị làm lợi, đồng
    id: int | None = None  # the register's row, once stored

    @property
    def key(self) -> tuple[str, int]:
        """Two rows are the same initiative when their titles match (case, accents and spacing
        aside) in the same year."""
        return identity(self.title, self.year_from)

    @property
    def level_label(self) -> str:
        return LEVEL_LABEL[self.level]

    @property
    def used(self) -> bool:
        return all(a.used_by for a in self.authors)

    def supports(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to


def identity(title: str, year: int) -> tuple[str, int]:
    return vntext.compact(title), year


def shares_total(authors: Sequence[Author]) -> Decimal | None:
    """The sum of the written shares; None when no share is written (a single author, or a
    register that does not keep them). Some written and some blank is the caller's finding."""
    written = [a.share for a in authors if a.share is not None]
    return sum(written, Decimal(0)) if written else None


def shares_problem(authors: Sequence[Author]) -> str | None:
    """Why the shares of one initiative are wrong, in Vietnamese; None when they are right:
    all blank, or all written and adding to exactly 100 %."""
    written = [a.share for a in authors if a.share is not None]
    if not written:
        return None
    if len(written) != len(authors):
        return f"có {len(authors) - len(written)}/{len(authors)} tác giả chưa ghi tỷ lệ"
    total = sum(written, Decimal(0))
    if total != HUNDRED:
        parts = " + ".join(_pct(s) for s in written)
        return f"{parts} = {_pct(total)}, không phải 100%"
    return None


def _pct(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") + "%"


# --------------------------------------------------------------------------------------------
# Filters and counts (thidua initiatives list / export)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    year: int | None = None
    department: str = ""
    level: str | None = None
    unused: bool = False

    def keeps(self, item: Initiative) -> bool:
        if self.year is not None and not item.supports(self.year):
            return False
        if self.department and vntext.key(item.department) != vntext.key(self.department):
            return False
        if self.level is not None and item.level != self.level:
            return False
        return not (self.unused and item.used)


def select(items: Iterable[Initiative], where: Filter) -> list[Initiative]:
    return [i for i in items if where.keeps(i)]


@dataclass(frozen=True)
class Counts:
    """Initiatives per group (department, union group or year), by level, for the report."""

    by: str  # "department" | "union_group" | "year"
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # (group, count per LEVELS, total)
    total: tuple[int, ...] = field(default=())


def counts(items: Sequence[Initiative], by: str) -> Counts:
    """How many initiatives each department, union group or year has, per level. A group
    blank in the register shows as "(chưa ghi)"."""
    table: dict[str, Counter[str]] = {}
    for item in items:
        group = str(item.year_from) if by == "year" else getattr(item, by) or "(chưa ghi)"
        table.setdefault(group, Counter())[item.level] += 1
    order = sorted(table) if by == "year" else sorted(table, key=vntext.key)
    rows = tuple(
        (g, tuple(table[g][code] for code, _ in LEVELS), sum(table[g].values())) for g in order
    )
    total = (*tuple(sum(r[1][i] for r in rows) for i in range(len(LEVELS))), len(items))
    return Counts(by, rows, total)


# --------------------------------------------------------------------------------------------
# The awards stage's supply
# --------------------------------------------------------------------------------------------


def free(author: Author, before: int | None) -> bool:
    """Whether an author's part may still be spent deciding year ``before``: unused, or used
    by an award of that year or later (deciding the year again takes it afresh, as the
    ledger's history does: a rerun after ``ledger record`` gives the same result)."""
    if not author.used_by:
        return True
    return before is not None and author.used_year is not None and author.used_year >= before


def wallet_year(item: Initiative, year: int) -> int:
    """The year an initiative counts in when deciding ``year``: the last year it supports up
    to then (one recognised in December 2025 "for 2025–2026" counts for 2026's CSTĐCS)."""
    return min(item.year_to, year)


def supply(items: Iterable[Initiative], staff_id: str, year: int) -> dict[int, int]:
    """How many initiatives ``staff_id`` may still rest an award on when deciding ``year``,
    per year (:func:`wallet_year`): what the eligibility Wallet takes, oldest first."""
    out: dict[int, int] = {}
    for item in items:
        if item.year_from > year:
            continue
        if any(a.staff_id == staff_id and free(a, year) for a in item.authors):
            y = wallet_year(item, year)
            out[y] = out.get(y, 0) + 1
    return out


class Register:
    """The register as the awards stage reads it: the initiatives, indexed by author (a
    hospital's register × its staff would otherwise be scanned once per person and title)."""

    def __init__(self, items: Iterable[Initiative]) -> None:
        self.items = tuple(items)
        index: dict[str, list[Initiative]] = {}
        for item in self.items:
            for sid in dict.fromkeys(a.staff_id for a in item.authors if a.staff_id):
                index.setdefault(sid, []).append(item)
        self._by_author = {k: tuple(v) for k, v in index.items()}
        self._spans = frozenset((i.year_from, i.year_to) for i in self.items)

    def of(self, staff_id: str) -> tuple[Initiative, ...]:
        return self._by_author.get(staff_id, ())

    def covered(self, year: int) -> set[int]:
        """The years (as :func:`wallet_year` counts them deciding ``year``) the register holds
        any initiative for. A hospital that starts its register in 2026 keeps the counts of
        earlier years in the ledger (``ledger import``, column "Sáng kiến"); those years still
        come from there, the covered ones from the register only."""
        return {min(to, year) for start, to in self._spans if start <= year}

    def __len__(self) -> int:
        return len(self.items)


def register_supply(register: Register, staff_id: str, year: int, current: int,
                    past: dict[int, int]) -> tuple[int, dict[int, int]]:
    """The Wallet's (this year, past years) with the years the register covers taken from it,
    the others as the sheets and the ledger's counts gave them (``current``, ``past``)."""
    have = supply(register.of(staff_id), staff_id, year)
    years = register.covered(year)
    merged = {y: n for y, n in past.items() if y not in years}
    merged.update({y: n for y, n in have.items() if y < year})
    return (have.get(year, 0) if year in years else current), merged


def year_counts(register: Register, staff_id: str, year: int) -> tuple[int, int] | None:
    """(initiatives, research) of the person's ``year`` in the register (used or not), in
    place of the sheets' "Sáng kiến" and "Đề tài" columns (what the titles' conditions read);
    None when the register holds nothing for that year (the sheets' counts stand)."""
    if year not in register.covered(year):
        return None
    mine = [i for i in register.of(staff_id) if i.year_from <= year and wallet_year(i, year) == year]
    return (sum(1 for i in mine if i.kind == "sang-kien"),
            sum(1 for i in mine if i.kind == "de-tai"))


def pick(items: Sequence[Initiative], staff_id: str, year: int,
         taken: Sequence[tuple[int, int]], spent: set[tuple[int | None, str]], *,
         higher: bool = False) -> list[Initiative]:
    """The initiatives behind what the Wallet took from a person deciding ``year`` ((year,
    count) pairs). A proposal to a higher level takes the highest level first (CSTĐ cấp tỉnh
    needs one whose reach is the ministry, sector or province: Luật TĐKT Điều 22); an award of
    the hospital the lowest first, leaving the higher ones for the higher awards; then the
    register's order, so the same register always names the same ones. ``spent`` (initiative
    id, staff ID) grows with what is picked: one part, one award."""
    out: list[Initiative] = []
    rank = {code: i for i, (code, _) in enumerate(LEVELS)}
    sign = -1 if higher else 1
    for y, count in taken:
        mine = [i for i in items if i.year_from <= year and wallet_year(i, year) == y
                and (i.id, staff_id) not in spent
                and any(a.staff_id == staff_id and free(a, year) for a in i.authors)]
        mine.sort(key=lambda i: (sign * rank[i.level], i.id or 0, vntext.key(i.title)))
        for i in mine[:count]:
            spent.add((i.id, staff_id))
            out.append(i)
    return out


def citation(item: Initiative) -> str:
    """How a dossier names an initiative: «title» (cấp …, QĐ số … ngày …)."""
    parts = [item.level_label.lower()]
    if item.decision_number:
        when = f" ngày {item.decision_date:%d/%m/%Y}" if item.decision_date else ""
        parts.append(f"QĐ {item.decision_number}{when}")
    return f"«{item.title}» ({', '.join(parts)})"
