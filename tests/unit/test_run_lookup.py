"""A run named by a person on the command line: its id, or a part of it that picks one run, open runs first."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.model import Identity
from dutyroom.playbooks.library import AppliesTo, Playbook, Step
from dutyroom.playbooks.runs import RunBook
from dutyroom.views.runs import RunNotFoundError, find_run

T0 = 1_772_416_920.0
ALICE = Identity("alice")


def playbook(playbook_id: str) -> Playbook:
    return Playbook(
        id=playbook_id, lang="en", title=playbook_id, severity="critical", kind="incident", applies_to=AppliesTo(),
        contacts=(), deadlines=(), steps=(Step(1, "one"),), body_text="", path=Path(f"{playbook_id}.md"),
    )  # fmt: skip


def book_with(*started: tuple[str, float], closed: tuple[int, ...] = ()) -> tuple[RunBook, list[str]]:
    book, ids = RunBook(), []
    for playbook_id, at in started:
        planned = book.plan_start(playbook(playbook_id), ALICE, at)
        book = book.apply(planned)
        ids.append(planned.action.run)
    for index in closed:
        book = book.apply(book.plan_close(ids[index], ALICE, T0 + 9000, reason="done"))
    return book, ids


def test_an_exact_id_or_a_part_that_picks_one_run() -> None:
    book, ids = book_with(("mains-failure", T0), ("water-leak", T0 + 60))
    assert find_run(book, ids[0]).run_id == ids[0]
    assert find_run(book, "mains").run_id == ids[0]
    assert find_run(book, " water-leak ").run_id == ids[1]


def test_an_open_run_wins_over_closed_runs_of_the_same_playbook() -> None:
    book, ids = book_with(("mains-failure", T0), ("mains-failure", T0 + 3600), closed=(0,))
    assert find_run(book, "mains-failure").run_id == ids[1]


def test_several_or_no_runs_are_refused_with_the_names() -> None:
    book, ids = book_with(("mains-failure", T0), ("mains-failure", T0 + 3600))
    with pytest.raises(RunNotFoundError, match=f"names 2 runs: {ids[0]}, {ids[1]}"):
        find_run(book, "mains-failure")
    with pytest.raises(RunNotFoundError, match="no playbook run 'fire'"):
        find_run(book, "fire")
    with pytest.raises(RunNotFoundError):
        find_run(book, "")
