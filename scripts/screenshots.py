"""Regenerate screenshots/ from the demo room: run the room headless through part of the scripted incident,
then open the real console (StoreSource on that state) headless at 80x24 and 120x40, in English and Chinese,
and save every screen as SVG.

    .venv/bin/python scripts/screenshots.py [--seconds 45]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dutyroom.model import Identity
from dutyroom.operators.desk import StoreDesk
from dutyroom.room import load_room
from dutyroom.store.database import Store
from dutyroom.views.store_source import StoreSource
from tui.app import create_app

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
SIZES = ((80, 24), (120, 40))


async def shoot(state: Path, language: str, size: tuple[int, int], now: float) -> list[Path]:
    room = load_room(state / "checks.toml")
    saved: list[Path] = []
    with Store.open(state) as store:
        identity = Identity("duty-a")
        source = StoreSource(room, store, identity, "viewer", language=language)
        desk = StoreDesk(store, room.config, identity, room.playbooks, language=language)
        app = create_app(source, desk, language=language, remote=False, bell=False, clock=lambda: now)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(1.5)
            base = f"{language}-{size[0]}x{size[1]}"

            def save(name: str) -> None:
                path = OUT / f"{name}-{base}.svg"
                app.save_screenshot(filename=path.name, path=str(OUT))
                saved.append(path)

            save("main")
            await pilot.press("a")
            await pilot.pause(0.5)
            await pilot.press(*"UPS vendor called, ETA 40 min")
            save("ack-dialog")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(1.2)
            save("detail")
            await pilot.press("escape")
            await pilot.press("t")
            await pilot.pause(1.2)
            save("timeline")
            await pilot.press("escape")
            await pilot.press("question_mark")
            await pilot.pause(0.5)
            save("help")
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=45.0, help="how long the room runs before the shots")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        state = Path(work) / "state"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tui.cli.main",
                "demo",
                "--headless",
                "--seconds",
                str(args.seconds),
                "--clock-speed",
                "2",
                "--config",
                str(ROOT / "checks.toml"),
                "--state",
                str(state),
            ],
            cwd=ROOT,
            check=True,
            timeout=args.seconds + 120,
        )
        now = time.time()
        for language in ("en", "zh"):
            for size in SIZES:
                for path in asyncio.run(shoot(state, language, size, now)):
                    print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
