"""Read one playbook file into a `Playbook`, reporting every problem in it at its line and column."""

from __future__ import annotations

import re
from pathlib import Path

from dutyroom.config.problems import ProblemCollector
from dutyroom.config.toml_positions import Position
from dutyroom.config.typed_toml import convert_table, parse_toml_text
from dutyroom.playbooks.markdown import parse_steps, split_front_matter
from dutyroom.playbooks.model import AppliesTo, Contact, Deadline, Playbook, Step
from dutyroom.playbooks.schema import MAX_DEADLINE_MINUTES, AppliesToSpec, DeadlineSpec, FrontMatter

PLAYBOOK_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_PHONE = re.compile(r"[0-9+() -]*[0-9][0-9+() -]*(?:\s*(?:ext\.?|x|转)\s*[0-9]+)?")


def read_playbook_file(path: Path, folder_lang: str, collector: ProblemCollector) -> Playbook | None:
    """The playbook in `path` (under the folder of language `folder_lang`); None when its front matter is unusable.

    Problems go to `collector`; a playbook is returned even with some (a bad deadline, misnumbered steps) so
    duplicate ids and references can still be checked.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        collector.add((1, 1), f"cannot read playbook: {reason}")
        return None
    return read_playbook_text(text, path, folder_lang, collector)


def read_playbook_text(text: str, path: Path, folder_lang: str, collector: ProblemCollector) -> Playbook | None:
    """The playbook a file's `text` holds (a file here, or one a site's service sent: `path` names it)."""
    document = split_front_matter(text, collector)
    if document is None:
        return None
    data = parse_toml_text(document.front_text, collector, first_line=document.front_first_line)
    front = convert_table(data, FrontMatter, (), collector) if data is not None else None
    lang = front.lang if front is not None else folder_lang
    parsed = parse_steps(document.body_text, document.body_first_line, lang, collector)
    if front is None:
        return None
    _check_front(front, path, folder_lang, collector)
    if not parsed.steps:
        where = (parsed.heading_line, 1) if parsed.heading_line else (document.body_first_line, 1)
        collector.add(where, f"no numbered steps ('1. ...') under a '## Steps' / '## 步骤' heading ({front.kind})")
    deadlines = _deadlines(front.deadline, parsed.steps, collector)
    return Playbook(
        id=front.id,
        lang=front.lang,
        title=front.title.strip(),
        severity=front.severity,
        kind=front.kind,
        applies_to=_applies_to(front.applies_to, document.front_text, document.front_first_line, collector),
        contacts=tuple(Contact(item.name.strip(), item.role.strip(), item.phone.strip()) for item in front.contact),
        deadlines=deadlines,
        steps=parsed.steps,
        body_text=document.body_text,
        path=path,
        join=front.join,
        steps_line=parsed.heading_line or document.body_first_line,
        positions=collector.positions,
    )


def _check_front(front: FrontMatter, path: Path, folder_lang: str, collector: ProblemCollector) -> None:
    if not PLAYBOOK_ID.fullmatch(front.id):
        collector.at(("id",), f"id '{front.id}' must be lower-case letters, digits and '-'", value=True)
    elif front.id != path.stem:
        collector.at(
            ("id",),
            f"id '{front.id}' does not match the file name '{path.name}' (use {front.id}.md)",
            value=True,
        )
    if front.lang != folder_lang:
        collector.at(("lang",), f"lang '{front.lang}' in a file under '{folder_lang}/'", value=True)
    if not front.title.strip():
        collector.at(("title",), "title is empty", value=True)
    if front.kind == "checklist" and _spec_entries(front.applies_to):
        collector.at(("applies_to",), "a checklist is run by hand, not by alerts: remove applies_to")
    applies = front.applies_to
    for name, entries in (("rules", applies.rules), ("groups", applies.groups), ("targets", applies.targets)):
        if any(not entry.strip() for entry in entries):
            collector.at(("applies_to", name), f"applies_to.{name} has an empty entry", value=True)
    for index, contact in enumerate(front.contact):
        if not contact.name.strip():
            collector.at(("contact", index, "name"), "contact name is empty", value=True)
        if not _PHONE.fullmatch(contact.phone.strip()):
            message = f"phone '{contact.phone}' should be digits with spaces, '-', '+' or '()' (ext 12 / 转 12)"
            collector.at(("contact", index, "phone"), message, value=True)


def _deadlines(specs: list[DeadlineSpec], steps: tuple[Step, ...], collector: ProblemCollector) -> tuple[Deadline, ...]:
    seen: set[str] = set()
    deadlines: list[Deadline] = []
    for index, spec in enumerate(specs):
        if not PLAYBOOK_ID.fullmatch(spec.id):
            collector.at(("deadline", index, "id"), f"deadline id '{spec.id}' must be lower-case letters, digits, '-'")
        elif spec.id in seen:
            collector.at(("deadline", index, "id"), f"deadline id '{spec.id}' is used twice")
        seen.add(spec.id)
        if not 1 <= spec.minutes <= MAX_DEADLINE_MINUTES:
            message = f"deadline minutes must be 1 to {MAX_DEADLINE_MINUTES} (a week), not {spec.minutes}"
            collector.at(("deadline", index, "minutes"), message, value=True)
        if spec.step is not None and not 1 <= spec.step <= len(steps):
            message = f"deadline step {spec.step} does not exist (the playbook has {len(steps)} steps)"
            collector.at(("deadline", index, "step"), message, value=True)
        if not spec.what.strip():
            collector.at(("deadline", index, "what"), "deadline 'what' is empty", value=True)
        during = (spec.during,) if isinstance(spec.during, str) else tuple(spec.during or ())
        deadlines.append(Deadline(spec.id, spec.minutes, spec.what.strip(), spec.start, during, spec.step))
    return tuple(deadlines)


def _spec_entries(spec: AppliesToSpec) -> bool:
    return bool(spec.rules or spec.groups or spec.targets)


def _applies_to(spec: AppliesToSpec, front_text: str, first_line: int, collector: ProblemCollector) -> AppliesTo:
    start = collector.positions.locate(("applies_to", "rules"), value=True)
    positions = _element_positions(front_text.split("\n"), first_line, start, spec.rules)
    return AppliesTo(tuple(spec.rules), tuple(spec.groups), tuple(spec.targets), positions)


def _element_positions(lines: list[str], first_line: int, start: Position, items: list[str]) -> tuple[Position, ...]:
    """Where each quoted string of an array is, searching forward from the array's opening bracket."""
    line_index, col_index = start[0] - first_line, start[1] - 1
    found: list[Position] = []
    for item in items:
        position = start
        for quoted in (f'"{item}"', f"'{item}'"):
            hit = _find_forward(lines, line_index, col_index, quoted)
            if hit is not None:
                line_index, col_index = hit
                position = (first_line + line_index, col_index + 1)
                col_index += len(quoted)
                break
        found.append(position)
    return tuple(found)


def _find_forward(lines: list[str], line_index: int, col_index: int, needle: str) -> tuple[int, int] | None:
    for index in range(max(line_index, 0), len(lines)):
        column = lines[index].find(needle, col_index if index == line_index else 0)
        if column >= 0:
            return index, column
    return None
