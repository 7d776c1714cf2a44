"""Start the console on a state directory: poll the room itself, or watch the poller that owns it.

Which one (`claim_polling`): a console polls itself only where no service ever polled, the single-machine
default (`dutyroom` in a directory with a checks.toml). On a state directory `dutyroom serve` marked as its own
(`dutyroom.store.lock.SERVICE_MARKER`), a console never takes the poller lock unless told to with `--poll`:
while the service is down it shows the poller-down banner and keeps reading, and the service starts again
cleanly. The owner runs the Poller in the console's own event loop and holds the lock; a viewer only reads
the store and writes operator actions into it. Either way the console watches the poller's liveness
(`dutyroom.store.liveness`) every tick. When the service answers on its socket, the console is its client
instead (`run_console_through_service`): no store, no secret, the roles applied by the service.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dutyroom.model import Identity
from dutyroom.operators.desk import StoreDesk
from dutyroom.operators.identity import current_identity
from dutyroom.store.database import Store
from dutyroom.store.liveness import read_poller_liveness
from dutyroom.store.lock import PollerLock, StateLocked, is_service_directory, poller_is_running
from dutyroom.views.store_source import StoreSource
from tui.screens.terminal_profile import prepare_environment

if TYPE_CHECKING:
    from textual.app import App

    from collectors.service.poller import Poller
    from dutyroom.room import Room
    from tui.service_client import ServiceClient


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
    clock: Callable[[], float] = time.time
    """The wall clock the console shows and stamps actions with (the demo's simulated one, else the real one)."""


HandoverWriter = Callable[[StoreSource, str | None], str]
"""Writes a handover file (with the console's screen as SVG when given) and returns what to tell the operator."""


def write_console_handover(source: StoreSource, screen_svg: str | None) -> str:
    """`h` in the console: the handover file for the current shift, with a picture of the screen beside it."""
    from dutyroom.handover.writer import HandoverError, write_handover  # only when asked: not before the first frame

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
    identity = current_identity()
    source = StoreSource(room, store, identity, "owner" if poller else "viewer", language=language)
    desk = StoreDesk(store, room.config, identity, room.playbooks, language=language)
    bell = options.bell is not False  # only --no-bell turns it off here; the site's rule comes with each snapshot
    apps: list[App[None]] = []

    def write_handover() -> str:
        assert handover is not None
        return handover(source, apps[0].export_screenshot() if apps else None)

    app = create_app(
        source,
        desk,
        language=language,
        remote=remote,
        ascii_only=True if options.ascii_only else None,  # without --ascii, TERM decides
        bell=bell,
        mouse=options.mouse,
        live_clock=options.live_clock,
        clock=options.clock,
        sixteen_colors=options.sixteen_colors,
        on_handover=write_handover if handover is not None else None,
        poller_liveness=lambda now: read_poller_liveness(store, now),
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


def claim_polling(state_dir: Path, *, poll: bool = False) -> PollerLock | None:
    """The lock, held, when this console is to poll; None when it is to watch another poller.

    With `poll`, take the lock or raise StateLocked naming the live poller that holds it. Without: watch when a
    poller holds the lock or the directory is a service's (waiting for it); else take the lock, unless another
    console won the race to it (then watch that one).
    """
    lock = PollerLock(state_dir, service=False)
    if poll:
        lock.acquire()
        return lock
    if poller_is_running(state_dir) or is_service_directory(state_dir):
        return None
    try:
        lock.acquire()
    except StateLocked:
        return None
    return lock


def run_console(
    room: Room,
    state_dir: Path,
    options: ConsoleOptions,
    playbooks_dir: Path | None = None,
    handover: HandoverWriter | None = write_console_handover,
    *,
    poll: bool = False,
) -> int:
    """The `dutyroom` command without a subcommand."""
    lock = claim_polling(state_dir, poll=poll)
    try:
        with Store.open(state_dir) as store:
            poller = None
            if lock is not None:  # only the owner loads the poller and the collectors; a viewer starts without them
                from collectors.service.poller import Poller
                from collectors.service.reload import publish_room

                poller = Poller(room, store, playbooks_dir=playbooks_dir)
                publish_room(room, state_dir, time.time())  # what other consoles start from if checks.toml breaks
            asyncio.run(run_console_async(room, store, poller=poller, options=options, handover=handover))
    finally:
        if lock is not None:
            lock.release()
    return 0


def run_console_through_service(room: Room, client: ServiceClient, options: ConsoleOptions) -> int:
    """The console as a client of `dutyroom serve`: reads and actions through its socket, as the user the
    kernel names; nothing of the state directory is opened here (`tui.service_source`)."""
    from tui.app import create_app
    from tui.service_client import ServiceClient
    from tui.service_source import CONSOLE_TIMEOUT_S, ServiceDesk, ServiceSource, write_handover_through

    remote = prepare_environment(options.remote)
    language = options.language or room.config.parsed.site.language
    caller = client.whoami()
    identity = Identity(caller.user, caller.reported.get("sudo_user", ""), caller.reported.get("ssh_client", ""))
    client.timeout_s = CONSOLE_TIMEOUT_S
    source = ServiceSource(client, room, language)
    desk = ServiceDesk(ServiceClient(client.path), identity)  # its own connection: a submit never waits on a read
    liveness = ServiceSource(ServiceClient(client.path, timeout_s=CONSOLE_TIMEOUT_S), room, language)
    app = create_app(
        source,
        desk,
        language=language,
        remote=remote,
        ascii_only=options.ascii_only,
        bell=options.bell is not False,
        mouse=options.mouse,
        live_clock=options.live_clock,
        sixteen_colors=options.sixteen_colors,
        on_handover=lambda: write_handover_through(desk.client),
        poller_liveness=liveness.poller_liveness,
    )
    try:
        app.run()
    finally:
        for each in (client, desk.client, liveness.client):
            each.close()
    return 0
