"""`dutyroom run list|show|note|close` and `dutyroom step tick|skip|confirm|undo`: playbook runs from a shell.

    dutyroom run list [--all]              # open runs (--all: closed ones too), one line each
    dutyroom run show RUN                  # every step: text, state, who and when, two-person state
    dutyroom run note RUN -m TEXT [--step N]
    dutyroom run close RUN -m COMMENT      # a closed run takes no more ticks
    dutyroom step tick|confirm|undo RUN STEP [-m TEXT]   # -m also records TEXT as a note on the step
    dutyroom step skip RUN STEP -m REASON

RUN is a run id or a part of one that picks one run (`mains-failure`, when one such run is open). Changes go
through the console's door (`dutyroom.operators.desk.StoreDesk`: planned against the run book, then submitted),
so the same rules hold: roles, a reason to skip, a different operator to confirm a two-person step. When
`dutyroom serve` answers on its socket, changes go through its API (`tui.cli.service_door.submit_to_service`), which
finds the run and checks the roles for the user the kernel names; `run list` and `run show` read its run book
(`GET /v1/runs`), so a viewer needs no access to the state directory.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, open_existing_store

if TYPE_CHECKING:
    from dutyroom.actions_model import StepChange
    from dutyroom.operators.planning import Intent
    from dutyroom.playbooks.model import Playbook
    from dutyroom.playbooks.run_state import PlaybookRun
    from dutyroom.playbooks.runs import RunBook
    from dutyroom.room import Room

RUN_HELP = "run id, or a part of one that picks one run (`dutyroom run list` lists them)"
STEP_VERBS = {
    "tick": "mark the step done (a two-person step then awaits a second operator)",
    "confirm": "confirm a two-person step ticked by another operator",
    "undo": "take back the step's latest confirmation, tick or skip",
    "skip": "skip the step; -m gives the reason (required)",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    run = commands.add_parser("run", parents=[common], help="playbook runs: list, show, note, close")
    run_verbs = run.add_subparsers(dest="run_verb", metavar="VERB", required=True)
    listing = run_verbs.add_parser("list", parents=[common], help="open runs, one line each")
    listing.add_argument("--all", action="store_true", help="closed runs too")
    listing.set_defaults(handler=cmd_run_list)
    show = run_verbs.add_parser("show", parents=[common], help="a run's steps: text, state, who and when")
    show.add_argument("run", help=RUN_HELP)
    show.set_defaults(handler=cmd_run_show)
    note = run_verbs.add_parser("note", parents=[common], help="a note on the run (or on one of its steps)")
    note.add_argument("run", help=RUN_HELP)
    note.add_argument("-m", "--text", required=True)
    note.add_argument("--step", type=int, default=0, help="the step it is about (default: the run as a whole)")
    note.set_defaults(handler=cmd_run_note)
    close = run_verbs.add_parser("close", parents=[common], help="close the run (a comment is required)")
    close.add_argument("run", help=RUN_HELP)
    close.add_argument("-m", "--comment", required=True, help="why it is closed: outcome, times, what is left")
    close.set_defaults(handler=cmd_run_close)

    step = commands.add_parser("step", parents=[common], help="tick, confirm, undo or skip a step of a run")
    step_verbs = step.add_subparsers(dest="step_verb", metavar="VERB", required=True)
    for verb, description in STEP_VERBS.items():
        parser = step_verbs.add_parser(verb, parents=[common], help=description)
        parser.add_argument("run", help=RUN_HELP)
        parser.add_argument("step", type=int, help="the step's number, as `dutyroom run show` prints it")
        parser.add_argument("-m", "--text", required=verb == "skip", help="the reason" if verb == "skip" else "a note")
        parser.set_defaults(handler=cmd_step)


class _Runs:
    """The room, the store and the run book, read once for one command."""

    def __init__(self, args: argparse.Namespace) -> None:
        from tui.cli.handover import load_room_leniently

        self.args = args
        self.room: Room = load_room_leniently(args.config, None)
        self.language = getattr(args, "lang", None) or self.room.config.parsed.site.language
        self.now = time.time()

    def book(self) -> RunBook:
        """The run book: from the service when one answers (a viewer may not read the store), else the store."""
        from dutyroom.playbooks.runs import RunBook
        from dutyroom.views.runs import read_run_book
        from tui.cli.service_door import service_failure, service_or_none

        service = service_or_none(self.args)
        if service is not None:
            with service, service_failure("run"):
                return RunBook(runs={run.run_id: run for run in service.runs().runs})
        with open_existing_store(self.args.state) as store:
            return read_run_book(store)

    def find(self, wanted: str) -> PlaybookRun:
        from dutyroom.views.runs import RunNotFoundError, find_run

        try:
            return find_run(self.book(), wanted)
        except RunNotFoundError as missing:
            raise CommandFailed(str(missing)) from None

    def playbook(self, run: PlaybookRun) -> Playbook | None:
        return self.room.playbooks.get(run.playbook_id, self.language)

    def submit(self, intent: Intent, run: PlaybookRun) -> int:
        """Record `intent` through the desk (on the run's starting alert); the action's id, or CommandFailed."""
        from dutyroom.operators.actions import ActionRefused
        from dutyroom.operators.desk import StoreDesk
        from dutyroom.operators.identity import current_identity

        with open_existing_store(self.args.state, read_only=False) as store:
            desk = StoreDesk(store, self.room.config, current_identity(), self.room.playbooks, language=self.language)
            try:
                return desk.submit(intent, run.incident_key, time.time()).id
            except ActionRefused as refusal:
                raise CommandFailed(f"refused: {refusal}") from None


def cmd_run_list(args: argparse.Namespace) -> int:
    from tui.cli.run_text import RunText

    runs = _Runs(args)
    shown = [run for run in runs.book().runs.values() if args.all or run.is_open]
    if not shown:
        print("no open playbook runs" if not args.all else "no playbook runs")
        return 0
    text = RunText(runs.room.config.timezone, runs.now)
    for run in shown:
        print(text.list_line(run, runs.playbook(run)))
    return 0


def cmd_run_show(args: argparse.Namespace) -> int:
    from tui.cli.run_text import RunText

    runs = _Runs(args)
    run = runs.find(args.run)
    text = RunText(runs.room.config.timezone, runs.now)
    print("\n".join(text.report(run, runs.playbook(run))))
    return 0


def _record(
    args: argparse.Namespace, runs: _Runs, wanted: str | PlaybookRun, change: Callable[[str], Intent]
) -> tuple[int, PlaybookRun]:
    """Record `change(run id)` on the run `wanted` names (or on `wanted`, a run already read): through the
    service's API when `dutyroom serve` answers, else through the store's desk. The action's id and the run as it
    was before, whichever the door, so every command prints the same lines either way."""
    from tui.cli.service_door import service_or_none, submit_to_service

    run = runs.find(wanted) if isinstance(wanted, str) else wanted
    service = service_or_none(args)
    if service is not None:
        return submit_to_service(service, change(run.run_id), run=run.run_id).id, run
    return runs.submit(change(run.run_id), run), run


def cmd_run_note(args: argparse.Namespace) -> int:
    from dutyroom.actions_model import StepNote

    where = f"step {args.step} of run" if args.step else "run"
    runs = _Runs(args)
    action_id, run = _record(args, runs, args.run, lambda run_id: StepNote(run=run_id, text=args.text, step=args.step))
    print(f"noted on {where} {run.run_id} (action #{action_id})")
    return 0


def cmd_run_close(args: argparse.Namespace) -> int:
    from dutyroom.actions_model import RunClose
    from dutyroom.playbooks.run_state import StepStatus

    if not args.comment.strip():
        raise CommandFailed("closing a run needs a comment saying why (-m)")
    runs = _Runs(args)
    action_id, run = _record(args, runs, args.run, lambda run_id: RunClose(run=run_id, reason=args.comment))
    waiting = (StepStatus.OPEN, StepStatus.AWAITING_CONFIRMATION)
    not_done = sum(1 for step in run.steps if step.status in waiting)
    left = f"; {not_done} of {len(run.steps)} steps were not done" if not_done else ""
    print(f"closed run {run.run_id} (action #{action_id}){left}")
    return 0


def _step_change(verb: str, run: str, number: int, text: str) -> StepChange:
    from dutyroom.actions_model import StepConfirm, StepSkip, StepTick, StepUndo

    match verb:
        case "tick":
            return StepTick(run=run, step=number)
        case "confirm":
            return StepConfirm(run=run, step=number)
        case "undo":
            return StepUndo(run=run, step=number)
        case _:
            return StepSkip(run=run, step=number, reason=text)


def cmd_step(args: argparse.Namespace) -> int:
    from dutyroom.actions_model import StepNote
    from dutyroom.playbooks.run_state import StepStatus
    from dutyroom.textclean import clean_text
    from tui.cli.run_text import STATE_WORDS

    number, text = args.step, (args.text or "").strip()
    if args.step_verb == "skip" and not text:
        raise CommandFailed("skipping a step needs a reason (-m)")
    done = {"tick": "ticked", "confirm": "confirmed", "undo": "took back", "skip": "skipped"}[args.step_verb]
    runs = _Runs(args)
    action_id, run = _record(args, runs, args.run, lambda run_id: _step_change(args.step_verb, run_id, number, text))
    print(f"{done} step {number} of run {run.run_id} (action #{action_id})")
    if text and args.step_verb != "skip":
        note_id, _ = _record(args, runs, run, lambda run_id: StepNote(run=run_id, text=text, step=number))
        print(f"noted on step {number} (action #{note_id})")
    after = runs.find(run.run_id).step(number)
    if after is not None:
        playbook = runs.playbook(run)
        step = playbook.step(number) if playbook is not None else None
        step_text = clean_text(step.text, 400) if step is not None else ""
        print(f"step {number} is now {STATE_WORDS[after.status]}: {step_text}".rstrip(": "))
        if after.status is StepStatus.AWAITING_CONFIRMATION:
            print(f"a different operator confirms it: dutyroom step confirm {run.run_id} {number}")
    return 0
