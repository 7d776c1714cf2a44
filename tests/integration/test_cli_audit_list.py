"""`dutyroom audit list` reads the audit trail back: who did what, when, on which target and rule.

The store is real (the log an operator's actions went into); the command runs as a user would run it. Filters
by time (site-local ISO), user and kind combine; `--json` gives every field; an operator's comment holding
terminal escapes reaches the terminal made visible, never raw.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dutyroom.actions_model import Ack, Note, StepTick
from dutyroom.model import AlertPhase, Identity, State, Transition, make_labels
from dutyroom.rules.alert import fingerprint
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord

pytestmark = pytest.mark.integration

CONFIG = '[site]\nname = "audit room"\ntimezone = "Asia/Shanghai"\n'
MORNING = 1772416800.0
"""2026-03-02 10:00:00 in Asia/Shanghai."""
ALICE = Identity("alice", ssh_client="10.9.0.7")
BOB = Identity("bob")
UPS_RUNTIME = fingerprint("ups-runtime-low", "ups-a", make_labels({}))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def room(tmp_path: Path) -> list[str]:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    state = tmp_path / "state"
    with Store.open(state) as store:
        store.record_transitions(
            [
                Transition(
                    at=MORNING - 60,
                    fingerprint=UPS_RUNTIME,
                    rule="ups-runtime-low",
                    target="ups-a",
                    labels=make_labels({}),
                    before=AlertPhase.PENDING,
                    after=AlertPhase.FIRING,
                    state=State.CRITICAL,
                    severity="critical",
                    value="8",
                    reason="8 < 10",
                    notify=True,
                )
            ]
        )
        store.record_action(ActionRecord(Ack(comment="vendor called, ticket 4471"), ALICE, MORNING, UPS_RUNTIME))
        store.record_action(ActionRecord(Note(text="runtime 12 min \x1b[2J"), BOB, MORNING + 600, UPS_RUNTIME))
        store.record_action(ActionRecord(StepTick(run="r1", step=3), ALICE, MORNING + 3600, UPS_RUNTIME))
        store.record_refusal(Identity("carol"), "ack", "carol is a viewer", UPS_RUNTIME, at=MORNING + 7200)
    return ["--config", str(config), "--state", str(state)]


def test_every_record_in_the_order_written_with_target_rule_and_comment(room: list[str]) -> None:
    result = cli("audit", "list", *room)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "#1  2026-03-02 10:00:00  alice from 10.9.0.7  ack  ups-a ups-runtime-low: vendor called, ticket 4471",
        "#2  2026-03-02 10:10:00  bob  note  ups-a ups-runtime-low: runtime 12 min \\x1b[2J",
        "#3  2026-03-02 11:00:00  alice from 10.9.0.7  step  ups-a ups-runtime-low: step 3",
        "#4  2026-03-02 12:00:00  carol  refused ack  ups-a ups-runtime-low: carol is a viewer",
    ]
    assert "\x1b" not in result.stdout


def test_filters_by_time_user_and_kind_combine(room: list[str]) -> None:
    by_user = cli("audit", "list", "--user", "alice", "--since", "2026-03-02T10:30", *room)
    by_kind = cli("audit", "list", "--kind", "note", "--kind", "refused", "--until", "2026-03-02T11:00", *room)

    assert [line.split()[0] for line in by_user.stdout.splitlines()] == ["#3"]
    assert [line.split()[0] for line in by_kind.stdout.splitlines()] == ["#2"]


def test_json_gives_every_field_whole(room: list[str]) -> None:
    result = cli("audit", "list", "--json", "--kind", "ack", *room)

    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["seq"] == 1
    assert record["time"] == "2026-03-02T10:00:00+08:00"
    assert (record["user"], record["ssh_client"]) == ("alice", "10.9.0.7")
    assert (record["target"], record["rule"]) == ("ups-a", "ups-runtime-low")
    assert record["detail"]["payload"]["comment"] == "vendor called, ticket 4471"
    assert len(record["hash"]) == 64


def test_a_bad_time_is_one_line_naming_the_option(room: list[str]) -> None:
    result = cli("audit", "list", "--since", "yesterday", *room)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "--since: bad time 'yesterday' (use e.g. 2026-10-01 or 2026-10-01T08:00)"
    ]


def test_verify_still_answers_beside_list(room: list[str]) -> None:
    result = cli("audit", "verify", *room)

    assert result.returncode == 0, result.stderr
    assert "audit log intact: 4 records" in result.stdout
