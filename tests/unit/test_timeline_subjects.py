"""Operator actions name their alert by fingerprint; the timeline shows the target and rule they are about.

Rows written before actions carried more (an ack or a tick whose only link is the alert's fingerprint, or only
the run's id) resolve through the alert's transitions or the run's start, so filtering by `ups-a` finds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.actions_model import Ack, Note, RunJoin, RunStart, Silence, StepTick
from dutyroom.model import AlertPhase, Identity, State, Transition, make_labels
from dutyroom.rules.alert import fingerprint
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord
from dutyroom.store.timeline import ActionSubject

ALICE = Identity("alice")
AT = 1772417700.0
UPS_RUNTIME = fingerprint("ups-runtime-low", "ups-a", make_labels({}))
MAINS = fingerprint("ups-on-battery", "ups-a", make_labels({}))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path) as opened:
        opened.record_transitions([firing(UPS_RUNTIME, "ups-runtime-low"), firing(MAINS, "ups-on-battery")])
        yield opened


def firing(alert: str, rule: str) -> Transition:
    return Transition(
        at=AT - 60,
        fingerprint=alert,
        rule=rule,
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


def run_start(run: str) -> RunStart:
    return RunStart(
        run=run,
        playbook="mains-failure",
        steps=5,
        two_person="",
        join="target",
        rule="ups-on-battery",
        target="ups-a",
        alert_started_at=AT - 60,
        sessions="",
    )


def test_an_ack_and_a_note_by_fingerprint_are_about_the_alerts_target_and_rule(store: Store) -> None:
    ack = store.record_action(ActionRecord(Ack(comment="vendor called"), ALICE, AT, alert=UPS_RUNTIME))
    note = store.record_action(ActionRecord(Note(text="runtime 12 min"), ALICE, AT + 1, alert=MAINS))

    subjects = store.action_subjects([ack, note])

    assert subjects[ack.id] == ActionSubject("ups-a", "ups-runtime-low")
    assert subjects[note.id] == ActionSubject("ups-a", "ups-on-battery")


def test_a_silence_and_a_run_join_carry_their_own_target_and_rule(store: Store) -> None:
    silence = Silence(rule="link-congested", target="core-sw1", group="", comment="maintenance", start=AT, end=AT + 60)
    join = RunJoin(run="r1", rule="ups-runtime-low", target="ups-a")
    stored = [
        store.record_action(ActionRecord(silence, ALICE, AT)),
        store.record_action(ActionRecord(join, ALICE, AT, alert=UPS_RUNTIME)),
    ]

    subjects = store.action_subjects(stored)

    assert [subjects[action.id] for action in stored] == [
        ActionSubject("core-sw1", "link-congested"),
        ActionSubject("ups-a", "ups-runtime-low"),
    ]


def test_a_tick_with_no_known_alert_is_about_the_alert_that_started_its_run(store: Store) -> None:
    store.record_action(ActionRecord(run_start("r1"), ALICE, AT, alert=MAINS))
    tick = store.record_action(ActionRecord(StepTick(run="r1", step=3), ALICE, AT + 5, alert="gone-fingerprint"))

    assert store.action_subjects([tick])[tick.id] == ActionSubject("ups-a", "ups-on-battery")


def test_an_action_nothing_resolves_is_about_no_target(store: Store) -> None:
    orphan = store.record_action(ActionRecord(StepTick(run="no-such-run", step=1), ALICE, AT, alert="unknown"))

    assert store.action_subjects([orphan])[orphan.id] == ActionSubject("", "")
