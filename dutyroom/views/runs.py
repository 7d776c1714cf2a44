"""Playbook runs as the command line reads them: the run book from the whole action log, and a run named by a person.

A person names a run by its id, or by any part of it that picks one run (`mains-failure` when one mains-failure
run is open): an open run wins over closed ones of the same name, since that is the one still being worked.
"""

from __future__ import annotations

from dutyroom.documents.history import read_all_actions
from dutyroom.playbooks.run_state import PlaybookRun
from dutyroom.playbooks.runs import RunBook
from dutyroom.store.database import Store


class RunNotFoundError(LookupError):
    """No run, or more than one, answers to the name given; the message says which."""


def read_run_book(store: Store) -> RunBook:
    """Every run, rebuilt from every action recorded so far."""
    return RunBook.replay(read_all_actions(store))


def find_run(book: RunBook, wanted: str) -> PlaybookRun:
    """The run named `wanted` (its id, or a part of its id that picks one run, open runs first)."""
    wanted = wanted.strip()
    exact = book.get(wanted)
    if exact is not None:
        return exact
    matching = [run for run in book.runs.values() if wanted and wanted in run.run_id]
    for candidates in ([run for run in matching if run.is_open], matching):
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            names = ", ".join(run.run_id for run in candidates[:5])
            more = f" and {len(candidates) - 5} more" if len(candidates) > 5 else ""
            raise RunNotFoundError(f"{wanted!r} names {len(candidates)} runs: {names}{more}; give the run id")
    raise RunNotFoundError(f"no playbook run {wanted!r} (`dutyroom run list --all` lists them)")
