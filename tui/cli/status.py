"""`dutyroom status`: is a poller alive on this state directory, did the last reload work, how is polling.

With `dutyroom serve` answering on its socket, the service's own reading comes through the API (a viewer
needs no access to the state directory); otherwise the state directory is read. The exit status follows the
Nagios plugin convention, so cron, Nagios/Icinga, Zabbix or another dutyroom can watch the watcher; the first
line of the text output is a plugin's status line.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, load_or_fail, open_existing_store

if TYPE_CHECKING:
    from pathlib import Path

    from dutyroom.config.load import LoadedConfig
    from dutyroom.store.liveness import PollerLiveness
    from dutyroom.views.alerts import CollectorHealth

EXIT_OK, EXIT_DEGRADED, EXIT_DOWN, EXIT_UNKNOWN = 0, 1, 2, 3
VERDICTS = {EXIT_OK: "ok", EXIT_DEGRADED: "degraded", EXIT_DOWN: "down", EXIT_UNKNOWN: "unknown"}
NOT_READ_THROUGH_SERVICE = "not readable here (the store is the service's)"
EXIT_CODES_HELP = """\
exit status (Nagios style):
  0  ok        a poller is alive and every target is polled on time
  1  degraded  a poller is alive (or starting) but: the last reload failed, checks.toml does not load,
               or some targets are not polled on time
  2  down      no poller: it is not running, or its heartbeat is older than 10 s (it hangs);
               nothing is being watched
  3  unknown   status cannot tell: the state directory does not exist or cannot be read
"""


@dataclass(frozen=True)
class Verdict:
    code: int
    problems: tuple[str, ...]

    @property
    def word(self) -> str:
        return VERDICTS[self.code]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    status = commands.add_parser(
        "status",
        parents=[common],
        help="poller, reload and collector health (exit 0 ok, 1 degraded, 2 down)",
        description="Is the room watched? Poller, last reload and collector health of a state directory.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_argument("--json", action="store_true", help="one JSON object; its `status` names the exit code")
    status.set_defaults(handler=cmd_status)


def judge(
    liveness: PollerLiveness,
    reload_status: str,
    config_problem: str,
    health: CollectorHealth | None,
    store_problems: tuple[str, ...] = (),
) -> Verdict:
    """The exit code and why (pure: the caller reads everything). A state not being saved, or a listener the
    poller runs without, is degraded: the room is watched, but not as configured."""
    from dutyroom.store.liveness import PollerState

    if liveness.state is PollerState.DOWN:
        return Verdict(EXIT_DOWN, (f"poller down ({liveness.reason}): nothing is being watched",))
    problems = []
    if liveness.state is PollerState.STARTING:
        problems.append("poller starting: no heartbeat yet")
    if reload_status:
        problems.append(reload_status)
    if config_problem:
        problems.append(f"checks.toml does not load: {config_problem}")
    if health is not None and health.stale:
        problems.append(f"{health.stale} of {health.targets} targets not polled on time")
    problems.extend(problem for problem in store_problems if problem)
    return Verdict(EXIT_DEGRADED if problems else EXIT_OK, tuple(problems))


def cmd_status(args: argparse.Namespace) -> int:
    from dutyroom.store.beacon import read_beacon
    from dutyroom.store.liveness import read_poller_liveness
    from dutyroom.views.alerts import collector_health
    from dutyroom.views.snapshot import read_engine_state
    from tui.cli.service_door import service_or_none
    from tui.service_client import ServiceRefused, ServiceUnreachable

    now = time.time()
    try:
        config = load_or_fail(args.config)
    except CommandFailed as failure:
        config, config_problem = None, str(failure).splitlines()[0]
    else:
        config_problem = ""
    try:
        service = service_or_none(args)
    except CommandFailed as failure:
        return _unknown(str(failure), as_json=args.json)
    served, unanswered = None, ""
    if service is not None:
        try:
            with service:
                served = service.status()
        except (ServiceRefused, ServiceUnreachable) as error:
            unanswered = str(error)  # a hung service: its heartbeat in the state directory says so, if readable
    if served is not None:
        liveness, reload_status = served.poller, served.reload_status
        health: CollectorHealth | None = served.health
        store_problems: tuple[str, ...] = (served.store_problem, *served.listener_problems)
        store_problem, listener_problems = served.store_problem, tuple(served.listener_problems)
    else:
        now = time.time()  # after any wait for the service: a hung one is judged by its heartbeat's age now
        try:
            with open_existing_store(args.state) as store:
                liveness = read_poller_liveness(store, now)
                reload_status = store.get_meta("reload_status") or ""
                health = collector_health(config, read_engine_state(store).health, now) if config else None
        except CommandFailed as failure:
            return _unknown(f"{unanswered}; {failure}" if service is not None else str(failure), as_json=args.json)
        beacon = read_beacon(args.state)
        store_problems = (beacon.store_problem, *beacon.listener_problems) if beacon else ()
        store_problem = beacon.store_problem if beacon else ""
        listener_problems = beacon.listener_problems if beacon else ()
    if served is not None:  # the store is the service's: a client (a viewer, say) need not be able to read it
        duties = [NOT_READ_THROUGH_SERVICE]
    else:
        try:
            duties = _duties(config, args.state, now) if config else []
        except CommandFailed as failure:  # the verdict stands without the duties
            duties = [f"not read here ({failure})"]
    verdict = judge(liveness, reload_status, config_problem, health, store_problems)
    report = {
        "status": verdict.word,
        "problems": list(verdict.problems),
        "poller": str(liveness.state),
        "poller_reason": liveness.reason,
        "poller_pid": liveness.pid,
        "poller_down_since": (liveness.since or None) if liveness.down else None,
        "heartbeat_age_s": round(now - liveness.heartbeat_at, 1) if liveness.heartbeat_at is not None else None,
        "reload": reload_status or "ok",
        "config": config_problem or "ok",
        "store": store_problem or "ok",
        "listeners": "; ".join(listener_problems) or "ok",
        "targets": health.targets if health else None,
        "on_time": health.on_time if health else None,
        "stale": health.stale if health else None,
        "failing": health.failing if health else None,
        "duties": "; ".join(duties) or "none today",
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        timezone = config.timezone if config else None
        print(f"DUTYROOM {verdict.word.upper()} - {_summary(verdict, liveness, health, timezone)}")
        for key, value in report.items():
            if key not in ("status", "problems"):
                print(f"{key:<17} {value}")
    return verdict.code


def _duties(config: LoadedConfig, state: Path, now: float) -> list[str]:
    """Today's duties, one line each ('pre-open  08:15-09:00  running  NOT READY: ...'); [] without playbooks."""
    from datetime import datetime

    from dutyroom.duties.export import duty_line
    from dutyroom.duties.reading import read_day_status
    from dutyroom.room import room_of

    room, _ = room_of(config)
    if room is None:
        return []
    language = config.parsed.site.language
    with open_existing_store(state) as store:
        statuses = read_day_status(
            config,
            store,
            datetime.fromtimestamp(now, config.timezone),
            lambda playbook_id: room.playbooks.get(playbook_id, language),
        )
    return [" ".join(duty_line(status).split()) for status in statuses]


def _summary(
    verdict: Verdict, liveness: PollerLiveness, health: CollectorHealth | None, timezone: tzinfo | None
) -> str:
    if liveness.down and liveness.since:
        moment = datetime.fromtimestamp(liveness.since, UTC).astimezone(timezone)  # None: this machine's zone
        since = moment.strftime("%Y-%m-%d %H:%M:%S %z")
        return f"poller down since {since} ({liveness.reason}): nothing is being watched"
    if verdict.problems:
        return "; ".join(verdict.problems)
    if health is None:
        return f"poller alive ({liveness.reason})"
    return f"poller alive, {health.on_time} of {health.targets} targets on time, {health.failing} failing"


def _unknown(problem: str, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"status": VERDICTS[EXIT_UNKNOWN], "problems": [problem]}, ensure_ascii=False))
    else:
        print(f"DUTYROOM UNKNOWN - {problem}")
    return EXIT_UNKNOWN
