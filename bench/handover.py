"""Handover benchmark: a 12-hour shift with about 10,000 timeline rows, then the handover and the report.

    python bench/handover.py [--targets 14] [--keep DIR]

The shift is built the way it happens: the real `Poller` on a fake clock is fed poll results (targets whose
value crosses a threshold every poll, so every poll is a transition), and operators acknowledge and note
through `dutyroom.operators.actions.submit`. Then it times, on the same store:

- reading the rows only (transitions, actions, events of the shift): the floor any handover pays;
- `write_handover` (read, build, render, write atomically) in Markdown, and the plain-text variant;
- the period report over the shift, Markdown and CSV.

Times are printed, not asserted: the machine is shared; read the ratios to the read-only peer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors.service.poller import Poller  # noqa: E402
from dutyroom.actions_model import Ack, Note  # noqa: E402
from dutyroom.config.load import load_config  # noqa: E402
from dutyroom.handover.writer import write_handover  # noqa: E402
from dutyroom.model import Identity, PollResult, Sample  # noqa: E402
from dutyroom.operators.actions import ActionRequest, submit  # noqa: E402
from dutyroom.playbooks.library import PlaybookLibrary  # noqa: E402
from dutyroom.report.writer import build_report, render_report  # noqa: E402
from dutyroom.room import Room  # noqa: E402
from dutyroom.rules.alert import fingerprint  # noqa: E402
from dutyroom.store.database import Store  # noqa: E402

SHIFT_S = 12 * 3600.0
POLL_S = 60.0
OPERATORS = (Identity("alice", ssh_client="10.8.0.5"), Identity("bob", ssh_client="10.8.0.6"))


def config_text(targets: int, shift_start: float) -> str:
    """Two 12-hour shifts, one starting at `shift_start`; `targets` latency probes and one threshold rule."""
    first = time.strftime("%H:%M", time.localtime(shift_start))
    second = time.strftime("%H:%M", time.localtime(shift_start + SHIFT_S))
    timezone = time.strftime("%z")
    lines = [
        f'[site]\nname = "bench room"\ntimezone = "{_zone_name(timezone)}"\nshifts = ["{first}", "{second}"]\n',
        '[defaults]\ninterval = "60s"\n',
    ]
    for number in range(targets):
        lines.append(
            f'[[target]]\nid = "link-{number:02d}"\ngroup = "network"\nkind = "tcp"\naddress = "tcp://127.0.0.1:9"\n'
        )
    lines.append('[[rule]]\nid = "latency"\nmetric = "link.latency_ms"\nwarning = "> 50"\ncritical = "> 200"\n')
    return "\n".join(lines)


def _zone_name(offset: str) -> str:
    """An IANA zone for the local UTC offset (Etc/GMT signs are inverted), so local shift times line up."""
    hours = int(offset[:3])
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def build_shift(state: Path, config_path: Path, targets: int, start: float) -> dict[str, int]:
    """Twelve hours of polls from `start`; returns row counts."""
    room = Room(load_config(config_path), PlaybookLibrary())
    end = start + SHIFT_S
    clock = [start]
    with Store.open(state) as store:
        poller = Poller(room, store, clock=lambda: clock[0])
        for tick in range(int(SHIFT_S // POLL_S)):
            now = start + tick * POLL_S
            clock[0] = now
            for number in range(targets):
                target = f"link-{number:02d}"
                value = 300.0 if (tick + number) % 2 else 20.0
                poller.intake(PollResult(target, now, (Sample(target, "link.latency_ms", value, now, unit="ms"),)))
            poller.step()
            if tick % 6 == 0:
                operator = OPERATORS[(tick // 6) % 2]
                alert = fingerprint("latency", f"link-{tick % targets:02d}", ())
                action = Ack(comment=f"checked at tick {tick}") if tick % 12 else Note(text="链路抖动，已通知运营商")
                submit(store, room.config, operator, ActionRequest(action, alert), now + 1)
        counts = {
            "transitions": len(store.transitions_between(start, end + 1)),
            "actions": len(store.actions_between(start, end + 1)),
            "events": len(store.events_between(start, end + 1, limit=1_000_000)),
        }
    return counts


def timed(label: str, action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    best = min(times)
    print(f"  {label:<44} best {1000 * best:8.1f} ms   median {1000 * statistics.median(times):8.1f} ms")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, default=14, help="toggling targets (14 x 720 polls ~ 10,000 rows)")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="dutyroom-bench-handover-"))
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    start = (now - SHIFT_S - 120) // 60 * 60
    config_path = root / "checks.toml"
    config_path.write_text(config_text(args.targets, start))
    state = root / "state"
    began = time.perf_counter()
    counts = build_shift(state, config_path, args.targets, start)
    total = sum(counts.values())
    print(f"shift built through the poller in {time.perf_counter() - began:.1f} s: {counts} = {total} rows")
    room = Room(load_config(config_path), PlaybookLibrary())
    actor = Identity(os.environ.get("USER", "bench"))
    with Store.open(state) as store:

        def read_rows() -> None:
            store.transitions_between(start, now)
            store.transitions_before(start)
            store.actions_after(0, 1_000_000)
            store.events_between(start, now, limit=1_000_000)

        def handover(fmt: str) -> Callable[[], object]:
            out = root / f"bench-handover.{fmt}"
            return lambda: write_handover(room, store, now, actor=actor, out=out, fmt=fmt)

        def report(fmt: str) -> Callable[[], object]:
            return lambda: render_report(build_report(room, store, start, now, now), fmt)

        print(f"on {total} rows (shift {SHIFT_S / 3600:.0f} h, {args.targets} flapping targets):")
        floor = timed("read the rows only (peer)", read_rows)
        results = {
            "handover md": timed("write_handover, Markdown", handover("md")),
            "handover txt": timed("write_handover, plain text", handover("txt")),
            "report md": timed("period report, Markdown", report("md")),
            "report csv": timed("period report, CSV", report("csv")),
        }
    for name, seconds in results.items():
        print(f"  {name:<14} = {seconds / floor:5.1f} x reading the rows")
    size = (root / "bench-handover.md").stat().st_size
    print(f"handover file: {size} bytes; kept in {root}" if args.keep else f"handover file: {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
