"""Config problems reported as `file:line:col: message`, every one at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dutyroom.config.toml_positions import KeyPath, Position, TomlPositions


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with one file, at a place an editor can jump to."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class ConfigError(Exception):
    """Raised with every problem found; the old configuration stays in force."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class ProblemCollector:
    """Gathers problems for one file, placing each at the key it concerns."""

    file: str
    positions: TomlPositions = field(default_factory=TomlPositions.empty)
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: KeyPath, message: str, *, value: bool = False) -> None:
        """Report `message` at the key `path` (or at its value when `value` is true)."""
        self.add(self.positions.locate(path, value=value), message)

    def add(self, position: Position, message: str) -> None:
        self.problems.append(Problem(self.file, position[0], position[1], message))

    def extend(self, problems: Sequence[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ConfigError(self.problems)
