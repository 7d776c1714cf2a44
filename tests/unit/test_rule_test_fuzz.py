"""Whatever a rule test file says, `run_rule_test` reports problems or mismatches; it never raises.

Random starts, steps, offsets and series strings (seeded, so a failure replays) go through the same
reader and runner the `test-rules` command uses.
"""

from __future__ import annotations

import random
from pathlib import Path

from dutyroom.rules.rule_tests import run_rule_test

RULES = Path(__file__).resolve().parents[1] / "rules"
ROUNDS = 300

STARTS = [
    '"2026-11-23T10:00:00+08:00"',
    '"2026-11-23T10:00:00"',
    '"2026-11-23"',
    "2026-11-23T10:00:00",
    "2026-11-23",
    "1795399200",
    "-99999999999999",
    "99999999999999999",
    '"9999-12-31T23:59:59+00:00"',
    '"0001-01-01T00:00:00"',
    '"tomorrow"',
    '""',
    "true",
    "1.5",
]
DURATIONS = ["10s", "0s", "1ms", "9" * 400 + "s", "99999999999999d", "5m30s", "-5s", "", "s", "1e3s", "NaNs", "10"]
TOKENS = ["1", "-2+4x3", "1x3", "_", "_x3", "stale", "fail", "online", "1+1", "x", "0x1f", "NaN", "1e999", "1x999"]


def random_test_file(rng: random.Random) -> str:
    values = " ".join(rng.choice(TOKENS) for _token in range(rng.randint(0, 6)))
    if rng.random() < 0.2:
        values = "".join(rng.choice("0123456789+-x_ .estaleNaIf") for _char in range(rng.randint(0, 20)))
    step_key = rng.choice(["step", "interval"])
    return (
        f'config = "{RULES / "checks.toml"}"\n'
        f"start = {rng.choice(STARTS)}\n"
        f'{step_key} = "{rng.choice(DURATIONS)}"\n'
        "[[series]]\n"
        f'target = "{rng.choice(["ups-a", "exch-sse", "nobody"])}"\n'
        f'metric = "{rng.choice(["ups.runtime_min", "tcp.up", ""])}"\n'
        f'values = "{values}"\n'
        "[[expect]]\n"
        f'at = "{rng.choice(DURATIONS)}"\n'
        "alerts = []\n"
    )


def test_random_rule_test_files_never_raise(tmp_path: Path) -> None:
    rng = random.Random(7)
    outcomes = {"passed": 0, "problems": 0, "failures": 0}
    for round_number in range(ROUNDS):
        path = tmp_path / f"fuzz-{round_number}.test.toml"
        path.write_text(random_test_file(rng))
        result = run_rule_test(path)
        outcomes["problems" if result.problems else "failures" if result.failures else "passed"] += 1
        assert all(problem.line >= 1 and problem.col >= 1 for problem in result.problems), path.read_text()
    assert all(count > 0 for count in outcomes.values()), outcomes
