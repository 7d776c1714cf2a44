"""When to ring the terminal bell: on each new firing that should tell someone, and only then.

The console decides on the transitions recorded since its last read (each comes with one snapshot), not on a
diff of alert lists, so an alert that resolves and fires again hours later rings again. The engine's
`Transition.notify` comes first (it is false while an alert flaps or its parent is down); the alert as it
stands now adds what the engine cannot know or had not worked out yet: an acknowledgement or a silence, and a
suppression found later in the same batch (a child that went down with its parent). One bell per read,
however many alerts rang in it: a parent and its child in one batch ring once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dutyroom.config.types import BellSetting
from dutyroom.model import Transition
from dutyroom.rules.alert import SEVERITY_ORDER, AlertPhase
from dutyroom.views.alerts import AlertView


def ringing_severities(setting: BellSetting) -> frozenset[str]:
    """The severities `[defaults] bell` rings for: a severity and those above it; true is 'critical'."""
    if setting is False or setting == "off":
        return frozenset()
    lowest = "critical" if setting is True else setting
    return frozenset(name for name, rank in SEVERITY_ORDER.items() if rank >= SEVERITY_ORDER[lowest])


def should_ring(transition: Transition, alert: AlertView | None, severities: frozenset[str]) -> bool:
    """Whether one transition rings: a notifying firing (a new one, a re-fire or a rise in severity) at a
    ringing severity, of an alert that nobody acknowledged or silenced and no down parent explains.
    `alert` is the alert as shown now (None when it is no longer shown: the transition alone decides)."""
    if not transition.notify or transition.after is not AlertPhase.FIRING or transition.severity not in severities:
        return False
    if alert is None:
        return True
    return alert.ack is None and not alert.silenced_by and not alert.suppressed_by and not alert.flapping


def rings(transitions: Sequence[Transition], alerts: Iterable[AlertView], setting: BellSetting) -> bool:
    """Whether a read with these new transitions rings the bell (once, however many of them would)."""
    severities = ringing_severities(setting)
    if not transitions or not severities:
        return False
    shown = {alert.fingerprint: alert for alert in alerts}
    return any(should_ring(item, shown.get(item.fingerprint), severities) for item in transitions)
