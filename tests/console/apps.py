"""The console under test: the real app on a fake source, frozen at FIXED_NOW, and what it shows the operator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tui.app import DutyroomApp, create_app

from .fakes import FIXED_NOW, FakeSource

HAND_TICKS_S = 3600.0
"""The console's own tick in pilot tests: never during a test, which ticks by hand (`app.refresh_snapshot()`), so a
loaded host that makes a test slower than a second cannot add a look, a read or a repaint the test did not ask for."""


def console_app(source: FakeSource | None = None, **options: Any) -> DutyroomApp:
    """The console on `source` (a fresh fake room by default, reading and acting), with a frozen clock, no remote
    guessing and no tick of its own."""
    options.setdefault("remote", False)
    options.setdefault("refresh_s", HAND_TICKS_S)
    options.setdefault("sixteen_colors", False)
    room = source if source is not None else FakeSource()
    return create_app(room, room, clock=lambda: FIXED_NOW, **options)


def notification_messages(app: DutyroomApp) -> list[str]:
    """The notifications currently shown (Textual keeps them on the app)."""
    return [notification.message for notification in app._notifications]


WAITS = 400
"""Pauses of 0.02 s before a wait gives up: bounded in count, so a loaded host waits longer rather than failing."""


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], object], what: str, *, tick: Callable[[], None] | None = None
) -> None:
    """Wait, bounded, for what a thread or a site brings; `tick` stands in for the console's own tick (the pilot
    tests tick by hand) where what is awaited shows on the next tick."""
    for _ in range(WAITS):
        if condition():
            return
        if tick is not None:
            tick()
        await pilot.pause(0.02)
    raise AssertionError(f"gave up waiting for {what}")
