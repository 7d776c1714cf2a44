"""Run the demo room: simulators up, effective checks.toml written, the real Poller on it, scenario or drills.

Without `headless` the console runs on the same event loop (when the console package is there); otherwise
the poller runs alone until `seconds` pass or SIGINT/SIGTERM. The state directory is locked like `serve`'s,
and marked as a demo's, so the demo never takes over a real room's state directory. The simulated devices
are always the shipped ones (package data, see `tui.demo.shipped`); the room's checks.toml may be another.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from collectors.service.poller import Poller
from dutyroom.config.problems import ConfigError
from dutyroom.room import Room, load_room
from dutyroom.store.database import Store
from dutyroom.store.lock import PollerLock, StateLocked
from tui.demo.config_writer import DemoConfigError, generate_secrets, write_effective_config
from tui.demo.director import Director, drill_named
from tui.demo.room import DemoRoom
from tui.demo.scenario import INCIDENT
from tui.demo.shipped import NotOnDisk, shipped_devices
from tui.demo.sim_clock import ClockStartError, clock_start, simulated_clock
from tui.demo.snmpsim_agent import AgentError, require_snmpsim

MARKER = ".dutyroom-demo"
DRILL_DELAY_S = 6.0
"""Real seconds between the first polls and the drills (so counters have a baseline to compute rates)."""
CONSOLE_GRACE_S = 2.0
"""How long a console that does not watch the stop event gets to finish before it is cancelled."""
RECEIVER_WAIT_STEPS = 100
"""Tenths of a second to wait for the poller's trap receiver before the first step."""


class DemoError(RuntimeError):
    """The demo cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class DemoOptions:
    room_config: Path
    """The checks.toml describing the room: the shipped one (`tui.demo.shipped.shipped_config`) or a copy."""
    state: Path
    headless: bool = False
    seconds: float | None = None
    clock_speed: float = 1.0
    drills: tuple[str, ...] = ()
    language: str = ""
    playbooks: Path | None = None
    """Default: playbooks/ beside `room_config`."""
    clock_start: str = ""
    """Run on a simulated clock starting here ('08:10': the next trading day; or an ISO date-time)."""

    @property
    def playbooks_dir(self) -> Path:
        return self.playbooks or self.room_config.parent / "playbooks"


def claim_state_dir(state: Path) -> None:
    """Use `state` for the demo: new or empty, or a previous demo's; refuse anything else."""
    if state.exists() and not state.is_dir():
        raise DemoError(f"{state} is not a directory")
    if state.is_dir() and any(state.iterdir()) and not (state / MARKER).exists():
        raise DemoError(f"{state} holds state that is not a demo's; give the demo its own directory with --state")
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    (state / MARKER).write_text("This state directory belongs to `dutyroom demo`.\n")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_demo(options: DemoOptions) -> int:
    """The `dutyroom demo` command: returns the exit status."""
    for name in options.drills:
        drill_named(name)
    if not options.room_config.is_file():
        raise DemoError(f"room configuration {options.room_config} not found (leave out --config for the shipped room)")
    try:
        require_snmpsim()
        devices = shipped_devices()
    except (AgentError, NotOnDisk) as error:
        raise DemoError(str(error)) from None
    claim_state_dir(options.state)
    try:
        with PollerLock(options.state):
            asyncio.run(_run(options, devices))
    except (AgentError, DemoConfigError, ConfigError, StateLocked) as error:
        raise DemoError(str(error)) from None
    return 0


async def _run(options: DemoOptions, devices: Path) -> None:
    room_secrets = generate_secrets()
    room = DemoRoom(devices, options.state / "room", room_secrets)
    try:
        addresses = await room.start()
        playbooks = options.playbooks_dir
        config_path, notes = write_effective_config(
            options.room_config, options.state, addresses, room_secrets, playbooks=playbooks
        )
        for note in notes:
            _say(f"dutyroom demo: {note}")
        loaded = load_room(config_path, playbooks)
        clock = _clock(options, loaded)
        _say(f"dutyroom demo: room config written to {config_path}")
        _say(f"dutyroom demo: see it with `dutyroom alerts --config {config_path} --state {options.state}`")
        with Store.open(options.state) as store:
            poller = Poller(loaded, store, playbooks_dir=playbooks, clock=clock)
            await _operate(options, room, poller, addresses.trap_port)
        if not options.headless:
            _say(f"dutyroom demo: the run's state stays in {options.state} (config {config_path})")
    finally:
        await room.close()


def _clock(options: DemoOptions, room: Room) -> Callable[[], float]:
    """The real clock, or the simulated one --clock-start asks for (announced, with what it does not reach)."""
    if not options.clock_start:
        return time.time
    config = room.config
    try:
        start = clock_start(options.clock_start, config.calendar, config.timezone, time.time())
    except ClockStartError as error:
        raise DemoError(str(error)) from None
    _say(
        f"dutyroom demo: simulated clock from {start:%a %Y-%m-%d %H:%M} ({config.timezone.key}); "
        "commands in other shells read the real clock (`dutyroom duties --at` looks at another time)"
    )
    return simulated_clock(start, time.time())


async def _operate(options: DemoOptions, room: DemoRoom, poller: Poller, trap_port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if options.seconds is not None:
        loop.call_later(options.seconds, stop.set)
    console = None if options.headless else _console_runner(options, poller)
    director = Director(room, poller, clock_speed=options.clock_speed, report=_say if console is None else None)
    room.attach_trap_receiver(("127.0.0.1", trap_port))
    tasks = [asyncio.create_task(room.run_physics(stop), name="demo-physics")]
    tasks.append(asyncio.create_task(_drive(director, options, stop), name="demo-director"))
    try:
        if console is not None:
            await console(stop)
        else:
            await poller.run(stop)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await director.end_all_drills(restore=False)
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


async def _drive(director: Director, options: DemoOptions, stop: asyncio.Event) -> None:
    for _ in range(RECEIVER_WAIT_STEPS):  # traps sent before the receiver listens would be lost
        if director.poller.trap_address is not None or stop.is_set():
            break
        await asyncio.sleep(0.1)
    if not options.drills:
        await director.play(INCIDENT, stop)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), DRILL_DELAY_S)
    if not stop.is_set():
        for name in options.drills:
            await director.start_drill(name)


def _console_runner(options: DemoOptions, poller: Poller) -> Callable[[asyncio.Event], Awaitable[None]] | None:
    """The console on this loop (it runs the poller itself), or None (with a message) when it is not there."""
    if importlib.util.find_spec("tui.app") is None:
        _say("dutyroom demo: the console is not available in this build; running headless (Ctrl-C stops)")
        return None
    from tui.launch import ConsoleOptions, run_console_async

    console_settings = ConsoleOptions(language=options.language, clock=poller.clock)

    async def run(stop: asyncio.Event) -> None:
        console = asyncio.create_task(
            run_console_async(poller.room, poller.store, poller=poller, options=console_settings, stop=stop)
        )  # fmt: skip
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({console, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not console.done():  # --seconds or a signal: give the console a moment to close, then end it
            _, pending = await asyncio.wait({console}, timeout=CONSOLE_GRACE_S)
            for task in pending:
                task.cancel()
        stopped.cancel()
        await asyncio.gather(console, stopped, return_exceptions=True)

    return run
