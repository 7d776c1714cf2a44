"""The repository's rule tests, run through `dutyroom test-rules` as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[1] / "rules"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_every_rule_test_file_passes() -> None:
    files = sorted(str(path) for path in RULES.glob("*.test.toml"))
    assert len(files) >= 10
    result = run_cli("test-rules", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(files)} passed, 0 failed" in result.stdout


def test_a_wrong_expectation_fails_with_what_was_seen() -> None:
    result = run_cli("test-rules", str(RULES / "failing" / "wrong-expectation.toml"))
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "at 20s: expected {rule=ups-on-battery, target=ups-a, phase=firing}; got no alerts" in result.stdout


def test_a_rule_test_naming_a_broken_config_reports_its_problems(tmp_path: Path) -> None:
    (tmp_path / "checks.toml").write_text('[site]\nname = "x"\n[[rule]]\nid = "r"\nmetric = "m"\ncritical = "=> 1"\n')
    test_file = tmp_path / "t.test.toml"
    test_file.write_text('config = "checks.toml"\nstart = "2026-11-23T10:00:00+08:00"\n')
    result = run_cli("test-rules", str(test_file))
    assert result.returncode == 1
    assert "checks.toml:6:12: bad condition '=> 1'" in result.stdout


def run_cli_in(timezone: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "TZ": timezone}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )


def write_rule_test(tmp_path: Path, text: str) -> Path:
    test_file = tmp_path / "t.test.toml"
    test_file.write_text(f'config = "{RULES / "checks.toml"}"\n' + text)
    return test_file


def problem_lines(result: subprocess.CompletedProcess[str], test_file: Path) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(f"{test_file}:")]


@pytest.mark.parametrize("host_timezone", ["America/New_York", "Europe/Berlin", "UTC"])
def test_a_naive_start_is_read_in_the_sites_timezone_whatever_the_hosts(host_timezone: str) -> None:
    result = run_cli_in(host_timezone, "test-rules", str(RULES / "naive-start.test.toml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_toml_local_datetime_is_read_in_the_sites_timezone_too(tmp_path: Path) -> None:
    text = (RULES / "naive-start.test.toml").read_text().replace('"2026-11-23T10:00:00"', "2026-11-23T10:00:00")
    test_file = tmp_path / "naive.test.toml"
    test_file.write_text(text.replace('config = "checks.toml"', f'config = "{RULES / "checks.toml"}"'))
    result = run_cli_in("America/New_York", "test-rules", str(test_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_unix_start_is_accepted_as_promtool_accepts_start_timestamp(tmp_path: Path) -> None:
    # 1795399200 is 2026-11-23T10:00:00+08:00, a Monday in continuous trading.
    test_file = write_rule_test(
        tmp_path,
        "start = 1795399200\n"
        '[[series]]\ntarget = "exch-sse"\nmetric = "tcp.up"\nvalues = "0"\n'
        '[[expect]]\nat = "0s"\n'
        'alerts = [{ rule = "exchange-line-down", target = "exch-sse", severity = "critical" }]\n',
    )
    result = run_cli("test-rules", str(test_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_start_step_at_and_series_are_file_line_col_problems(tmp_path: Path) -> None:
    test_file = write_rule_test(
        tmp_path,
        'start = "2026-11-23 at ten"\n'  # line 2
        'step = "ten seconds"\n'  # line 3
        "\n"
        "[[series]]\n"
        'target = "ups-a"\n'
        'metric = "ups.runtime_min"\n'
        'values = "30 1+1 _x2 Stale"\n'  # line 8: the string opens at column 10
        "\n"
        "[[expect]]\n"
        'at = "soon"\n'  # line 11
        "alerts = []\n",
    )
    result = run_cli("test-rules", str(test_file))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert problem_lines(result, test_file) == [
        f"{test_file}:2:9: bad start time '2026-11-23 at ten' (use an ISO 8601 time such as "
        "2026-11-23T09:30:00+08:00; without an offset it is read in the site's timezone)",
        f"{test_file}:3:8: bad duration 'ten seconds' (use e.g. 30s, 5m, 1h30m, 365d)",
        f"{test_file}:8:14: '1+1' steps but does not repeat (write e.g. 1+1x4)",
        f"{test_file}:8:22: unknown word 'Stale' in a series (did you mean 'stale'?)",
        f"{test_file}:11:6: bad duration 'soon' (use e.g. 30s, 5m, 1h30m, 365d)",
    ]
    assert f"FAIL {test_file}: 5 problem(s)" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('start = "2026-11-23T10:00:00+08:00"\nstep = "0s"\n', ":3:8: step must be longer than 0s"),
        ('start = "2026-11-23T10:00:00+08:00"\ninterval = "x"\n', ":3:12: bad duration 'x'"),
        (
            'start = "2026-11-23T10:00:00+08:00"\nstep = "10s"\ninterval = "10s"\n',
            ":4:1: give 'step' or 'interval' (promtool's name for it), not both",
        ),
        ("start = 2026-11-23\n", ":2:9: Expected `int | str`, got `date` for 'start'"),
        (
            'start = "2026-11-23T10:00:00+08:00"\n[[series]]\ntarget = "ups-b"\nvalues = "1"\n',
            ":4:10: unknown target 'ups-b'",
        ),
        (
            'start = "2026-11-23T10:00:00+08:00"\n[[series]]\ntarget = "ups-a"\nvalues = "1 stale"\n',
            ":5:13: 'stale' ends a metric's series: give this series a 'metric'",
        ),
    ],
)
def test_each_bad_setting_is_one_line_at_its_place(tmp_path: Path, text: str, expected: str) -> None:
    test_file = write_rule_test(tmp_path, text)
    result = run_cli("test-rules", str(test_file))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = problem_lines(result, test_file)
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"{test_file}{expected}")


def test_a_config_that_does_not_exist_is_a_problem_at_the_config_key(tmp_path: Path) -> None:
    test_file = tmp_path / "t.test.toml"
    test_file.write_text('start = "2026-11-23T10:00:00+08:00"\nconfig = "nowhere/checks.toml"\n')
    result = run_cli("test-rules", str(test_file))
    assert result.returncode == 1
    assert problem_lines(result, test_file) == [
        f"{test_file}:2:10: config file {tmp_path.resolve() / 'nowhere' / 'checks.toml'} does not exist"
    ]


def test_a_file_that_is_not_there_or_not_toml_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    absent = tmp_path / "absent.test.toml"
    broken = tmp_path / "broken.test.toml"
    broken.write_text('start = "2026-11-23T10:00:00+08:00\n')
    result = run_cli("test-rules", str(absent), str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert problem_lines(result, absent) == [f"{absent}:1:1: cannot read file: No such file or directory"]
    (syntax_error,) = problem_lines(result, broken)
    assert syntax_error.startswith(f"{broken}:1:")
    assert "TOML syntax error" in syntax_error
    assert "0 passed, 2 failed" in result.stdout
