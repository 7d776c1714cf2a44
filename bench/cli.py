"""Command start-up benchmark: what a command costs before it does anything, against a bare interpreter.

    python bench/cli.py [--runs 15]        (or `make bench-cli`)

Bench note: each command is started `--runs` times as a fresh process, the commands taking turns so that a
burst of load on the shared machine lands on all of them alike, and the median wall time of each is printed
with its ratio to `python -c pass` (the floor every command pays):

- `dutyroom alerts --help` and `dutyroom ack --help`: argument parsing only; the commands import their heavy
  modules inside their handlers, so this is the price of a typo or of tab completion;
- `dutyroom alerts` on an empty state directory with the shipped checks.toml (its secrets set to
  placeholders): a real command that loads and validates the whole room and opens the store.

Times are printed, not asserted: the machine is shared, read the ratios.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from dutyroom.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_CONFIG = ROOT / "checks.toml"


def dutyroom_command() -> list[str]:
    """The installed `dutyroom` script beside this interpreter (what an operator types), else the module."""
    script = Path(sys.executable).parent / "dutyroom"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli.main"]


def placeholder_secrets(config: Path) -> dict[str, str]:
    """Every environment variable the config takes a secret from, set to a placeholder."""
    names = set(re.findall(r'env = "([A-Z0-9_]+)"', config.read_text(encoding="utf-8")))
    return dict.fromkeys(sorted(names), "placeholder")


def time_once(command: Sequence[str], env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=dict(env), cwd=ROOT, timeout=120, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 2):  # 2: `alerts` lists the state while no poller is alive, and says so
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return elapsed


def measure(commands: Mapping[str, Sequence[str]], env: Mapping[str, str], runs: int) -> dict[str, list[float]]:
    """Run every command `runs` times, taking turns; one warm-up round first (file cache, .pyc files)."""
    for command in commands.values():
        time_once(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(time_once(command, env))
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15, help="starts of each command (default 15)")
    args = parser.parse_args(argv)
    dutyroom = dutyroom_command()
    env = {**os.environ, **placeholder_secrets(SHIPPED_CONFIG)}
    with tempfile.TemporaryDirectory(prefix="dutyroom-bench-cli-") as scratch:
        state = Path(scratch) / "state"
        Store.open(state).close()  # an empty room: read commands never create one
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "dutyroom alerts --help": [*dutyroom, "alerts", "--help"],
            "dutyroom ack --help": [*dutyroom, "ack", "--help"],
            "dutyroom alerts (empty state)": [
                *dutyroom, "alerts", "--config", str(SHIPPED_CONFIG), "--state", str(state),
            ],
        }  # fmt: skip
        times = measure(commands, env, args.runs)
    floor = statistics.median(times["python -c pass"])
    print(f"command start-up, median of {args.runs} runs each ({' '.join(dutyroom)}; load {_load()})")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"  {name:<32} {median * 1000:7.1f} ms  {median / floor:5.1f}x  (min {min(samples) * 1000:.1f} ms)")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
