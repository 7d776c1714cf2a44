"""What every screen is handed: the source, the settings, the translator, the clock, and how to record actions.

Recording goes through the app's `Recorder`, which turns a refusal or any failure into a clean, short reason:
an action counts as done only when the desk's `submit` returned (it is durable then).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from dutyroom.config.types import Language
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.desk import ActionDesk
from dutyroom.operators.planning import Intent
from dutyroom.operators.roles import Role
from dutyroom.store.records import StoredAction
from dutyroom.textclean import clean_text
from dutyroom.views.console_source import ConsoleSource
from tui.i18n import Translator

REASON_LIMIT = 300


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """How this console looks and behaves; fixed for the life of the app."""

    language: Language = "en"
    remote: bool = False
    """An SSH session: mouse off, no animations, no per-second repaint."""
    ascii_only: bool = False
    """ASCII borders and state symbols, for terminals that draw box characters double width."""
    bell: bool = True
    mouse: bool = True
    live_clock: bool = False
    """Show seconds in the status line (one small repaint per second)."""
    sixteen_colors: bool = False
    """Use the terminal's own 16 ANSI colours instead of RGB theme colours."""
    refresh_s: float = 1.0
    """How often the main screen reads the source (actions read it at once): 1 s locally, 2 s remote."""


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    """What became of an attempted action: the stored action, or the reason it was not recorded."""

    action: StoredAction | None
    reason: str = ""
    pending: bool = False
    """Sent, not yet answered (a site's console sends off the UI loop): the form closes; the outcome comes later."""

    @property
    def recorded(self) -> bool:
        return self.action is not None


class Recorder(Protocol):
    def __call__(self, intent: Intent, alert: str) -> SubmitOutcome: ...


def submit_to(desk: ActionDesk, translate: Translator, intent: Intent, alert: str, now: float) -> SubmitOutcome:
    """Call `desk.submit`; a refusal keeps its reason, any other failure becomes a short one (no traceback)."""
    try:
        stored = desk.submit(intent, alert, now)
    except ActionRefused as refusal:
        return SubmitOutcome(None, clean_text(str(refusal) or type(refusal).__name__, REASON_LIMIT))
    except Exception as error:
        reason = clean_text(f"{type(error).__name__}: {error}", REASON_LIMIT)
        return SubmitOutcome(None, translate("failed.reason", reason=reason))
    return SubmitOutcome(stored)


@dataclass(frozen=True)
class ConsoleContext:
    source: ConsoleSource
    settings: ConsoleSettings
    translate: Translator
    clock: Callable[[], float]
    record: Recorder
    """Records an action (and tells the operator how it went); screens never call the desk directly."""
    role: Callable[[], Role] = lambda: "operator"
    """This console's role as the source last said (a reload may change it)."""

    def viewer_refusal(self, what: str) -> str:
        """Why a viewer may not do `what` (a form's title), or "" for an operator: forms show it before any typing."""
        return self.translate("viewer.may_not", action=what) if self.role() == "viewer" else ""
