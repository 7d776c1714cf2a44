"""Everything a handover is written from, read from the store once: the shift's history and the state now."""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.documents.history import History, load_history
from dutyroom.documents.scrub import Scrubber
from dutyroom.documents.wording import Wording
from dutyroom.handover.shifts import ShiftWindow
from dutyroom.model import MetricValue
from dutyroom.operators.state import OperatorState
from dutyroom.room import Room
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.store.database import Store
from dutyroom.store.records import Heartbeat
from dutyroom.views.alerts import AlertView, alert_views
from dutyroom.views.snapshot import StoredState, read_engine_state, read_operator_state


@dataclass(frozen=True)
class HandoverContext:
    room: Room
    now: float
    window: ShiftWindow
    words: Wording
    scrub: Scrubber
    history: History
    """From the shift's start to now (or to its end, for a shift that is over)."""
    engine: StoredState
    operator: OperatorState
    alerts: list[AlertView]
    heartbeat: Heartbeat | None

    @property
    def lang(self) -> str:
        return self.words.lang

    def when(self, at: float) -> str:
        return self.words.short(at, self.now)

    def target_label(self, target_id: str) -> str:
        """The target's id, with its display name when that differs."""
        target = self.room.config.target(target_id)
        name = self.scrub(target.name, 60) if target is not None and target.name else ""
        return f"{target_id} ({name})" if name and name != target_id else target_id

    def check(self, fingerprint: str) -> Check | None:
        return self.engine.checks.get(fingerprint)

    def alert_name(self, fingerprint: str) -> tuple[str, str]:
        """(target, rule) of an alert by fingerprint, from the engine state or the shift's transitions."""
        check = self.check(fingerprint)
        if check is not None:
            return check.target, check.rule
        for record in self.history.transitions:
            if record.fingerprint == fingerprint:
                return record.target, record.rule
        return fingerprint, ""

    def open_alerts(self) -> list[AlertView]:
        return [alert for alert in self.alerts if alert.phase in (AlertPhase.FIRING, AlertPhase.PENDING)]


def gather(
    room: Room, store: Store, now: float, window: ShiftWindow, words: Wording, scrub: Scrubber
) -> HandoverContext:
    """Read the shift's history and the current state for a handover written at `now`."""
    history = load_history(store, window.start, min(now, window.end))
    engine = read_engine_state(store)
    operator = read_operator_state(store)
    alerts = alert_views(room.config, engine.checks.values(), operator, now)
    return HandoverContext(room, now, window, words, scrub, history, engine, operator, alerts, store.read_heartbeat())


def format_value(value: MetricValue | None, unit: str, scrub: Scrubber) -> str:
    """A value as people read it: 42.5 %, 10 min, a short cleaned word for text values."""
    if value is None:
        return "-"
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
        text = f"{number:.0f}" if abs(number) >= 100 or number == int(number) else f"{number:.3g}"
    else:
        text = scrub(str(value), 40)
    shown_unit = scrub(unit, 12)
    return f"{text} {shown_unit}" if shown_unit and shown_unit != "1" else text
