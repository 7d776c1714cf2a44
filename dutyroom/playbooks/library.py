"""Emergency playbooks (应急预案) as data: Markdown with TOML front matter, a file per playbook per language.

Layout: `<directory>/en/<id>.md` and `<directory>/zh/<id>.md`; the same `id` links the translations and the
console shows the one in its language, falling back to the other. The front matter is described by
`dutyroom.playbooks.schema.FrontMatter`; the steps by `dutyroom.playbooks.markdown`. Playbooks are documents:
nothing in them is ever executed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dutyroom.config.problems import ConfigError, Problem, ProblemCollector
from dutyroom.playbooks.checks import (
    LibraryFit,
    RuleReference,
    check_playbook_references,
    check_translations,
    library_fit,
)
from dutyroom.playbooks.file import read_playbook_file
from dutyroom.playbooks.model import SEVERITY_RANKS, AppliesTo, Contact, Deadline, Playbook, Step
from dutyroom.playbooks.schema import LANGUAGES

__all__ = [
    "AppliesTo",
    "Contact",
    "Deadline",
    "LibraryFit",
    "Playbook",
    "PlaybookLibrary",
    "RuleReference",
    "Step",
    "check_playbook_references",
    "library_fit",
    "load_playbooks",
    "read_playbooks",
]

_IGNORED_TOP_LEVEL = frozenset({"readme.md"})


@dataclass(frozen=True)
class PlaybookLibrary:
    """Every valid playbook, by id and language."""

    by_key: dict[tuple[str, str], Playbook] = field(default_factory=dict)

    @classmethod
    def of(cls, playbooks: Iterable[Playbook]) -> PlaybookLibrary:
        return cls({(playbook.id, playbook.lang): playbook for playbook in playbooks})

    def __len__(self) -> int:
        return len(self.by_key)

    def get(self, playbook_id: str, lang: str) -> Playbook | None:
        """The playbook in `lang`, or in another language when it has no `lang` translation."""
        found = self.by_key.get((playbook_id, lang))
        if found is not None:
            return found
        for other in LANGUAGES:
            found = self.by_key.get((playbook_id, other))
            if found is not None:
                return found
        return None

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted({playbook_id for playbook_id, _ in self.by_key}))

    def languages(self, playbook_id: str) -> tuple[str, ...]:
        return tuple(lang for lang in LANGUAGES if (playbook_id, lang) in self.by_key)

    def all(self) -> tuple[Playbook, ...]:
        """Every file, ordered by id then language."""
        return tuple(self.by_key[key] for key in sorted(self.by_key))

    def in_language(self, lang: str) -> tuple[Playbook, ...]:
        """One playbook per id, in `lang` where there is a translation."""
        return tuple(playbook for playbook_id in self.ids() if (playbook := self.get(playbook_id, lang)))

    def checklists(self, lang: str) -> tuple[Playbook, ...]:
        return tuple(playbook for playbook in self.in_language(lang) if playbook.is_checklist)

    def ids_for_rule(self, rule_id: str) -> frozenset[str]:
        """Ids of playbooks whose `applies_to.rules` names `rule_id` (its alerts may join their runs)."""
        return frozenset(playbook.id for playbook in self.by_key.values() if rule_id in playbook.applies_to.rules)

    def for_alert(self, rule_id: str, group: str, target: str, lang: str) -> tuple[Playbook, ...]:
        """Incident playbooks for an alert, most specific first: named rule, then target, then group."""
        ranked: list[tuple[int, int, str, Playbook]] = []
        for playbook in self.in_language(lang):
            applies = playbook.applies_to
            if playbook.is_checklist:
                continue
            matches = (rule_id in applies.rules, target in applies.targets, group in applies.groups)
            if any(matches):
                rank = matches.index(True)
                ranked.append((rank, SEVERITY_RANKS.get(playbook.severity, 9), playbook.id, playbook))
        return tuple(item[-1] for item in sorted(ranked, key=lambda item: item[:3]))


def read_playbooks(directory: Path) -> tuple[PlaybookLibrary, list[Problem]]:
    """Every playbook that could be read under `directory`, and every problem found (for `dutyroom check`).

    The library may hold playbooks with problems; use `load_playbooks` to get a library only when there are none.
    """
    problems: list[Problem] = []
    if not directory.is_dir():
        return PlaybookLibrary(), [Problem(str(directory), 1, 1, "playbook directory not found")]
    loaded: dict[tuple[str, str], Playbook] = {}
    for path in sorted(directory.rglob("*.md")):
        relative = path.relative_to(directory)
        folder = relative.parts[0] if len(relative.parts) > 1 else ""
        if folder not in LANGUAGES or len(relative.parts) != 2:
            if not (folder == "" and path.name.lower() in _IGNORED_TOP_LEVEL):
                message = f"playbook outside a language folder: move it to {directory.name}/en/ or /zh/"
                problems.append(Problem(str(path), 1, 1, message))
            continue
        collector = ProblemCollector(str(path))
        playbook = read_playbook_file(path, folder, collector)
        problems.extend(collector.problems)
        if playbook is None:
            continue
        earlier = loaded.get((playbook.id, playbook.lang))
        if earlier is not None:
            line, col = playbook.position_of(("id",), value=True)
            message = f"playbook '{playbook.id}' ({playbook.lang}) is already defined in {earlier.path}"
            problems.append(Problem(str(path), line, col, message))
            continue
        loaded[(playbook.id, playbook.lang)] = playbook
    for (playbook_id, lang), playbook in sorted(loaded.items()):
        first = loaded.get((playbook_id, LANGUAGES[0]))
        if lang != LANGUAGES[0] and first is not None:
            problems.extend(check_translations(first, playbook))
    return PlaybookLibrary(loaded), sorted(problems)


def load_playbooks(directory: Path) -> PlaybookLibrary:
    """All playbooks under `directory`; raises ConfigError listing every problem as file:line:col."""
    library, problems = read_playbooks(directory)
    if problems:
        raise ConfigError(problems)
    return library
