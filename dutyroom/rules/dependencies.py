"""Which targets are cut off by a parent that is down, and which wait for a parent still being checked.

`depends_on` lists parents, alone or in redundancy groups (Icinga 2's `redundancy_group`): a target is cut
off when every member of any one of its groups is down, or cut off itself; a gateway behind two switches is
suppressed only when both are down. Its alerts are then "suppressed by" the furthest-up targets that explain
it. A parent with failures not yet confirmed (below `attempts`) might turn out down: a child's new alert
waits as "checking parent" until it is known, as Nagios checks the parent on demand before it notifies.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field

from dutyroom.config.types import ParentGroups

CAUSE_SEPARATOR = "+"


@dataclass(frozen=True)
class DependencyView:
    """The dependency picture at one evaluation."""

    suppressed_by: Mapping[str, str] = field(default_factory=dict)
    """Target -> the down target(s) that cut it off, joined by '+'."""
    checking_parent: Mapping[str, str] = field(default_factory=dict)
    """Target -> the parent(s) being checked that would cut it off if found down."""


NOTHING_DOWN = DependencyView()


class DependencyGraph:
    """The configured parents of every target, in an order that puts parents before their children."""

    def __init__(self, parents: Mapping[str, ParentGroups]) -> None:
        self._parents = {target: groups for target, groups in parents.items() if groups}
        self._order = _parents_first(self._parents)
        self._dependents: dict[str, frozenset[str]] = {}

    def dependents(self, target: str) -> frozenset[str]:
        """Every target below `target`: its children, theirs, and so on (worked out once per target)."""
        known = self._dependents.get(target)
        if known is None:
            below: set[str] = set()
            for child in self._order:  # parents come first, so a grandchild follows its parent here
                groups = self._parents.get(child, ())
                if any(member == target or member in below for group in groups for member in group):
                    below.add(child)
            known = self._dependents[target] = frozenset(below)
        return known

    @property
    def empty(self) -> bool:
        """No target has a parent: nobody is ever cut off."""
        return not self._parents

    def view(self, down: Set[str], checking: Set[str]) -> DependencyView:
        """Who is cut off with `down` targets down, and who waits on the `checking` ones."""
        if not self._parents or not (down or checking):
            return NOTHING_DOWN
        cut = self._cut_off(down)
        waiting = {}
        if checking:
            waiting = {
                target: _joined(causes & checking)
                for target, causes in self._cut_off(down | checking).items()
                if target not in cut and causes & checking
            }
        return DependencyView({target: _joined(causes) for target, causes in cut.items()}, waiting)

    def _cut_off(self, down: Set[str]) -> dict[str, frozenset[str]]:
        """Target -> the furthest-up down targets that cut it off (parents are resolved before children)."""
        causes: dict[str, frozenset[str]] = {}
        for target in self._order:
            for group in self._parents.get(target, ()):
                explained = [_member_causes(member, causes, down) for member in group]
                if group and all(explained):
                    causes[target] = frozenset().union(*explained)
                    break
        return causes


def _member_causes(member: str, causes: Mapping[str, frozenset[str]], down: Set[str]) -> frozenset[str]:
    """Why a parent is out: the causes that cut it off (further up), or itself when it is down."""
    if member in causes:
        return causes[member]
    return frozenset({member}) if member in down else frozenset()


def _joined(causes: frozenset[str]) -> str:
    return CAUSE_SEPARATOR.join(sorted(causes))


def _parents_first(parents: Mapping[str, ParentGroups]) -> list[str]:
    """Every target named, parents before children (Kahn's algorithm); targets in a cycle are left out."""
    children: dict[str, set[str]] = {}
    waiting_on: dict[str, int] = {}
    for child, groups in parents.items():
        named = {parent for group in groups for parent in group}
        waiting_on[child] = len(named)
        for parent in named:
            children.setdefault(parent, set()).add(child)
            waiting_on.setdefault(parent, 0)
    ready = sorted(target for target, count in waiting_on.items() if count == 0)
    order: list[str] = []
    while ready:
        target = ready.pop()
        order.append(target)
        for child in sorted(children.get(target, ())):
            waiting_on[child] -= 1
            if waiting_on[child] == 0:
                ready.append(child)
    return order
