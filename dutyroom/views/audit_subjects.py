"""What each audit record is about (target and rule), for `dutyroom audit list` and the service's `/v1/audit`.

An action's record names only an alert fingerprint; the transitions in the store resolve it. One function for
both ways of reading the log, so a record reads the same through the socket as from the state directory.
"""

from __future__ import annotations

from dutyroom.store.audit_trail import AuditRecord
from dutyroom.store.database import Store
from dutyroom.store.timeline import ActionSubject


def audit_subjects(store: Store, records: list[AuditRecord]) -> dict[int, ActionSubject]:
    """The target and rule of each action's record and each refused attempt's alert, by audit seq."""
    if not records:
        return {}
    times = [record.at for record in records]  # in seq order; two processes' clocks need not agree
    actions = store.actions_between(min(times), max(times) + 1.0)
    wanted = {record.seq for record in records}
    listed = [action for action in actions if action.audit_seq in wanted]
    by_action = store.action_subjects(listed)
    subjects = {action.audit_seq: by_action[action.id] for action in listed if action.id in by_action}
    refused = {record.seq: str(record.detail.get("alert", "")) for record in records if record.kind == "refused"}
    by_alert = store.alert_subjects({alert for alert in refused.values() if alert})
    subjects.update({seq: by_alert[alert] for seq, alert in refused.items() if alert in by_alert})
    return subjects
