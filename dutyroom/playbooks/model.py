"""What a loaded playbook is: frozen values the console, the runs and the reports read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dutyroom.config.toml_positions import KeyPath, Position, TomlPositions

SEVERITY_RANKS = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Step:
    """One numbered step; `two_person` steps need a second operator's confirmation; nothing is ever run."""

    number: int
    text: str
    two_person: bool = False
    command: str | None = None
    """A command for the operator to type by hand (an indented or fenced code block, else inline code)."""
    line: int = 0
    """Line of the step in its file."""


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    role: str
    phone: str


@dataclass(frozen=True, slots=True)
class Deadline:
    """Something due `minutes` after `start` (alert or run start), met by `step` or by closing the run."""

    id: str
    minutes: int
    what: str
    start: str = "alert-start"
    during: tuple[str, ...] = ()
    """Session tags in which the deadline applies; empty means always."""
    step: int | None = None

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0


@dataclass(frozen=True, slots=True)
class AppliesTo:
    rules: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    rule_positions: tuple[Position, ...] = field(default=(), compare=False, repr=False)
    """Where each entry of `rules` is in its file, for problems about dangling rule names."""

    @property
    def empty(self) -> bool:
        return not (self.rules or self.groups or self.targets)


@dataclass(frozen=True, slots=True)
class Playbook:
    """One playbook file in one language; translations share `id` and must agree on steps and deadlines."""

    id: str
    lang: str
    title: str
    severity: str
    kind: str
    applies_to: AppliesTo
    contacts: tuple[Contact, ...]
    deadlines: tuple[Deadline, ...]
    steps: tuple[Step, ...]
    body_text: str
    path: Path
    join: str = "target"
    """Which related alerts join an open run: those on the same `target`, or any in the whole `site`."""
    steps_line: int = field(default=1, compare=False, repr=False)
    positions: TomlPositions = field(default_factory=TomlPositions.empty, compare=False, repr=False)

    @property
    def is_checklist(self) -> bool:
        return self.kind == "checklist"

    @property
    def two_person_steps(self) -> frozenset[int]:
        return frozenset(step.number for step in self.steps if step.two_person)

    def step(self, number: int) -> Step | None:
        return self.steps[number - 1] if 1 <= number <= len(self.steps) else None

    def position_of(self, path: KeyPath, *, value: bool = False) -> Position:
        """Where a front-matter key (or its value) is in the file."""
        return self.positions.locate(path, value=value)
