"""What one console tick pays to read the engine state: the store's blobs, then the console's decoding cache.

    .venv/bin/python bench/engine_state.py [--targets 1000] [--ports 4] [--ticks 30] [--checkout DIR]

A real `Engine` evaluates a room of N targets, each with a reachability rule and one interface-errors check
per port (a tenth of the ports over the threshold, so about a tenth of the checks are active); every tick
every value moves, so every blob changes, as in a live room polled every interval. The engine's changes go
to a real store; then the console's read is timed: `Store.load_alert_states` and `EngineStateCache.read`.
`--checkout` runs the same room against another checkout of dutyroom (e.g. the commit before a change).
Times are printed, not asserted: the machine is shared; read the ratios of one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def write_room(directory: Path, targets: int, ports: int) -> Path:
    lines = ['[site]\nname = "bench room"\n', '[defaults]\ninterval = "10s"\n']
    lines += [
        f'[[target]]\nid = "sw-{index:04d}"\ngroup = "links"\nkind = "tcp"\naddress = "tcp://127.0.0.1:9"\n'
        for index in range(targets)
    ]
    lines.append('[[rule]]\nid = "sw-down"\nkind = "reachability"\n')
    lines.append('[[rule]]\nid = "if-errors"\nmetric = "if.in_errors"\nwarning = "> 100"\n')
    config = directory / "checks.toml"
    config.write_text("\n".join(lines))
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--ports", type=int, default=4)
    parser.add_argument("--ticks", type=int, default=30)
    parser.add_argument("--checkout", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    sys.path.insert(0, str(args.checkout.resolve()))

    from dutyroom.config.load import load_config
    from dutyroom.model import PollResult, Sample, make_labels
    from dutyroom.rules.engine import Engine
    from dutyroom.store.database import Store
    from dutyroom.views.source_cache import EngineStateCache

    print(f"dutyroom from {Path(sys.modules['dutyroom'].__file__ or '').parent.parent}")
    with tempfile.TemporaryDirectory(prefix="bench-engine-state-") as scratch:
        directory = Path(scratch)
        engine = Engine(load_config(write_room(directory, args.targets, args.ports)))
        cache = EngineStateCache()
        loads: list[float] = []
        reads: list[float] = []
        now = 1_800_000_000.0
        with Store.open(directory / "state") as store:
            for tick in range(args.ticks + 1):
                now += 10.0
                results = [
                    PollResult(
                        f"sw-{index:04d}",
                        now,
                        tuple(
                            Sample(
                                f"sw-{index:04d}",
                                "if.in_errors",
                                float(150 + tick if (index + port) % 10 == 0 else tick % 50),
                                now,
                                make_labels({"ifname": f"XGE1/0/{port}"}),
                            )
                            for port in range(args.ports)
                        ),
                    )
                    for index in range(args.targets)
                ]
                engine.evaluate(results, now)
                upserts, deletes = engine.export_changes()
                store.save_alert_states(upserts, deletes)
                started = time.perf_counter()
                blobs = store.load_alert_states()
                loaded = time.perf_counter()
                state = cache.read(blobs)
                done = time.perf_counter()
                if tick:  # the first read decodes everything once; the steady state is what a tick costs
                    loads.append(loaded - started)
                    reads.append(done - loaded)
        active = sum(check.active for check in engine.checks.values())
    print(
        f"{args.targets} targets, {len(blobs)} blobs ({active} active checks, {len(state.checks)} read), "
        f"every blob changed each tick, {args.ticks} ticks"
    )
    print(f"load_alert_states      median {1000 * statistics.median(loads):7.2f} ms")
    print(f"EngineStateCache.read  median {1000 * statistics.median(reads):7.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
