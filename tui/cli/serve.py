"""`dutyroom serve`: the headless poller and rule engine on a state directory."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, open_store

if TYPE_CHECKING:
    from collectors.service.poller import Poller


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser("serve", parents=[common], help="poll and evaluate without a console")
    serve.add_argument("--seconds", type=float, help="stop after this many seconds (scripts and tests)")
    serve.add_argument("--playbooks", type=Path, help="playbooks directory (default: beside checks.toml)")
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from collectors.service.poller import Poller
    from collectors.service.reload import publish_room
    from dutyroom.config.problems import ConfigError
    from dutyroom.room import load_room
    from dutyroom.store.lock import PollerLock, StateLocked

    try:
        room = load_room(args.config, args.playbooks)
    except ConfigError as error:
        raise CommandFailed(str(error)) from None
    lock = PollerLock(args.state)
    try:
        lock.acquire()
    except StateLocked as error:
        raise CommandFailed(str(error)) from None
    try:
        with open_store(args.state) as store:
            store.set_meta("reload_status", "")
            poller = Poller(room, store, playbooks_dir=args.playbooks)
            if unpublished := publish_room(room, args.state, time.time()):  # what consoles use if checks.toml breaks
                print(f"dutyroom serve: {unpublished}", file=sys.stderr, flush=True)
            print(
                f"dutyroom serve: polling {len(room.config.parsed.target)} targets, state in {args.state}",
                file=sys.stderr,
                flush=True,
            )
            asyncio.run(_serve(poller, args.seconds))
    finally:
        lock.release()
    return 0


async def _serve(poller: Poller, seconds: float | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    loop.add_signal_handler(signal.SIGHUP, poller.request_reload)
    if seconds is not None:
        loop.call_later(seconds, stop.set)
    await poller.run(stop)
