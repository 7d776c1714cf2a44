"""The TOML front matter of a playbook file, as strict msgspec Structs; each field's docstring documents it.

A playbook file starts with a `+++` line, the front matter, and another `+++` line; the Markdown body follows.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

Lang = Literal["en", "zh"]
Severity = Literal["critical", "warning", "info"]
Kind = Literal["incident", "checklist"]
JoinScope = Literal["target", "site"]
DeadlineStart = Literal["alert-start", "run-start"]
Session = Literal["trading", "pre-open", "off-hours", "holiday"]

LANGUAGES: tuple[Lang, ...] = ("en", "zh")
MAX_DEADLINE_MINUTES = 7 * 24 * 60


class AppliesToSpec(msgspec.Struct, forbid_unknown_fields=True):
    """Which alerts a playbook is for; an alert matches when any one list names it."""

    rules: list[str] = []
    """Rule ids from checks.toml (the most specific match)."""
    groups: list[str] = []
    """Target groups (`power`, `links`, ...), for alerts of rules not named anywhere."""
    targets: list[str] = []
    """Target ids."""


class ContactSpec(msgspec.Struct, forbid_unknown_fields=True):
    """One person or desk to call; contacts are listed in escalation order."""

    name: str
    """Person or desk, e.g. "Zhang Wei" or "UPS vendor 7x24 line"."""
    role: str
    """What they are called for, e.g. "Duty manager"."""
    phone: str
    """Digits with spaces, '-', '+', '(' ')'; an extension may follow as `ext 12` or `转 12`."""


class DeadlineSpec(msgspec.Struct, forbid_unknown_fields=True):
    """Something that must happen within `minutes` of the alert (or of the run) starting."""

    id: str
    """Short id, unique in the playbook (`regulator-call`)."""
    minutes: int
    """Whole minutes from the start, 1 to 10080 (one week)."""
    what: str
    """What must be done, as the console shows it."""
    start: DeadlineStart = msgspec.field(default="alert-start", name="from")
    """`alert-start` (when the alert first fired) or `run-start` (when the run was started)."""
    during: Session | list[Session] | None = None
    """Only when the alert started in one of these periods (`trading`, `pre-open`, `off-hours`, `holiday`)."""
    step: int | None = None
    """The step whose completion meets the deadline; without it, closing the run meets it."""


class FrontMatter(msgspec.Struct, forbid_unknown_fields=True):
    """The machine-readable head of a playbook file."""

    id: str
    """Lower-case id (`mains-failure`); the file is `<lang>/<id>.md`; translations share it."""
    lang: Lang
    """`en` or `zh`, the same as the folder the file is in."""
    title: str
    """Shown in alert details and menus."""
    severity: Severity
    """`critical`, `warning` or `info`."""
    kind: Kind = "incident"
    """`incident` (started by alerts, or by hand) or `checklist` (run by hand, e.g. the pre-open check)."""
    join: JoinScope = "target"
    """Which related alerts join an open run: those on the same `target`, or any in the `site`."""
    applies_to: AppliesToSpec = msgspec.field(default_factory=AppliesToSpec)
    """Rules, groups and targets this playbook is for (incident playbooks only)."""
    contact: list[ContactSpec] = []
    """`[[contact]]` tables, in escalation order."""
    deadline: list[DeadlineSpec] = []
    """`[[deadline]]` tables."""


def front_matter_json_schema() -> dict[str, Any]:
    """A JSON Schema of the front matter, from the same types the loader uses."""
    schema: dict[str, Any] = msgspec.json.schema(FrontMatter)
    return schema
