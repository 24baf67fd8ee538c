"""Criteria sets per post group (vị trí việc làm, issue 14): which criteria a person is scored
on (pure).

The regulation's ``[[criteria]]`` are the common set; each ``[[posts.groups]]`` group drops some
of them and adds its own (config/sections.PostGroup). A person belongs to the group whose
``positions`` list their post ("Chức vụ"/"Chức danh"; "Nhóm" with ``posts.field =
"peer_group"``; "Vị trí việc làm" with ``posts.field = "job_position"``), matched by key; a
person of no group is scored on the common set.
"""

from __future__ import annotations

from collections.abc import Sequence

from thidua_cli.config.sections import PostGroup, PostSettings
from thidua_cli.core import vntext
from thidua_cli.model import Criterion, Person, Regulation


def has_groups(regulation: Regulation) -> bool:
    return regulation.posts is not None and bool(regulation.posts.groups)


def all_criteria(regulation: Regulation) -> tuple[Criterion, ...]:
    """Every criterion a sheet may carry: the common ones, then each group's own (once)."""
    out = list(regulation.criteria)
    seen = {c.code for c in out}
    for g in regulation.posts.groups if regulation.posts else ():
        for c in g.criteria:
            if c.code not in seen:
                seen.add(c.code)
                out.append(c)
    return tuple(out)


def group_of(person: Person, posts: PostSettings) -> PostGroup | None:
    value = (person.peer_group if posts.field == "peer_group" else
             person.job_position if posts.field == "job_position" else person.position)
    k = vntext.key(value)
    if not k:
        return None
    for g in posts.groups:
        if any(vntext.key(p) == k for p in g.positions):
            return g
    return None


def criteria_of(group: PostGroup | None, common: Sequence[Criterion]) -> tuple[Criterion, ...]:
    """The set a group is scored on (the common set for no group)."""
    if group is None:
        return tuple(common)
    return tuple(c for c in common if c.code not in group.drop) + group.criteria


def codes_by_post(regulation: Regulation) -> dict[str, frozenset[str]]:
    """Group name → the codes its people are scored on ("" → the common set)."""
    out = {"": frozenset(c.code for c in regulation.criteria)}
    for g in regulation.posts.groups if regulation.posts else ():
        out[g.name] = frozenset(c.code for c in criteria_of(g, regulation.criteria))
    return out


def criteria_for_people(regulation: Regulation, people: Sequence[Person]) -> tuple[Criterion, ...]:
    """The criteria a department's form carries: those of its people's posts, in the order of
    :func:`all_criteria` (the common set alone without groups)."""
    if not has_groups(regulation):
        return tuple(regulation.criteria)
    posts = regulation.posts
    assert posts is not None
    needed = {c.code for p in people for c in criteria_of(group_of(p, posts), regulation.criteria)}
    return tuple(c for c in all_criteria(regulation) if c.code in needed)


def codes_of(person: Person, regulation: Regulation) -> frozenset[str]:
    """The codes a person is scored on."""
    if not has_groups(regulation):
        return frozenset(c.code for c in regulation.criteria)
    assert regulation.posts is not None
    return frozenset(c.code for c in criteria_of(group_of(person, regulation.posts),
                                                 regulation.criteria))
