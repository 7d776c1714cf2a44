"""`dutyroom serve`: the headless poller and rule engine on a state directory, fit for a service manager.

It answers the API (`collectors.service.api`, docs/api.md) on a Unix socket: consoles and commands of other
users read the room and submit actions through it, as the users the kernel says they are.

It logs one line per event with its level (journald priorities under systemd, see `collectors.service.logs`),
speaks systemd's notify protocol when started with `Type=notify` (READY, STATUS, WATCHDOG, RELOADING, STOPPING:
`collectors.service.notify`), and does not exit for what is expected to go wrong while it runs (a full disk, a
port in use, a bad reload). It exits 1, with the reason logged, only when it cannot start: a broken
checks.toml, another poller on the state directory, a state directory it cannot open.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, open_store, service_socket

if TYPE_CHECKING:
    from collectors.service.api.server import SocketPlace
    from collectors.service.poller import Poller

log = logging.getLogger("dutyroom.serve")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser("serve", parents=[common], help="poll and evaluate without a console")
    serve.add_argument("--seconds", type=float, help="stop after this many seconds (scripts and tests)")
    serve.add_argument("--playbooks", type=Path, help="playbooks directory (default: beside checks.toml)")
    serve.add_argument(
        "--socket-group",
        default="",
        help="Unix group given the API socket (mode 0660): the duty team (default: [service] socket_group in "
        "checks.toml, else the service user's group)",
    )
    serve.add_argument("--no-api", action="store_true", help="do not listen on the API socket")
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from collectors.service.api.server import SocketPlace
    from collectors.service.logs import configure_service_logging
    from collectors.service.notify import ServiceNotifier
    from collectors.service.poller import Poller
    from collectors.service.reload import publish_room
    from collectors.service.summary import plural
    from dutyroom.config.problems import ConfigError
    from dutyroom.room import load_room
    from dutyroom.store.lock import PollerLock, StateLocked
    from dutyroom.store.records import StoreError

    configure_service_logging()
    try:
        room = load_room(args.config, args.playbooks)
    except ConfigError as error:
        for line in str(error).splitlines():
            log.error("%s", line)
        return 1
    lock = PollerLock(args.state)
    try:
        lock.acquire()
    except (StateLocked, StoreError, OSError) as error:
        log.error("%s", error)
        return 1
    try:
        with open_store(args.state) as store:
            poller = Poller(room, store, playbooks_dir=args.playbooks, notifier=ServiceNotifier.from_environment())
            poller.saver.set_meta("reload_status", "", poller.clock())
            if unpublished := publish_room(room, args.state, poller.clock()):  # consoles use it if checks.toml breaks
                log.warning("%s", unpublished)
            targets = plural(len(room.config.parsed.target), "target")
            log.info("dutyroom serve started: %s from %s, state in %s", targets, room.config.path, args.state)
            import asyncio  # here, not at the top: building the parser for any command must stay cheap

            service = room.config.parsed.service  # [service]; the command line wins
            socket_path = service_socket(args, configured=service.socket)
            place = None if args.no_api else SocketPlace(socket_path, args.socket_group or service.socket_group)
            asyncio.run(_serve(poller, args.seconds, place))
    except CommandFailed as failure:
        log.error("%s", failure)
        return 1
    finally:
        lock.release()
    log.info("dutyroom serve stopped")
    return 0


async def _serve(poller: Poller, seconds: float | None, place: SocketPlace | None) -> None:
    import asyncio
    import signal

    from collectors.service.api.server import ApiServer, SocketSetupError, api_for
    from collectors.service.audit_head import publish_audit_heads

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop_because(reason: str) -> None:
        if not stop.is_set():
            log.info("stopping: %s", reason)
            poller.publisher.stopping()
            stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop_because, signal.Signals(signum).name)
    loop.add_signal_handler(signal.SIGHUP, poller.request_reload)
    if seconds is not None:
        loop.call_later(seconds, stop_because, f"--seconds {seconds:g} elapsed")
    api: ApiServer | None = None
    if place is not None:
        api = api_for(poller, place)
        try:
            await api.start()
        except (SocketSetupError, OSError) as error:
            log.error("API socket not opened: %s; polling goes on, clients read the state directory", error)
            poller.listener_problems["API socket"] = str(error)
            api = None
    try:
        await asyncio.gather(poller.run(stop), publish_audit_heads(poller.store.audit_head, stop))
    finally:
        if api is not None:
            await api.close()
