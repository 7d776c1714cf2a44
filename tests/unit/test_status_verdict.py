"""`dutyroom status` speaks Nagios: 0 ok, 1 degraded, 2 down (3 when it cannot tell), and its help says so."""

from __future__ import annotations

import pytest

from dutyroom.store.liveness import POLLER_DOWN_AFTER_S, PollerLiveness, PollerState
from dutyroom.views.alerts import CollectorHealth
from tui.cli.main import build_parser
from tui.cli.status import EXIT_CODES_HELP, judge

ALIVE = PollerLiveness(PollerState.ALIVE, "heartbeat 0.2 s ago", 0.0, 7, 99.8)
ALL_ON_TIME = CollectorHealth(targets=3, on_time=2, stale=0, failing=1)


def test_an_alive_poller_polling_everything_is_ok_even_with_failing_devices() -> None:
    verdict = judge(ALIVE, "", "", ALL_ON_TIME)
    assert (verdict.code, verdict.word, verdict.problems) == (0, "ok", ())


@pytest.mark.parametrize(
    ("liveness", "reload_status", "config_problem", "health", "problem"),
    [
        (ALIVE, "reload failed: checks.toml:3:1: bad", "", ALL_ON_TIME, "reload failed: checks.toml:3:1: bad"),
        (ALIVE, "", "checks.toml:3:1: bad", None, "checks.toml does not load: checks.toml:3:1: bad"),
        (ALIVE, "", "", CollectorHealth(3, 1, 2, 0), "2 of 3 targets not polled on time"),
        (
            PollerLiveness(PollerState.STARTING, "started, no heartbeat yet", 0.0, 7, None),
            "",
            "",
            ALL_ON_TIME,
            "poller starting: no heartbeat yet",
        ),
    ],
)
def test_degraded_says_why(
    liveness: PollerLiveness, reload_status: str, config_problem: str, health: CollectorHealth | None, problem: str
) -> None:
    verdict = judge(liveness, reload_status, config_problem, health)
    assert (verdict.code, verdict.word) == (1, "degraded")
    assert verdict.problems == (problem,)


@pytest.mark.parametrize("reason", ["not running", "no heartbeat for 42 s"])
def test_a_dead_or_hung_poller_is_down_whatever_else_holds(reason: str) -> None:
    down = PollerLiveness(PollerState.DOWN, reason, 50.0, 7, 50.0)
    verdict = judge(down, "reload failed: x", "", ALL_ON_TIME)
    assert (verdict.code, verdict.word) == (2, "down")
    assert verdict.problems == (f"poller down ({reason}): nothing is being watched",)


def test_the_help_documents_the_exit_codes_and_the_bound(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["status", "--help"])
    shown = capsys.readouterr().out
    assert EXIT_CODES_HELP.splitlines()[0] in shown
    for line in ("0  ok", "1  degraded", "2  down", "3  unknown"):
        assert line in shown
    assert f"older than {POLLER_DOWN_AFTER_S:.0f} s" in shown, "the help states the bound the code uses"
