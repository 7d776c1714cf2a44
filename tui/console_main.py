"""Start the console on a state directory: attach as a viewer when a poller is alive, else own the polling.

The owner runs the Poller in the console's own event loop (one process, the single-machine default) and holds
the state directory's lock; a viewer only reads the store and writes operator actions into it.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from collectors.poller import Poller
from dutyroom.identity import current_identity
from dutyroom.room import Room
from dutyroom.statelock import PollerLock, StateLocked, poller_is_running
from dutyroom.store import Store
from tui.sources import StoreSource


def console_options(language: str, ascii_only: bool, remote: bool | None, bell: bool | None) -> dict[str, object]:
    options: dict[str, object] = {"ascii_only": ascii_only}
    if language:
        options["language"] = language
    if remote is not None:
        options["remote"] = remote
    if bell is not None:
        options["bell"] = bell
    return options


async def run_console_async(
    room: Room,
    store: Store,
    *,
    poller: Poller | None,
    mode: str,
    options: dict[str, object],
    stop: asyncio.Event | None = None,
) -> None:
    """Run the console (and the poller, when this process owns the room) until the operator quits."""
    from tui.app import create_app

    source = StoreSource(
        room,
        store,
        current_identity(),
        "owner" if mode == "owner" else "viewer",
        language=str(options.get("language", "")),
    )
    app = create_app(source, **options)  # type: ignore[arg-type]
    stop = stop or asyncio.Event()
    poll_task = asyncio.create_task(poller.run(stop), name="poller") if poller is not None else None
    try:
        await app.run_async()
    finally:
        stop.set()
        if poll_task is not None:
            await asyncio.gather(poll_task, return_exceptions=True)


def run_console(room: Room, state_dir: Path, options: dict[str, object], playbooks_dir: Path | None = None) -> int:
    """The `dutyroom` command without a subcommand."""
    if poller_is_running(state_dir):
        with Store.open(state_dir) as store:
            asyncio.run(run_console_async(room, store, poller=None, mode="viewer", options=options))
        return 0
    lock = PollerLock(state_dir)
    try:
        lock.acquire()
    except StateLocked:
        with Store.open(state_dir) as store:
            asyncio.run(run_console_async(room, store, poller=None, mode="viewer", options=options))
        return 0
    try:
        with Store.open(state_dir) as store:
            poller = Poller(room, store, playbooks_dir=playbooks_dir)
            asyncio.run(run_console_async(room, store, poller=poller, mode="owner", options=options))
    finally:
        lock.release()
    return 0


def remote_session() -> bool:
    return bool(os.environ.get("SSH_CONNECTION"))
