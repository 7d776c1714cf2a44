"""The desk every person's action goes through: run actions planned against the log, then role-checked and stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.actions_model import (
    Ack,
    Note,
    RunJoin,
    RunStart,
    StepConfirm,
    StepNote,
    StepSkip,
    StepTick,
    StepUndo,
)
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.desk import StoreDesk
from dutyroom.operators.planning import StartDrill, needs_runs, plan_request
from dutyroom.playbooks.library import AppliesTo, Playbook, PlaybookLibrary, Step
from dutyroom.playbooks.runs import AlertRef, RunBook
from dutyroom.store.database import ActionRecord, Store

T0 = 1_767_225_600.0
ALICE = Identity("alice", ssh_client="10.9.0.5")
ALICE_CLAIMING_BOB = Identity("alice", sudo_user="bob")
BOB = Identity("bob")
CAROL = Identity("carol")
SYSTEM = Identity("dutyroom")
CONFIG = """
[site]
name = "room"
[roles]
viewers = ["carol"]
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "ups-mib"
[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"
"""


def make_playbook(playbook_id: str = "mains-failure") -> Playbook:
    steps = (Step(1, "Call the vendor."), Step(2, "Switch to the generator.", two_person=True), Step(3, "Report."))
    return Playbook(
        id=playbook_id, lang="en", title=playbook_id, severity="critical", kind="incident", applies_to=AppliesTo(),
        contacts=(), deadlines=(), steps=steps, body_text="", path=Path(f"{playbook_id}.md"), join="target",
    )  # fmt: skip


PLAYBOOKS = PlaybookLibrary.of([make_playbook()])


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return load_config(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def start_run(store: Store, *, drill: bool = False) -> str:
    """A run started by an alert, as the poller records it."""
    ref = AlertRef("fp-ups", "on-battery", "ups-a", T0 - 30)
    planned = RunBook().plan_alert(make_playbook(), ref, SYSTEM, T0, drill=drill)
    assert planned is not None
    store.record_action(ActionRecord(planned.action, planned.actor, planned.at, planned.alert, planned.drill))
    return planned.action.run


def desk(store: Store, config: LoadedConfig, who: Identity) -> StoreDesk:
    return StoreDesk(store, config, who, PLAYBOOKS, language="en")


def test_a_tick_is_stored_on_the_alert_it_was_made_from(store: Store, config: LoadedConfig) -> None:
    run = start_run(store)

    stored = desk(store, config, ALICE).submit(StepTick(run=run, step=1), "fp-ups", T0 + 60)

    assert (stored.action, stored.alert, stored.actor, stored.at, stored.drill) == (
        StepTick(run=run, step=1),
        "fp-ups",
        ALICE,
        T0 + 60,
        False,
    )


def test_a_step_action_carries_the_drill_flag_of_its_run(store: Store, config: LoadedConfig) -> None:
    run = start_run(store, drill=True)

    stored = desk(store, config, ALICE).submit(StepTick(run=run, step=1), "fp-ups", T0 + 60)

    assert stored.drill


def test_a_step_that_does_not_fit_the_run_is_refused_with_the_runs_reason(store: Store, config: LoadedConfig) -> None:
    run = start_run(store)
    alice = desk(store, config, ALICE)
    alice.submit(StepTick(run=run, step=1), "fp-ups", T0 + 60)

    for change, reason in [
        (StepTick(run=run, step=1), "step 1 is already done"),
        (StepConfirm(run=run, step=1), "does not need a second operator"),
        (StepUndo(run=run, step=3), "nothing to undo"),
        (StepSkip(run=run, step=3, reason=" "), "needs a reason"),
        (StepNote(run=run, text="x", step=9), "has no step 9"),
        (StepTick(run="no-such-run", step=1), "no run 'no-such-run'"),
    ]:
        with pytest.raises(ActionRefused, match=reason):
            alice.submit(change, "fp-ups", T0 + 70)

    assert len(store.actions_after(0)) == 2  # the run start and the one tick


def test_one_person_cannot_tick_and_confirm_a_two_person_step_from_two_consoles(
    store: Store, config: LoadedConfig
) -> None:
    run = start_run(store)
    desk(store, config, ALICE).submit(StepTick(run=run, step=2), "fp-ups", T0 + 60)
    alice_elsewhere = desk(store, config, ALICE_CLAIMING_BOB)

    with pytest.raises(ActionRefused, match="a different operator must confirm"):
        alice_elsewhere.submit(StepConfirm(run=run, step=2), "fp-ups", T0 + 70)
    confirmed = desk(store, config, BOB).submit(StepConfirm(run=run, step=2), "fp-ups", T0 + 80)

    assert confirmed.action == StepConfirm(run=run, step=2)
    assert RunBook.replay(store.actions_after(0)).runs[run].step(2).done  # type: ignore[union-attr]


def test_a_desk_plans_against_actions_recorded_after_it_was_made(store: Store, config: LoadedConfig) -> None:
    alice = desk(store, config, ALICE)
    alice.submit(Ack(comment="on it"), "fp-ups", T0)
    run = start_run(store)
    desk(store, config, BOB).submit(StepTick(run=run, step=1), "fp-ups", T0 + 60)

    with pytest.raises(ActionRefused, match="already done"):
        alice.submit(StepTick(run=run, step=1), "fp-ups", T0 + 70)


def test_a_drill_starts_a_run_of_the_playbook_marked_as_a_drill(store: Store, config: LoadedConfig) -> None:
    stored = desk(store, config, ALICE).submit(StartDrill("mains-failure"), "fp-ups", T0)

    assert isinstance(stored.action, RunStart)
    assert (stored.action.playbook, stored.action.steps, stored.action.two_person) == ("mains-failure", 3, "2")
    assert (stored.drill, stored.alert, stored.actor) == (True, "", ALICE)
    (run,) = RunBook.replay(store.actions_after(0)).open_runs()
    assert (run.drill, run.started_by) == (True, ALICE)


def test_a_drill_of_an_unknown_playbook_is_refused(store: Store, config: LoadedConfig) -> None:
    with pytest.raises(ActionRefused, match="no playbook 'fire-drill'"):
        desk(store, config, ALICE).submit(StartDrill("fire-drill"), "", T0)

    assert store.actions_after(0) == []


def test_people_do_not_start_or_join_runs_by_hand(store: Store, config: LoadedConfig) -> None:
    run = start_run(store)
    forged = RunStart(
        run="r9", playbook="mains-failure", steps=1, two_person="", join="site", rule="", target="",
        alert_started_at=T0, sessions="",
    )  # fmt: skip
    alice = desk(store, config, ALICE)

    with pytest.raises(ActionRefused, match="run-start is recorded by the poller"):
        alice.submit(forged, "", T0)
    with pytest.raises(ActionRefused, match="run-join is recorded by the poller"):
        alice.submit(RunJoin(run=run, rule="on-battery", target="ups-b"), "fp-other", T0)


def test_a_viewer_is_refused_and_the_attempt_is_audited(store: Store, config: LoadedConfig) -> None:
    run = start_run(store)

    with pytest.raises(ActionRefused, match="carol is a viewer"):
        desk(store, config, CAROL).submit(StepTick(run=run, step=1), "fp-ups", T0 + 60)

    assert len(store.actions_after(0)) == 1
    assert store.verify_audit().records == 2  # the run start and the refusal


def test_free_text_is_cleaned_and_an_empty_comment_refused(store: Store, config: LoadedConfig) -> None:
    alice = desk(store, config, ALICE)

    with pytest.raises(ActionRefused, match="needs a comment"):
        alice.submit(Ack(comment="  "), "fp-ups", T0)
    stored = alice.submit(Note(text="mains \x1b[31mback\x07"), "fp-ups", T0)

    assert isinstance(stored.action, Note)
    assert "\x1b" not in stored.action.text
    assert "\x07" not in stored.action.text


def test_only_run_actions_and_drills_look_at_the_run_book() -> None:
    assert needs_runs(StartDrill("mains-failure"))
    assert needs_runs(StepTick(run="r", step=1))
    assert needs_runs(StepNote(run="r", text="x", step=0))
    assert not needs_runs(Ack(comment="on it"))
    assert not needs_runs(Note(text="x"))


def test_planning_leaves_other_actions_as_they_are() -> None:
    request = plan_request(Ack(comment="on it"), "fp-ups", RunBook(), ALICE, T0, lambda _: None)

    assert (request.action, request.alert, request.drill) == (Ack(comment="on it"), "fp-ups", False)
