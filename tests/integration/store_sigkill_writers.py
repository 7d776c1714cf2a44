"""Writers that test_store_sigkill.py kills with SIGKILL: `actions STATE_DIR` or `history STATE_DIR`.

`actions` records acks, notes and playbook steps in a loop and prints one JSON line per action only after
`record_action` returned: {"id", "kind", "alert", "payload"}. `history` records samples, alert states, the
heartbeat, events and transitions, prunes, and rewrites `handover.md` atomically. Both stop by themselves
after RUN_LIMIT_S, so a crashed test never leaves them running.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from dutyroom.actions_model import Ack, Note, OperatorAction, StepTick, action_fields, kind_of
from dutyroom.atomic import write_atomically
from dutyroom.model import AlertPhase, Event, Identity, Sample, State, Transition, make_labels
from dutyroom.store.database import ActionRecord, Store

RUN_LIMIT_S = 120.0
ACTOR = Identity("sigkill-test", sudo_user="ops", ssh_client="127.0.0.1")


def write_actions(state_dir: Path) -> None:
    deadline = time.monotonic() + RUN_LIMIT_S
    with Store.open(state_dir) as store:
        index = store.last_action_id()
        while time.monotonic() < deadline:
            index += 1
            text = f"{index} by {os.getpid()} ✔"
            action: OperatorAction = (Ack(comment=text), Note(text=text), StepTick(run=text, step=index % 7))[index % 3]
            stored = store.record_action(ActionRecord(action, ACTOR, time.time(), f"fp-{index % 5}"))
            line = {"id": stored.id, "kind": kind_of(action), "alert": stored.alert, "payload": action_fields(action)}
            print(json.dumps(line, ensure_ascii=False), flush=True)


def handover_text(round_number: int) -> str:
    """A handover big enough to take several writes, ending with a digest of everything before it."""
    body = "".join(f"- line {line} of handover {round_number}\n" for line in range(2_000))
    return f"{body}END {hashlib.sha256(body.encode()).hexdigest()}\n"


def write_history(state_dir: Path) -> None:
    deadline = time.monotonic() + RUN_LIMIT_S
    with Store.open(state_dir) as store:
        round_number = 0
        while time.monotonic() < deadline:
            round_number += 1
            now = time.time()
            store.record_samples(
                [
                    Sample(
                        f"host-{t}",
                        "cpu.util_pct",
                        float((t + round_number) % 100),
                        now,
                        make_labels({"core": "0"}),
                    )
                    for t in range(200)
                ]
            )
            store.save_alert_states(
                {f"fp-{round_number % 9}": json.dumps({"round": round_number})}, [f"fp-{round_number % 7}"]
            )
            store.write_heartbeat(now)
            store.record_events([Event(now, "poll", "host-1", f"round {round_number}")])
            store.record_transitions(
                [
                    Transition(
                        at=now,
                        fingerprint="fp-1",
                        rule="cpu-high",
                        target="host-1",
                        labels=(),
                        before=AlertPhase.PENDING,
                        after=AlertPhase.FIRING,
                        state=State.WARNING,
                        severity="warning",
                        value="91",
                        reason="91 > 90",
                        notify=True,
                    )
                ]
            )
            if round_number % 10 == 0:
                store.prune(now)
            write_atomically(state_dir / "handover.md", handover_text(round_number))


if __name__ == "__main__":
    mode, directory = sys.argv[1], Path(sys.argv[2])
    {"actions": write_actions, "history": write_history}[mode](directory)
