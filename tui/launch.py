"""Start the console on a state directory: attach as a viewer when a poller is alive, else own the polling.

The owner runs the Poller in the console's own event loop (one process, the single-machine default) and holds
the state directory's lock; a viewer only reads the store and writes operator actions into it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from collectors.service.poller import Poller
from collectors.service.reload import publish_room
from dutyroom.handover.writer import HandoverError, write_handover
from dutyroom.operators.identity import current_identity
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.store.lock import PollerLock, StateLocked, poller_is_running
from tui.screens.terminal_profile import prepare_environment

if TYPE_CHECKING:
    from textual.app import App
from dutyroom.views.store_source import StoreSource


@dataclass(frozen=True)
class ConsoleOptions:
    """How the console looks and behaves; None means 'work it out from the session'."""

    language: str = ""
    ascii_only: bool = False
    remote: bool | None = None
    bell: bool | None = None
    mouse: bool | None = None
    live_clock: bool = False
    sixteen_colors: bool | None = None


HandoverWriter = Callable[[StoreSource, str | None], str]
"""Writes a handover file (with the console's screen as SVG when given) and returns what to tell the operator."""


def write_console_handover(source: StoreSource, screen_svg: str | None) -> str:
    """`h` in the console: the handover file for the current shift, with a picture of the screen beside it."""
    try:
        result = write_handover(source.room, source.store, time.time(), actor=source.identity, screen_svg=screen_svg)
    except HandoverError as error:
        return str(error)
    return f"handover written: {result.path}"


async def run_console_async(
    room: Room,
    store: Store,
    *,
    poller: Poller | None,
    options: ConsoleOptions,
    stop: asyncio.Event | None = None,
    handover: HandoverWriter | None = write_console_handover,
) -> None:
    """Run the console (and the poller, when this process owns the room) until the operator quits."""
    remote = prepare_environment(options.remote)
    from tui.app import create_app

    language = options.language or room.config.parsed.site.language
    source = StoreSource(room, store, current_identity(), "owner" if poller else "viewer", language=language)
    bell = room.config.parsed.defaults.bell if options.bell is None else options.bell
    apps: list[App[None]] = []

    def write_handover() -> str:
        assert handover is not None
        return handover(source, apps[0].export_screenshot() if apps else None)

    app = create_app(
        source,
        language=language,
        remote=remote,
        ascii_only=options.ascii_only,
        bell=bell,
        mouse=options.mouse,
        live_clock=options.live_clock,
        sixteen_colors=options.sixteen_colors,
        on_handover=write_handover if handover is not None else None,
    )
    apps.append(app)
    stop = stop or asyncio.Event()
    poll_task = asyncio.create_task(poller.run(stop), name="poller") if poller is not None else None

    async def exit_when_stopped() -> None:
        await stop.wait()
        app.exit()

    stopper = asyncio.create_task(exit_when_stopped(), name="console-stop")
    try:
        await app.run_async()
    finally:
        stop.set()
        stopper.cancel()
        if poll_task is not None:
            await asyncio.gather(poll_task, return_exceptions=True)
        await asyncio.gather(stopper, return_exceptions=True)


def run_console(
    room: Room,
    state_dir: Path,
    options: ConsoleOptions,
    playbooks_dir: Path | None = None,
    handover: HandoverWriter | None = write_console_handover,
) -> int:
    """The `dutyroom` command without a subcommand."""
    lock = PollerLock(state_dir)
    owner = False
    if not poller_is_running(state_dir):
        try:
            lock.acquire()
            owner = True
        except StateLocked:
            owner = False
    try:
        with Store.open(state_dir) as store:
            poller = Poller(room, store, playbooks_dir=playbooks_dir) if owner else None
            if owner:
                publish_room(room, state_dir, time.time())  # what other consoles start from if checks.toml breaks
            asyncio.run(run_console_async(room, store, poller=poller, options=options, handover=handover))
    finally:
        lock.release()
    return 0
