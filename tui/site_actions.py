"""Operator actions to a site, sent off the UI loop: a link that just broke may take seconds to fail.

The console on several sites reaches each site through a link (a socket, or SSH) that can hang. Sending an
ack on the UI loop would freeze every site's screen until the link gave up, so each action goes out on a
thread of its own, one at a time per site (in the order they were typed), and its outcome comes back as a
message (`SiteActionSettled`): recorded only once the site answered that it stored the action; refused, with the
site's reason; or unanswered (the link broke mid-way: the site may or may not have stored it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from dutyroom.actions_model import kind_of
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.desk import ActionDesk
from dutyroom.operators.planning import Intent, StartDrill
from dutyroom.textclean import clean_text
from tui.screens.context import REASON_LIMIT, SubmitOutcome
from tui.site_source import split_key


@dataclass(frozen=True, slots=True)
class SentAction:
    """An action on its way to a site: what the operator asked, of which alert, and the text they typed."""

    site: str
    intent: Intent
    alert: str

    @property
    def kind(self) -> str:
        """`ack`, `silence`, `note`, `step`, ... or `drill`."""
        return "drill" if isinstance(self.intent, StartDrill) else kind_of(self.intent)

    @property
    def operator_text(self) -> str:
        """The comment or note the operator typed ("" for a step tick): kept when the site did not record it."""
        for name in ("comment", "text", "reason"):
            value = getattr(self.intent, name, "")
            if isinstance(value, str) and value:
                return value
        return ""


class SiteActionSettled(Message):
    """An action sent to a site came back: `outcome.recorded` only when the site stored it; `answered` False when
    the site gave no answer at all (the link broke: the action may or may not have been stored there)."""

    def __init__(self, sent: SentAction, outcome: SubmitOutcome, *, answered: bool = True) -> None:
        super().__init__()
        self.sent = sent
        self.outcome = outcome
        self.answered = answered


class SiteSender:
    """Sends each action to its site's desk on a thread of its own, one at a time per site."""

    def __init__(self, desk: ActionDesk, settled: Callable[[SiteActionSettled], object]) -> None:
        """`settled` is told each outcome, from the sending thread (Textual's `post_message` is thread-safe)."""
        self._desk = desk
        self._settled = settled
        self._turns: dict[str, threading.Lock] = {}

    def send(self, intent: Intent, alert: str, now: float) -> SentAction:
        """Start sending; returns at once with what is on its way."""
        sent = SentAction(split_key(alert)[0], intent, alert)
        turn = self._turns.setdefault(sent.site, threading.Lock())

        def deliver() -> None:
            with turn:
                settled = self._submit(sent, now)
            self._settled(settled)

        threading.Thread(target=deliver, name=f"send-{sent.site}", daemon=True).start()
        return sent

    def _submit(self, sent: SentAction, now: float) -> SiteActionSettled:
        """The site's answer: stored, or refused with its reason; or no answer (a traceback is never shown)."""
        try:
            stored = self._desk.submit(sent.intent, sent.alert, now)
        except ActionRefused as refusal:
            reason = clean_text(str(refusal) or type(refusal).__name__, REASON_LIMIT)
            return SiteActionSettled(sent, SubmitOutcome(None, reason))
        except Exception as error:
            reason = clean_text(f"{type(error).__name__}: {error}", REASON_LIMIT)
            return SiteActionSettled(sent, SubmitOutcome(None, reason), answered=False)
        return SiteActionSettled(sent, SubmitOutcome(stored))
