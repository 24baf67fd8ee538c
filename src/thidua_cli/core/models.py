"""The register of exemplary models (điển hình tiên tiến, issue 17): who (a person or a
collective), the model, the criteria met, the year, and where it was replicated with what
result; what a yearly report of models and their replication counts.

- A model is the same when its year, kind, name and model text match (case, accents and
  spacing aside): a second sheet row, or a later import, naming it adds replications.
- The awards can mark their candidates as models: the person's name, department and the titles
  proposed or approved in the result (the criteria met) come from it.

Pure module: no file, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from thidua_cli.core import vntext
from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.publish import POSTED

KINDS = {"individual": "Cá nhân", "collective": "Tập thể"}
_KIND_WORDS = {"": "individual", "canhan": "individual", "cn": "individual",
               "nguoi": "individual", "taphe": "collective", "tapthe": "collective",
               "tt": "collective", "khoa": "collective", "khoaphong": "collective",
               "donvi": "collective", "nhom": "collective", "to": "collective"}


def parse_kind(text: str) -> str | None:
    """"Cá nhân" / blank → individual; "Tập thể", "Khoa/phòng" → collective; None if unknown."""
    return _KIND_WORDS.get(vntext.compact(text).replace("/", ""))


@dataclass(frozen=True)
class Replication:
    place: str  # where the model was replicated (nơi nhân rộng)
    result: str = ""  # with what result


@dataclass(frozen=True)
class ExemplaryModel:
    year: int
    kind: str  # a KINDS code
    name: str  # the person, or the collective
    model: str  # the model (mô hình, cách làm)
    criteria: str = ""  # the criteria met (tiêu chí đạt)
    staff_id: str = ""
    department: str = ""
    replications: tuple[Replication, ...] = ()
    id: int | None = None

    @property
    def key(self) -> tuple[int, str, str, str]:
        return self.year, self.kind, vntext.compact(self.name), vntext.compact(self.model)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def merge(items: Iterable[ExemplaryModel]) -> list[ExemplaryModel]:
    """One model per key, in first-seen order; the replications of the rows naming it added
    (a place named twice kept once, its first non-blank result), a blank criteria filled."""
    out: dict[tuple[int, str, str, str], ExemplaryModel] = {}
    for m in items:
        have = out.get(m.key)
        if have is None:
            out[m.key] = m
            continue
        places = {vntext.compact(r.place): i for i, r in enumerate(have.replications)}
        reps = list(have.replications)
        for r in m.replications:
            at = places.get(vntext.compact(r.place))
            if at is None:
                places[vntext.compact(r.place)] = len(reps)
                reps.append(r)
            elif not reps[at].result and r.result:
                reps[at] = r
        out[m.key] = replace(have, replications=tuple(reps), criteria=have.criteria or m.criteria,
                             staff_id=have.staff_id or m.staff_id,
                             department=have.department or m.department)
    return list(out.values())


def from_outcome(outcome: AwardsOutcome, staff_ids: Sequence[str], model: str,
                 criteria: str = "") -> tuple[list[ExemplaryModel], list[str]]:
    """The candidates of an awards result marked as models, and the staff IDs the result does
    not propose or approve (the caller refuses them). The criteria met default to the titles
    proposed or approved."""
    models: list[ExemplaryModel] = []
    missing: list[str] = []
    for sid in dict.fromkeys(s.strip() for s in staff_ids if s.strip()):
        mine = [a for a in outcome.awards if a.kind == "individual" and a.staff_id == sid
                and a.status in POSTED and a.status != "pending_council"]
        if not mine:
            missing.append(sid)
            continue
        titles = "; ".join(a.title_label for a in mine)
        models.append(ExemplaryModel(outcome.year, "individual", mine[0].name, model,
                                     criteria or f"Đạt {titles} năm {outcome.year}", sid,
                                     mine[0].department))
    return models, missing


@dataclass(frozen=True)
class Summary:
    models: int
    individuals: int
    collectives: int
    replicated: int  # models replicated at least once
    places: int  # replications in all


def summary(items: Sequence[ExemplaryModel]) -> Summary:
    return Summary(len(items), sum(1 for m in items if m.kind == "individual"),
                   sum(1 for m in items if m.kind == "collective"),
                   sum(1 for m in items if m.replications),
                   sum(len(m.replications) for m in items))
