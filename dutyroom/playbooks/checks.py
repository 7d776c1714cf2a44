"""Checks across playbook files: translations that disagree, and references between rules and playbooks."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dutyroom.config.problems import Problem
from dutyroom.config.toml_positions import Position
from dutyroom.playbooks.library_rules import SHIPPED_RULE_IDS
from dutyroom.playbooks.model import Deadline, Playbook

RuleReference = tuple[str, str | None, Position]
"""(rule id, the playbook id it names or None, the rule's position in checks.toml)."""


def check_translations(first: Playbook, second: Playbook) -> list[Problem]:
    """Problems in `second` where it disagrees with `first`, its translation.

    Runs are kept by step number whatever the language, so translations must have the same steps,
    two-person steps and deadlines; contacts must have the same phone numbers in the same order.
    """
    problems: list[Problem] = []
    other = f"{first.lang}/{first.path.name}"

    def report(position: Position, message: str) -> None:
        problems.append(Problem(str(second.path), position[0], position[1], f"{message} (translation {other})"))

    for key in ("severity", "kind", "join"):
        mine, theirs = getattr(second, key), getattr(first, key)
        if mine != theirs:
            report(second.position_of((key,), value=True), f"{key} is '{mine}' here but '{theirs}' in the other")
    if second.applies_to != first.applies_to:
        report(second.position_of(("applies_to",)), "applies_to differs from the other translation")
    if len(second.steps) != len(first.steps):
        report((second.steps_line, 1), f"{len(second.steps)} steps here but {len(first.steps)} in the other")
    for mine_step, their_step in zip(second.steps, first.steps, strict=False):
        if mine_step.two_person != their_step.two_person:
            state = "is" if mine_step.two_person else "is not"
            report((mine_step.line, 1), f"step {mine_step.number} {state} two-person here, unlike the other")
    if [_deadline_key(item) for item in second.deadlines] != [_deadline_key(item) for item in first.deadlines]:
        report(second.position_of(("deadline",)), "deadlines (id, minutes, from, during, step) differ")
    if [item.phone for item in second.contacts] != [item.phone for item in first.contacts]:
        report(second.position_of(("contact",)), "contact phone numbers (in order) differ")
    return problems


def _deadline_key(deadline: Deadline) -> tuple[object, ...]:
    return (deadline.id, deadline.minutes, deadline.start, deadline.during, deadline.step)


def check_playbook_references(
    playbooks: Sequence[Playbook], rules: Sequence[RuleReference], file: str, require_playbook: bool
) -> list[Problem]:
    """Rules naming a missing (or checklist) playbook, rules without one when required, and playbooks whose
    `applies_to.rules` names a rule that is neither in `file` nor a shipped rule (reported at that entry in the
    playbook file). A shipped rule the room lacks is no problem: `library_fit` notes it.

    Takes the playbooks themselves (every language) rather than the library, which is built on these checks."""
    problems: list[Problem] = []
    by_id: dict[str, Playbook] = {}
    for playbook in sorted(playbooks, key=lambda each: (each.id, each.lang != "en", each.lang)):
        by_id.setdefault(playbook.id, playbook)
    known_playbooks = sorted(by_id)
    for rule_id, playbook_id, (line, col) in rules:
        if playbook_id is None:
            if require_playbook:
                problems.append(Problem(file, line, col, f"rule '{rule_id}' names no playbook"))
            continue
        found = by_id.get(playbook_id)
        if found is None:
            message = f"rule '{rule_id}' names playbook '{playbook_id}', which is not in the playbook library"
            problems.append(Problem(file, line, col, message + _did_you_mean(playbook_id, known_playbooks)))
        elif found.is_checklist:
            message = f"rule '{rule_id}' names checklist '{playbook_id}'; checklists are run by hand, not by alerts"
            problems.append(Problem(file, line, col, message))
    room_rules = [rule_id for rule_id, _, _ in rules]
    spellings = room_rules + sorted(SHIPPED_RULE_IDS - set(room_rules))
    for playbook in playbooks:
        entries = zip(playbook.applies_to.rules, playbook.applies_to.rule_positions, strict=False)
        for rule_id, (line, col) in entries:
            if rule_id not in room_rules and rule_id not in SHIPPED_RULE_IDS:
                message = f"applies_to names rule '{rule_id}', which is not in {file}"
                problems.append(Problem(str(playbook.path), line, col, message + _did_you_mean(rule_id, spellings)))
    return problems


@dataclass(frozen=True)
class LibraryFit:
    """How a playbook library copied from the shipped room fits a room that defines fewer rules.

    See `dutyroom.playbooks.library_rules` for why shipped rules a room lacks pass while other unknown names fail.
    """

    notes: tuple[Problem, ...] = ()
    """A playbook this room uses (a rule of it links the playbook) whose `applies_to.rules` also names shipped
    rules the room does not define: one note per playbook id, at the first such entry, in the first language."""
    idle: tuple[str, ...] = ()
    """Playbooks that name only shipped rules the room does not define (and no group or target): no alert of
    this room starts them. Listed once, not a note each: a small room has many."""


def library_fit(playbooks: Sequence[Playbook], rules: Sequence[RuleReference], file: str) -> LibraryFit:
    """Notes, not problems, about the shipped rules the playbooks name that this room (`file`) does not define."""
    room_rules = {rule_id for rule_id, _, _ in rules}
    lacking = SHIPPED_RULE_IDS - room_rules
    named_by_rules = {playbook_id for _, playbook_id, _ in rules if playbook_id}
    notes: list[Problem] = []
    idle: list[str] = []
    seen: set[str] = set()
    for playbook in sorted(playbooks, key=lambda each: (each.id, each.lang != "en", each.lang)):
        applies = playbook.applies_to
        entries = zip(applies.rules, applies.rule_positions, strict=False)
        shipped = [(rule_id, at) for rule_id, at in entries if rule_id in lacking]
        if not shipped or playbook.id in seen:
            continue
        seen.add(playbook.id)
        in_use = playbook.id in named_by_rules or bool(applies.groups or applies.targets)
        if not in_use and len(shipped) == len(applies.rules):
            idle.append(playbook.id)
            continue
        names = ", ".join(f"'{rule_id}'" for rule_id, _ in shipped)
        which, whose = ("shipped rules", "their alerts") if len(shipped) > 1 else ("a shipped rule", "its alerts")
        message = f"applies_to names {which} that {file} does not define: {names} ({whose} cannot start it here)"
        line, col = shipped[0][1]
        notes.append(Problem(str(playbook.path), line, col, message))
    return LibraryFit(tuple(notes), tuple(idle))


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
