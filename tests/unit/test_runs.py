"""Playbook runs: starting and joining, ticks with identity, the two-person rule, and replay from the action log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from dutyroom.actions_model import Ack, OperatorAction, StepConfirm, action_fields, action_from_fields, kind_of
from dutyroom.model import Identity
from dutyroom.playbooks.library import AppliesTo, Playbook, Step
from dutyroom.playbooks.runs import AlertRef, PlaybookRun, RunAction, RunBook, RunError, StepStatus

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z
SYSTEM = Identity("dutyroom")
ALICE = Identity("alice", ssh_client="10.9.0.5")
BOB = Identity("bob")
ALICE_CLAIMING_BOB = Identity("alice", sudo_user="bob")


def make_playbook(
    playbook_id: str, *, two_person: tuple[int, ...] = (2,), join: str = "target", kind: str = "incident"
) -> Playbook:
    steps = tuple(Step(number, f"step {number}", number in two_person) for number in range(1, 4))
    return Playbook(
        id=playbook_id, lang="en", title=playbook_id, severity="critical", kind=kind, applies_to=AppliesTo(),
        contacts=(), deadlines=(), steps=steps, body_text="", path=Path(f"{playbook_id}.md"), join=join,
    )  # fmt: skip


MAINS = make_playbook("mains-failure", two_person=(2, 3), join="site")
BATTERY = make_playbook("ups-battery-low")
DISK = make_playbook("disk-full")


def alert(key: str, rule: str, target: str, at: float = T0) -> AlertRef:
    return AlertRef(key, rule, target, at)


class Recorder:
    """Plans, 'commits' and applies actions like the console would, keeping the log."""

    def __init__(self) -> None:
        self.book = RunBook()
        self.log: list[RunAction] = []

    def commit(self, action: RunAction | None) -> RunAction | None:
        if action is not None:
            self.log.append(action)
            self.book = self.book.apply(action)
        return action

    def start(self, playbook: Playbook, ref: AlertRef, at: float, **options: object) -> PlaybookRun:
        action = self.commit(self.book.plan_alert(playbook, ref, SYSTEM, at, **options))  # type: ignore[arg-type]
        assert action is not None
        run = self.book.get(action.action.run)
        assert run is not None
        return run

    def run(self, run_id: str) -> PlaybookRun:
        run = self.book.get(run_id)
        assert run is not None
        return run


def test_an_alert_starts_a_run_with_the_playbook_layout() -> None:
    recorder = Recorder()
    run = recorder.start(MAINS, alert("fp-1", "ups-on-battery", "ups-a", T0 - 30), T0, sessions=frozenset({"trading"}))
    assert run.run_id == "20260101T000000Z-mains-failure"
    assert (run.playbook_id, run.incident_key, run.started_at, run.alert_started_at) == (
        "mains-failure",
        "fp-1",
        T0,
        T0 - 30,
    )
    assert [(step.number, step.two_person) for step in run.steps] == [(1, False), (2, True), (3, True)]
    assert run.is_open
    assert run.target == "ups-a"
    assert run.sessions == frozenset({"trading"})
    assert recorder.log[0].kind == "run-start"
    assert recorder.log[0].alert == "fp-1"


def test_the_same_alert_firing_again_does_not_start_another_run() -> None:
    recorder = Recorder()
    recorder.start(MAINS, alert("fp-1", "ups-on-battery", "ups-a"), T0)
    assert recorder.book.plan_alert(MAINS, alert("fp-1", "ups-on-battery", "ups-a"), SYSTEM, T0 + 60) is None


def test_a_related_alert_on_the_same_target_joins_the_open_run() -> None:
    recorder = Recorder()
    run = recorder.start(MAINS, alert("fp-battery", "ups-on-battery", "ups-a"), T0)
    related = frozenset({"mains-failure", "ups-battery-low"})
    joined = recorder.commit(
        recorder.book.plan_alert(BATTERY, alert("fp-runtime", "ups-runtime-low", "ups-a"), SYSTEM, T0 + 600,
                                 related_playbooks=related)
    )  # fmt: skip
    assert joined is not None
    assert joined.kind == "run-join"
    assert len(recorder.book.runs) == 1
    assert recorder.run(run.run_id).incident_keys == frozenset({"fp-battery", "fp-runtime"})
    assert recorder.book.run_for_alert("fp-runtime") == recorder.run(run.run_id)


def test_same_playbook_other_target_joins_only_site_wide_playbooks() -> None:
    recorder = Recorder()
    mains = recorder.start(MAINS, alert("fp-a", "ups-on-battery", "ups-a"), T0)
    recorder.start(DISK, alert("fp-d1", "disk-full", "db-1"), T0)
    recorder.commit(recorder.book.plan_alert(MAINS, alert("fp-b", "ups-on-battery", "ups-b"), SYSTEM, T0 + 5))
    second_disk = recorder.start(DISK, alert("fp-d2", "disk-full", "db-2"), T0 + 5)
    assert recorder.run(mains.run_id).incident_keys == frozenset({"fp-a", "fp-b"})
    assert second_disk.incident_keys == frozenset({"fp-d2"})
    assert len(recorder.book.runs) == 3


def test_no_join_outside_the_window_after_close_or_across_drills() -> None:
    recorder = Recorder()
    first = recorder.start(DISK, alert("fp-1", "disk-full", "db-1"), T0)
    late = recorder.start(DISK, alert("fp-2", "disk-full", "db-1"), T0 + 7200, window_s=3600)
    drill = recorder.start(DISK, alert("fp-3", "disk-full", "db-1"), T0 + 7300, drill=True)
    assert len({first.run_id, late.run_id, drill.run_id}) == 3
    assert drill.drill
    assert not late.drill
    recorder.commit(recorder.book.plan_close(late.run_id, ALICE, T0 + 7400))
    recorder.commit(recorder.book.plan_close(drill.run_id, ALICE, T0 + 7400))
    recorder.commit(recorder.book.plan_close(first.run_id, ALICE, T0 + 7400))
    again = recorder.start(DISK, alert("fp-2", "disk-full", "db-1"), T0 + 7500)
    assert again.run_id not in (first.run_id, late.run_id, drill.run_id)
    assert again.run_id.endswith("-disk-full")


def test_checklists_are_not_started_by_alerts() -> None:
    checklist = make_playbook("pre-open-check", kind="checklist")
    with pytest.raises(RunError, match="checklist"):
        RunBook().plan_alert(checklist, alert("fp", "x", "y"), SYSTEM, T0)
    action = RunBook().plan_start(checklist, ALICE, T0)
    run = RunBook().apply(action).get(action.action.run)
    assert run is not None
    assert run.incident_key == ""
    assert run.started_by == ALICE


def test_a_tick_records_who_and_when_and_cannot_be_repeated() -> None:
    recorder = Recorder()
    run = recorder.start(DISK, alert("fp", "disk-full", "db-1"), T0)
    recorder.commit(recorder.book.plan_tick(run.run_id, 1, ALICE, T0 + 60))
    step = recorder.run(run.run_id).steps[0]
    assert step.status is StepStatus.DONE
    assert step.done_by == (ALICE,)
    assert step.done_at == T0 + 60
    with pytest.raises(RunError, match="already done"):
        recorder.book.plan_tick(run.run_id, 1, BOB, T0 + 61)
    with pytest.raises(RunError, match="no step 9"):
        recorder.book.plan_tick(run.run_id, 9, BOB, T0 + 61)


def test_planning_does_not_change_the_book() -> None:
    recorder = Recorder()
    run = recorder.start(DISK, alert("fp", "disk-full", "db-1"), T0)
    before = recorder.book
    recorder.book.plan_tick(run.run_id, 1, ALICE, T0 + 60)
    assert recorder.book == before
    assert recorder.run(run.run_id).steps[0].status is StepStatus.OPEN


def test_two_person_step_needs_a_different_operator() -> None:
    recorder = Recorder()
    run = recorder.start(MAINS, alert("fp", "ups-on-battery", "ups-a"), T0)
    recorder.commit(recorder.book.plan_tick(run.run_id, 2, ALICE, T0 + 10))
    assert recorder.run(run.run_id).steps[1].status is StepStatus.AWAITING_CONFIRMATION
    assert recorder.run(run.run_id).steps[1].done_at is None
    for same_person in (ALICE, ALICE_CLAIMING_BOB, Identity("alice", ssh_client="10.9.0.77")):
        with pytest.raises(RunError, match="a different operator must confirm"):
            recorder.book.plan_confirm(run.run_id, 2, same_person, T0 + 20)
    recorder.commit(recorder.book.plan_confirm(run.run_id, 2, BOB, T0 + 30))
    step = recorder.run(run.run_id).steps[1]
    assert step.status is StepStatus.DONE
    assert step.done_by == (ALICE, BOB)
    assert step.done_at == T0 + 30
    with pytest.raises(RunError, match="does not need a second operator"):
        recorder.book.plan_confirm(run.run_id, 1, BOB, T0 + 40)
    with pytest.raises(RunError, match="not awaiting confirmation"):
        recorder.book.plan_confirm(run.run_id, 3, BOB, T0 + 40)


def test_undo_takes_back_the_latest_mark() -> None:
    recorder = Recorder()
    run = recorder.start(MAINS, alert("fp", "ups-on-battery", "ups-a"), T0)
    recorder.commit(recorder.book.plan_tick(run.run_id, 2, ALICE, T0 + 10))
    recorder.commit(recorder.book.plan_confirm(run.run_id, 2, BOB, T0 + 20))
    recorder.commit(recorder.book.plan_undo(run.run_id, 2, BOB, T0 + 30))
    assert recorder.run(run.run_id).steps[1].status is StepStatus.AWAITING_CONFIRMATION
    recorder.commit(recorder.book.plan_undo(run.run_id, 2, ALICE, T0 + 40))
    assert recorder.run(run.run_id).steps[1].status is StepStatus.OPEN
    with pytest.raises(RunError, match="nothing to undo"):
        recorder.book.plan_undo(run.run_id, 2, ALICE, T0 + 50)


def test_skip_needs_a_reason_and_blocks_a_tick_until_undone() -> None:
    recorder = Recorder()
    run = recorder.start(DISK, alert("fp", "disk-full", "db-1"), T0)
    with pytest.raises(RunError, match="needs a reason"):
        recorder.book.plan_skip(run.run_id, 3, "  ", ALICE, T0 + 5)
    recorder.commit(recorder.book.plan_skip(run.run_id, 3, "not a trading server", ALICE, T0 + 5))
    skipped = recorder.run(run.run_id).steps[2]
    assert skipped.status is StepStatus.SKIPPED
    assert skipped.skipped is not None
    assert skipped.skipped.reason == "not a trading server"
    with pytest.raises(RunError, match="already skipped"):
        recorder.book.plan_tick(run.run_id, 3, ALICE, T0 + 6)
    recorder.commit(recorder.book.plan_undo(run.run_id, 3, ALICE, T0 + 7))
    recorder.commit(recorder.book.plan_tick(run.run_id, 3, ALICE, T0 + 8))
    assert recorder.run(run.run_id).steps[2].status is StepStatus.DONE


def test_notes_on_steps_and_on_the_run() -> None:
    recorder = Recorder()
    run = recorder.start(DISK, alert("fp", "disk-full", "db-1"), T0)
    recorder.commit(recorder.book.plan_note(run.run_id, "runtime 42 min", ALICE, T0 + 5, step=1))
    recorder.commit(recorder.book.plan_note(run.run_id, "vendor on the way", BOB, T0 + 6))
    current = recorder.run(run.run_id)
    assert [(note.text, note.actor) for note in current.notes_for(1)] == [("runtime 42 min", ALICE)]
    assert [note.text for note in current.notes_for(0)] == ["vendor on the way"]
    with pytest.raises(RunError, match="needs text"):
        recorder.book.plan_note(run.run_id, " ", ALICE, T0 + 7)
    with pytest.raises(RunError, match="no step 4"):
        recorder.book.plan_note(run.run_id, "x", ALICE, T0 + 7, step=4)


def test_a_closed_run_takes_no_more_actions() -> None:
    recorder = Recorder()
    run = recorder.start(DISK, alert("fp", "disk-full", "db-1"), T0)
    recorder.commit(recorder.book.plan_close(run.run_id, BOB, T0 + 100, reason="resolved"))
    closed = recorder.run(run.run_id)
    assert (closed.closed_at, closed.closed_by, closed.close_reason, closed.is_open) == (
        T0 + 100,
        BOB,
        "resolved",
        False,
    )
    with pytest.raises(RunError, match="was closed"):
        recorder.book.plan_tick(run.run_id, 1, ALICE, T0 + 101)
    with pytest.raises(RunError, match="no run"):
        recorder.book.plan_tick("missing", 1, ALICE, T0 + 101)


@dataclass(frozen=True)
class StoredRecord:
    """Stands in for the store's StoredAction after a restart: the action decoded back from its JSON fields."""

    action: OperatorAction
    actor: Identity
    at: float
    alert: str = ""
    drill: bool = False


def from_json(action: OperatorAction) -> OperatorAction:
    return action_from_fields(kind_of(action), json.loads(json.dumps(action_fields(action))))


def busy_log() -> Recorder:
    recorder = Recorder()
    mains = recorder.start(
        MAINS, alert("fp-a", "ups-on-battery", "ups-a", T0 - 20), T0, sessions=frozenset({"trading"})
    )
    recorder.commit(recorder.book.plan_alert(BATTERY, alert("fp-r", "ups-runtime-low", "ups-a"), SYSTEM, T0 + 300,
                                             related_playbooks=frozenset({"mains-failure"})))  # fmt: skip
    drill = recorder.start(DISK, alert("fp-d", "disk-full", "db-1"), T0 + 10, drill=True)
    book = recorder.book
    recorder.commit(book.plan_tick(mains.run_id, 1, ALICE, T0 + 30))
    recorder.commit(recorder.book.plan_tick(mains.run_id, 2, ALICE, T0 + 40))
    recorder.commit(recorder.book.plan_confirm(mains.run_id, 2, BOB, T0 + 50))
    recorder.commit(recorder.book.plan_tick(mains.run_id, 3, BOB, T0 + 60))
    recorder.commit(recorder.book.plan_undo(mains.run_id, 3, BOB, T0 + 61))
    recorder.commit(recorder.book.plan_skip(mains.run_id, 3, "mains back", ALICE, T0 + 70))
    recorder.commit(recorder.book.plan_note(mains.run_id, "mains back at 10:05", ALICE, T0 + 80, step=3))
    recorder.commit(recorder.book.plan_tick(drill.run_id, 1, BOB, T0 + 90))
    recorder.commit(recorder.book.plan_close(mains.run_id, ALICE, T0 + 100))
    return recorder


def test_replay_rebuilds_the_same_state() -> None:
    recorder = busy_log()
    assert RunBook.replay(recorder.log) == recorder.book
    step_actions = [action for action in recorder.log if action.kind.startswith("step")]
    assert {(action.alert, action.drill) for action in step_actions} == {("fp-a", False), ("fp-d", True)}


def test_replay_from_stored_records_after_a_json_round_trip() -> None:
    recorder = busy_log()
    stored = [
        StoredRecord(from_json(action.action), action.actor, action.at, action.alert, action.drill)
        for action in recorder.log
    ]
    stored.insert(3, StoredRecord(Ack(comment="on it"), ALICE, T0 + 35, "fp-a"))
    assert RunBook.replay(stored).runs == recorder.book.runs


def test_replay_keeps_going_past_an_action_that_does_not_fit() -> None:
    recorder = busy_log()
    bad = RunAction(StepConfirm(run=recorder.log[0].action.run, step=2), ALICE, T0 + 45)
    log: list[RunAction] = [*recorder.log[:6], bad, *recorder.log[6:]]
    replayed = RunBook.replay(log)
    assert replayed.runs == recorder.book.runs
    assert [(item.action, item.reason) for item in replayed.rejected] == [
        (bad, "step 2 is done, not awaiting confirmation")
    ]
