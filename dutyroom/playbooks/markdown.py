"""Read a playbook file's parts: the `+++` TOML front matter, and the numbered steps under `## Steps`.

Steps are the top-level ordered list items (`1. ...`) of the `## Steps` (or `## 步骤`) section,
numbered 1, 2, 3 ... in order. A step that needs a second operator starts with the two-person marker
of its language: `[two-person]` in English, `【双人确认】` in Chinese. A command for the operator to type
is an indented or fenced code block inside the step, or else the step's first inline code span.
Nothing in a playbook is executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dutyroom.config.problems import ProblemCollector
from dutyroom.playbooks.model import Step

FRONT_MATTER_FENCE = "+++"
STEPS_HEADINGS = frozenset({"steps", "步骤"})
TWO_PERSON_MARKERS = {"en": "[two-person]", "zh": "【双人确认】"}

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^( {0,3})(\d{1,3})([.)])(\s+)(.*)$")
_OTHER_BLOCK = re.compile(r"^ {0,3}([-*+>]\s|\d{1,3}[.)]\s)")
_LEADING_TAG = re.compile(r"^(\[[^\]\n]{0,30}\]|【[^】\n]{0,30}】)(?![(\[])")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class SplitDocument:
    front_text: str
    front_first_line: int
    body_text: str
    body_first_line: int


def split_front_matter(text: str, collector: ProblemCollector) -> SplitDocument | None:
    """Separate the front matter from the body; a missing or unclosed block is a problem."""
    lines = text.removeprefix("\ufeff").split("\n")
    if not lines or lines[0].rstrip() != FRONT_MATTER_FENCE:
        collector.add((1, 1), "a playbook must start with a '+++' line, then TOML front matter, then '+++'")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FRONT_MATTER_FENCE:
            return SplitDocument("\n".join(lines[1:index]), 2, "\n".join(lines[index + 1 :]), index + 2)
    collector.add((1, 1), "the front matter opened here is never closed by a '+++' line")
    return None


@dataclass
class _Draft:
    number_text: str
    line: int
    content_indent: int
    parts: list[str]
    code: list[str] = field(default_factory=list)
    blank_before: bool = False
    in_fence: bool = False


@dataclass(frozen=True, slots=True)
class ParsedSteps:
    steps: tuple[Step, ...]
    heading_line: int | None
    """Line of the `## Steps` heading, or None when there is none."""


def parse_steps(body: str, first_line: int, lang: str, collector: ProblemCollector) -> ParsedSteps:
    """The numbered steps of the body's steps section, reporting misnumbered items and stray markers."""
    drafts: list[_Draft] = []
    heading_line: int | None = None
    in_section = False
    in_fence = False
    current: _Draft | None = None
    for offset, raw in enumerate(body.split("\n")):
        line_no = first_line + offset
        line = raw.expandtabs(4).rstrip()
        if current is not None and current.in_fence:
            current.in_fence = not _FENCE.match(line)
            if current.in_fence:
                current.code.append(line.strip())
            continue
        if in_fence or (_FENCE.match(line) and (current is None or _indent(line) < 2)):
            in_fence = in_fence != bool(_FENCE.match(line))
            current = None
            continue
        heading = _HEADING.match(line)
        if heading:
            current = None
            level, title = len(heading.group(1)), heading.group(2).strip()
            if level <= 2:
                in_section = level == 2 and title.casefold() in STEPS_HEADINGS
                if in_section and heading_line is not None:
                    collector.add((line_no, 1), f"a second steps section; the first is at line {heading_line}")
                    in_section = False
                elif in_section:
                    heading_line = line_no
            continue
        if not in_section:
            continue
        item = _ITEM.match(line)
        if item:
            indent = len(item.group(1)) + len(item.group(2)) + len(item.group(3)) + len(item.group(4))
            current = _Draft(item.group(2), line_no, indent, [item.group(5).strip()])
            drafts.append(current)
        elif current is not None:
            current = _continue_step(current, line)
    steps = tuple(_finish(draft, index + 1, lang, collector) for index, draft in enumerate(drafts))
    return ParsedSteps(steps, heading_line)


def _continue_step(draft: _Draft, line: str) -> _Draft | None:
    """Add one line to the step being read; None when the line ends the step."""
    if not line.strip():
        draft.blank_before = True
        return draft
    indent = _indent(line)
    if _FENCE.match(line):
        draft.in_fence = True
        return draft
    if indent >= draft.content_indent + 4 and (draft.blank_before or draft.code):
        draft.code.append(line.strip())
        return draft
    if indent < 2 and (draft.blank_before or _OTHER_BLOCK.match(line)):
        return None
    if _OTHER_BLOCK.match(line.strip() + " ") or draft.blank_before:
        draft.parts.append("\n" + line.strip())
    else:
        draft.parts.append(line.strip())
    draft.blank_before = False
    return draft


def _finish(draft: _Draft, expected: int, lang: str, collector: ProblemCollector) -> Step:
    if int(draft.number_text) != expected:
        collector.add(
            (draft.line, 1),
            f"step numbered {draft.number_text}, expected {expected} (number steps 1, 2, 3 ...)",
        )
    text = _join(draft.parts)
    col = draft.content_indent + 1
    marker = TWO_PERSON_MARKERS.get(lang, TWO_PERSON_MARKERS["en"])
    two_person = text.casefold().startswith(marker.casefold())
    if two_person:
        text = text[len(marker) :].lstrip()
    rest = text
    tag = None if two_person else _LEADING_TAG.match(text)
    if tag:
        collector.add((draft.line, col), f"unknown step marker '{tag.group(1)}'; the two-person marker is '{marker}'")
        rest = text[tag.end() :]
    if any(known.casefold() in rest.casefold() for known in TWO_PERSON_MARKERS.values()):
        collector.add((draft.line, col), f"a two-person marker must be the first thing in a step: '{marker} ...'")
    if not text:
        collector.add((draft.line, col), f"step {expected} is empty")
    command = "\n".join(draft.code) if draft.code else None
    if command is None:
        inline = _INLINE_CODE.search(text)
        command = inline.group(1).strip() if inline else None
    return Step(number=expected, text=text, two_person=two_person, command=command or None, line=draft.line)


def _join(parts: list[str]) -> str:
    """Join a step's lines: wrapped lines with a space (none between Chinese), list items on new lines."""
    text = ""
    for part in parts:
        if part.startswith("\n") or not text:
            text = (text + part) if text else part.lstrip("\n")
        elif _CJK_END.search(text) and _CJK_START.search(part):
            text += part
        else:
            text += " " + part
    return text.strip()


def reflowed_lines(body: str) -> list[str]:
    """The body's lines with each paragraph's wrapped lines joined (as `_join` joins a step's), so a reader can
    break them again at its own width; headings, list items, blank lines and code are kept as they are."""
    lines: list[str] = []
    in_fence = False
    joinable = False
    for raw in body.split("\n"):
        line = raw.expandtabs(4).rstrip()
        fence = bool(_FENCE.match(line))
        if in_fence or fence:
            in_fence = in_fence != fence
            lines.append(line)
            joinable = False
            continue
        stripped = line.strip()
        starts_block = not stripped or _HEADING.match(line) or _OTHER_BLOCK.match(stripped + " ") or stripped[0] == "|"
        if joinable and not starts_block and _indent(line) < 4 + _indent(lines[-1]):
            lines[-1] = _join([lines[-1], stripped])
            continue
        lines.append(line)
        joinable = bool(stripped) and not _HEADING.match(line)
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
