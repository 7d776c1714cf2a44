"""What `dutyroom check` asks of the collectors before anything runs: can every target be set up, does every
rule read a metric that a target in its scope gives, can the trap receiver start.

`dutyroom/` may not import the collectors, so checks.toml's loader cannot know what a profile or a collector
produces; these checks live here and the `check` command (and a reload) merge their problems with the loader's,
each at the checks.toml key it concerns. Without them a mistyped profile or metric passes `check` and the
target is silently unpolled, or the rule silently never evaluates.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from collectors.snmp.profile_model import Profile
from collectors.snmp.profiles import INSTALLED_DIR, ProfileError, profile_path, site_profile_dirs
from collectors.snmp.profiles_check import checked_profile
from collectors.trap_mapping import KNOWN_TRAPS, UNKNOWN_TRAP_METRIC, UPS_ALARM_ADDED_EFFECTS, UPS_ALARM_REMOVED_EFFECTS
from collectors.trap_spec import engine_id_bytes
from dutyroom.config.load import LoadedConfig
from dutyroom.config.problems import Problem, ProblemCollector
from dutyroom.config.toml_positions import KeyPath
from dutyroom.config.types import (
    AlertmanagerTarget,
    HostTarget,
    HttpTarget,
    SeriesRuleBase,
    SnmpTarget,
    Target,
    TcpTarget,
    TrapTarget,
)
from dutyroom.model import SOURCE_ALERT_METRIC

HTTP_METRICS = frozenset({"http.up", "http.status", "http.latency_ms"})
"""Every HTTP target gives these, besides its `fields` and `prometheus` metrics (collectors/http.py)."""
TCP_METRICS = frozenset({"tcp.up", "tcp.connect_ms"})
"""collectors/tcp.py."""
HOST_METRICS = frozenset(
    {"host.cpu_pct", "host.mem_used_pct", "host.load1", "host.load5", "host.load15", "host.uptime_s"}
    | {"host.disk_used_pct"}
)
"""collectors/host.py (disk usage per mount point, labelled by path)."""
TRAP_METRICS = frozenset(
    {metric for meaning in KNOWN_TRAPS.values() for metric, _ in meaning.effects}
    | {metric for effects in UPS_ALARM_ADDED_EFFECTS.values() for metric, _ in effects}
    | {metric for effects in UPS_ALARM_REMOVED_EFFECTS.values() for metric, _ in effects}
    | {"ups.runtime_min"}  # from the estimated minutes a upsTrapOnBattery carries
    | {UNKNOWN_TRAP_METRIC}
)
"""What known traps set on the target their source maps to (collectors/trap_mapping.py)."""


@dataclass(frozen=True)
class TargetMetrics:
    """The metrics one target can give; `known` is False when its profile could not be read."""

    names: frozenset[str]
    known: bool = True


@dataclass(frozen=True)
class CollectorCheck:
    problems: list[Problem]
    waiting_rules: list[str]
    """Rules for a kind of device the room has none of yet (a starting site's UPS rules): noted, not refused."""


def check_collectors(config: LoadedConfig) -> list[Problem]:
    """Every problem with profiles, rule metrics and the trap receiver, placed in checks.toml (or a profile)."""
    return assess_collectors(config).problems


def assess_collectors(config: LoadedConfig) -> CollectorCheck:
    """`check_collectors`, and the rules that wait for a target able to feed them."""
    problems = ProblemCollector(str(config.path), positions=config.positions)
    profiles = _check_profiles(config, problems)
    metrics = {target.id: metrics_of(target, profiles.get(target.id), config) for target in config.parsed.target}
    waiting: list[str] = []
    # Read every profile only if a rule reads a near miss: a reload of serve pays for nothing otherwise.
    known = functools.cache(lambda: profile_metric_names(site_profile_dirs(config.base_dir)))
    for index, rule in enumerate(config.parsed.rule):
        if isinstance(rule, SeriesRuleBase) and not _check_rule_metrics(config, index, rule, metrics, known, problems):
            waiting.append(rule.id)
    _check_traps(config, problems)
    return CollectorCheck(sorted(set(problems.problems)), waiting)


def metrics_of(target: Target, profile: Profile | None, config: LoadedConfig) -> TargetMetrics:
    """What `target` can give: its profile's or its kind's metrics, plus those its traps set."""
    traps = TRAP_METRICS if config.parsed.traps is not None else frozenset()
    match target:
        case SnmpTarget():
            from_traps = traps if target.trap_sources else frozenset()
            if profile is None:
                return TargetMetrics(from_traps, known=False)
            return TargetMetrics(frozenset(profile.metric_names) | from_traps)
        case HttpTarget():
            given = set(target.fields) | {selector.metric for selector in target.prometheus}
            return TargetMetrics(HTTP_METRICS | given)
        case TcpTarget():
            return TargetMetrics(TCP_METRICS)
        case HostTarget():
            return TargetMetrics(HOST_METRICS)
        case TrapTarget():
            return TargetMetrics(TRAP_METRICS)
        case AlertmanagerTarget():
            return TargetMetrics(frozenset({SOURCE_ALERT_METRIC}))


def profile_metric_names(site_dirs: Iterable[Path] = ()) -> frozenset[str]:
    """Every metric some profile can give: the installed ones and the site's own (those that load)."""
    names = set(_installed_metric_names())
    for directory in site_dirs:
        names.update(_metric_names_in(Path(directory)))
    return frozenset(names)


@functools.cache
def _installed_metric_names() -> frozenset[str]:
    return _metric_names_in(INSTALLED_DIR)


def _metric_names_in(directory: Path) -> frozenset[str]:
    names: set[str] = set()
    for path in sorted(directory.glob("*.toml")):
        profile, _ = checked_profile(path)
        if profile is not None:
            names.update(profile.metric_names)
    return frozenset(names)


def _check_profiles(config: LoadedConfig, problems: ProblemCollector) -> dict[str, Profile]:
    """Each SNMP target's profile, read once per file; a missing or invalid one is a problem at `profile`."""
    site_dirs = site_profile_dirs(config.base_dir)
    read: dict[Path, tuple[Profile | None, Problem | None]] = {}
    profiles: dict[str, Profile] = {}
    for index, target in enumerate(config.parsed.target):
        if not isinstance(target, SnmpTarget) or not target.profile:
            continue
        where: KeyPath = ("target", index, "profile")
        try:
            path = profile_path(target.profile, site_dirs)
        except ProfileError as error:
            problems.at(where, f"target '{target.id}': {error}{_site_dir_hint(config, site_dirs)}", value=True)
            continue
        if path not in read:
            read[path] = checked_profile(path)
        profile, problem = read[path]
        if profile is not None:
            profiles[target.id] = profile
            continue
        if problem is not None:
            problems.extend([problem])
            problems.at(where, f"target '{target.id}': profile '{target.profile}' is invalid ({path})", value=True)
    return profiles


def _site_dir_hint(config: LoadedConfig, site_dirs: tuple[Path, ...]) -> str:
    return "" if site_dirs else f"; a site's own profiles go in {config.base_dir / 'profiles'}"


def _check_rule_metrics(
    config: LoadedConfig,
    index: int,
    rule: SeriesRuleBase,
    metrics: Mapping[str, TargetMetrics],
    known: Callable[[], frozenset[str]],
    problems: ProblemCollector,
) -> bool:
    """Report a metric of `rule` that its targets do not give; False when the rule waits for a target instead.

    A rule that names its targets needs each of them to give the metric. Otherwise some target in its scope
    should: a near miss of a name that is given there (`ups.runtime_minutes`) is refused, while a rule that no
    device of the room feeds yet (a starting site's UPS rules, a market-data rule before its server is added)
    waits and is listed by `check`. A metric that some profile (`known()`) gives is never a near miss: the
    shipped rules name `ups.battery_module_fault` (APC Symmetra) for rooms that also have an Eaton's
    `ups.battery_fault`.
    """
    scope = [target for target in config.parsed.target if not rule.groups or target.group in rule.groups]
    feeds = True
    for key in ("metric", "capacity_metric"):
        metric = getattr(rule, key, "")
        if not metric:
            continue
        if rule.targets:
            _check_named_targets(index, rule, metric, scope, metrics, problems)
            continue
        given = [metrics[target.id] for target in scope]
        if any(not item.known for item in given) or any(metric in item.names for item in given):
            continue
        near_miss = _closest(metric, given)
        if not near_miss or metric in known():
            feeds = False
            continue
        groups = ", ".join(f"'{group}'" for group in rule.groups)
        where = f" of group{'s' if len(rule.groups) > 1 else ''} {groups}" if rule.groups else ""
        problems.at(
            ("rule", index, key),
            f"rule '{rule.id}' reads '{metric}', which no target{where} gives{near_miss}",
            value=True,
        )
    return feeds


def _check_named_targets(
    index: int,
    rule: SeriesRuleBase,
    metric: str,
    scope: Iterable[Target],
    metrics: Mapping[str, TargetMetrics],
    problems: ProblemCollector,
) -> None:
    """A rule that names its targets: each of them must give the metric (unknown ids are the loader's problem)."""
    in_scope = {target.id for target in scope}
    for position, target_id in enumerate(rule.targets):
        given = metrics.get(target_id)
        if given is None or target_id not in in_scope or not given.known or metric in given.names:
            continue
        problems.at(
            ("rule", index, "targets", position),
            f"rule '{rule.id}' reads '{metric}', which target '{target_id}' does not give{_closest(metric, [given])}",
            value=True,
        )


def _closest(metric: str, given: Iterable[TargetMetrics]) -> str:
    """A name that is given and differs from `metric` only a little, in the same namespace (`ups.`, `if.`)."""
    namespace = metric.partition(".")[0] + "."
    names = sorted({name for item in given for name in item.names if name.startswith(namespace)})
    close = difflib.get_close_matches(metric, names, n=1, cutoff=0.8)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_traps(config: LoadedConfig, problems: ProblemCollector) -> None:
    """What the trap receiver refuses at start: an address it cannot bind, no community to accept."""
    traps = config.parsed.traps
    if traps is None:
        return
    try:
        parts = urlsplit(traps.listen)
        parts.port  # noqa: B018 - raises ValueError for a port out of range, as the receiver would
    except ValueError as error:
        problems.at(("traps", "listen"), f"trap listen address '{traps.listen}': {error}", value=True)
        return
    if parts.scheme != "udp" or not parts.hostname:
        problems.at(
            ("traps", "listen"),
            f"trap listen address '{traps.listen}' must look like udp://0.0.0.0:162",
            value=True,
        )
    for position, name in enumerate(traps.credentials):
        credential = config.parsed.credentials.get(name)
        if credential is None:
            known = ", ".join(sorted(config.parsed.credentials)) or "none"
            problems.at(
                ("traps", "credentials", position), f"[traps] credentials: no [credentials.{name}] (known: {known})"
            )
        elif credential.version != "3" or not credential.user:
            problems.at(
                ("traps", "credentials", position),
                f"[traps] credentials: '{name}' is not an SNMPv3 user (version = \"3\" and a user)",
                value=True,
            )
    for position, engine_id in enumerate(traps.engine_ids):
        try:
            engine_id_bytes(engine_id)
        except ValueError as error:
            problems.at(("traps", "engine_ids", position), f"[traps] engine_ids: '{engine_id}': {error}", value=True)
    if not traps.communities and not traps.credentials:
        problems.at(
            ("traps",),
            "[traps] needs a community in 'communities' (SNMP v1/v2c) or an SNMPv3 user in 'credentials'",
        )
