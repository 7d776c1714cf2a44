"""Load checks.toml: strict types, then every cross-reference, all problems reported at once.

`load_config` returns a `LoadedConfig` (the typed config plus compiled rules and per-target timings) or
raises `ConfigError` listing every problem as `file:line:col: message`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dutyroom.config.alertmanager import alertmanager_problems, read_back_problems
from dutyroom.config.conditions import Condition, ExpressionError, parse_condition
from dutyroom.config.durations import DurationError, parse_duration
from dutyroom.config.duty_check import CompiledDuty, check_duties, missed_duty_rule
from dutyroom.config.problems import ConfigError, ProblemCollector
from dutyroom.config.secrets import secret_problem
from dutyroom.config.site_links import site_link_problems
from dutyroom.config.toml_positions import KeyPath, TomlPositions
from dutyroom.config.trading_calendar import TradingCalendar, load_calendars
from dutyroom.config.typed_toml import convert_table, read_toml_file
from dutyroom.config.types import (
    AlertmanagerTarget,
    CapacityRule,
    Config,
    HttpTarget,
    NetworkTargetBase,
    PolledTargetBase,
    Rule,
    SeriesRuleBase,
    Silence,
    SnmpTarget,
    Target,
    TcpTarget,
    ThresholdRule,
    TrapTarget,
    parent_groups,
)

_ADDRESS = re.compile(r"^(udp|tcp)://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$")


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its conditions parsed and durations in seconds."""

    spec: Rule
    """The rule as written in checks.toml."""
    warning: Condition | None
    critical: Condition | None
    clear: Condition | None
    for_s: float
    keep_firing_for_s: float
    window_s: float
    """Capacity rules: how far back the peak is taken (0 for other kinds)."""
    when: frozenset[str]
    """Phase kinds in which the rule applies; empty means always."""
    hold_s: float | None = None
    """How long a trap-set state of this rule holds (overrides the target's); None: the target's."""

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class TargetTiming:
    """A target's effective polling and failure settings."""

    interval_s: float
    timeout_s: float
    retries: int
    attempts: int
    stale_after_s: float
    trap_hold_s: float | None = None
    """How long a state set by a trap holds without a new trap; None: until cleared by a trap or a poll."""


@dataclass(frozen=True)
class LoadedConfig:
    """checks.toml after validation: what the engine, collectors and console need."""

    path: Path
    parsed: Config
    """checks.toml as written (after validation)."""
    rules: tuple[CompiledRule, ...]
    timings: Mapping[str, TargetTiming]
    calendar: TradingCalendar | None
    timezone: ZoneInfo
    resolved_visible_for_s: float
    escalate_after_s: float
    targets_by_id: Mapping[str, Target] = field(default_factory=dict)
    unset_env: tuple[str, ...] = ()
    """Environment variables that secrets name but are not set here (only when loaded with require_env=False)."""
    unwritten_secret_files: tuple[str, ...] = ()
    """Secret files as checks.toml names them that do not exist yet (only when loaded with require_env=False)."""
    positions: TomlPositions = field(default_factory=TomlPositions.empty)
    """Where each key of checks.toml is, for problems found after loading (e.g. playbook references)."""
    duties: tuple[CompiledDuty, ...] = ()
    """`[[duty]]` with times parsed: the checklists the calendar starts (`dutyroom.duties`)."""

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def target(self, target_id: str) -> Target | None:
        return self.targets_by_id.get(target_id)


def load_config(
    path: Path, environ: Mapping[str, str] | None = None, *, require_env: bool = True, resolve_secrets: bool = True
) -> LoadedConfig:
    """Read and validate `path`; raises ConfigError with every problem found.

    With `require_env` false (for `dutyroom check` on a machine other than the poller's, or on a new site), a
    secret whose environment variable is unset or whose file does not exist yet is not a problem: it is listed
    in `LoadedConfig.unset_env` or `LoadedConfig.unwritten_secret_files`. With `resolve_secrets` false (commands
    that only read the state or record operator actions) secrets are not looked at at all: such a caller needs
    no device secret, and none is read.
    """
    problems = ProblemCollector(str(path))
    data = read_toml_file(path, problems)
    if data is None:
        problems.raise_if_any()
        raise AssertionError("unreachable")
    return _load_document(data, path, problems, environ, require_env=require_env, resolve_secrets=resolve_secrets)


def load_config_document(document: Mapping[str, Any], path: Path, *, source: str) -> LoadedConfig:
    """Validate a checks.toml already read into plain data (the poller's published copy), secrets unresolved.

    `path` is where the document came from, so relative paths (calendar, secret files) resolve as they did;
    problems are reported against `source`.
    """
    problems = ProblemCollector(source)
    return _load_document(dict(document), path, problems, None, require_env=False, resolve_secrets=False)


def _load_document(
    data: dict[str, Any],
    path: Path,
    problems: ProblemCollector,
    environ: Mapping[str, str] | None,
    *,
    require_env: bool,
    resolve_secrets: bool,
) -> LoadedConfig:
    config = convert_table(data, Config, (), problems)
    if config is None:
        problems.raise_if_any()
        raise AssertionError("unreachable")
    checker = _Checker(config, path, problems, environ, require_env, resolve_secrets)
    loaded = checker.check()
    problems.raise_if_any()
    assert loaded is not None
    return loaded


def _not_written(path: Path) -> bool:
    """No such file; one that exists but cannot be reached (a 0700 folder of another user) is reported instead."""
    try:
        path.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def _quiet_duration(text: str, fallback: float) -> float:
    """A default already reported where it is defined: parse it without reporting again."""
    try:
        return parse_duration(text)
    except DurationError:
        return fallback


class _Checker:
    """Cross-reference checks that types cannot express."""

    def __init__(
        self,
        config: Config,
        path: Path,
        problems: ProblemCollector,
        environ: Mapping[str, str] | None,
        require_env: bool = True,
        resolve_secrets: bool = True,
    ) -> None:
        self.config = config
        self.path = path
        self.problems = problems
        self.environ = environ
        self.require_env = require_env
        self.resolve_secrets = resolve_secrets
        self.unset_env: list[str] = []
        self.unwritten_secret_files: list[str] = []

    def check(self) -> LoadedConfig | None:
        config = self.config
        timezone = self._timezone()
        calendar = self._calendar()
        defaults = self._positive_duration(config.defaults.interval, ("defaults", "interval"))
        self._positive_duration(config.defaults.timeout, ("defaults", "timeout"))
        self._duplicates([target.id for target in config.target], "target", "target")
        self._duplicates([rule.id for rule in config.rule], "rule", "rule")
        self._duplicates([silence.id for silence in config.silence], "silence", "silence")
        self._credentials()
        timings = {target.id: self._target(index, target) for index, target in enumerate(config.target)}
        self._dependency_cycles()
        rules = tuple(
            compiled for index, rule in enumerate(config.rule) if (compiled := self._rule(index, rule)) is not None
        )
        for index, silence in enumerate(config.silence):
            self._silence(index, silence)
        self._exporter()
        duties = check_duties(config, self.problems)
        rules += tuple(rule for duty in duties if (rule := self._rule(0, missed_duty_rule(duty.spec))) is not None)
        if config.alertmanager is not None:
            resolve = self.resolve_secrets and self.require_env
            found = alertmanager_problems(config.alertmanager, self.path.parent, self.environ, resolve_secrets=resolve)
            found += read_back_problems(config)
            for key_path, message in found:
                self.problems.at(key_path, message, value=len(key_path) > 1)
        for key_path, message, at_value in site_link_problems(config.site_link):
            self.problems.at(key_path, message, value=at_value)
        resolved_for = self._duration(config.defaults.resolved_visible_for, ("defaults", "resolved_visible_for"))
        escalate = self._duration(config.defaults.escalate_after, ("defaults", "escalate_after"))
        if self.problems.problems or timezone is None or defaults is None:
            return None
        return LoadedConfig(
            path=self.path,
            parsed=config,
            rules=rules,
            timings=timings,
            calendar=calendar,
            timezone=timezone,
            resolved_visible_for_s=resolved_for or 900.0,
            escalate_after_s=escalate or 600.0,
            targets_by_id={target.id: target for target in config.target},
            positions=self.problems.positions,
            unset_env=tuple(self.unset_env),
            unwritten_secret_files=tuple(self.unwritten_secret_files),
            duties=duties,
        )

    def _timezone(self) -> ZoneInfo | None:
        try:
            return ZoneInfo(self.config.site.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            self.problems.at(("site", "timezone"), f"unknown timezone '{self.config.site.timezone}'", value=True)
            return None

    def _calendar(self) -> TradingCalendar | None:
        """`[site] calendar`: a file, a directory of calendar files, or a list of either, loaded as one."""
        setting = self.config.site.calendar
        names = [setting] if isinstance(setting, str) else setting
        paths: list[Path] = []
        for index, name in enumerate(names):
            where: KeyPath = ("site", "calendar") if isinstance(setting, str) else ("site", "calendar", index)
            if not name:
                continue
            path = Path(name) if Path(name).is_absolute() else self.path.parent / name
            found = sorted(path.glob("*.toml")) if path.is_dir() else [path] if path.exists() else []
            if not found:
                what = f"directory {path} has no *.toml files" if path.is_dir() else f"file {path} does not exist"
                self.problems.at(where, f"calendar {what}", value=True)
            paths += [item for item in found if item.resolve() not in {known.resolve() for known in paths}]
        if not paths:
            return None
        try:
            return load_calendars(paths)
        except ConfigError as error:
            self.problems.extend(error.problems)
            return None

    def _duration(self, text: str, path: KeyPath) -> float | None:
        try:
            return parse_duration(text)
        except DurationError as error:
            self.problems.at(path, str(error), value=True)
            return None

    def _positive_duration(self, text: str, path: KeyPath) -> float | None:
        """An interval or a timeout: zero would make the scheduler refuse to start (or poll in a tight loop)."""
        seconds = self._duration(text, path)
        if seconds is not None and seconds <= 0:
            self.problems.at(path, f"'{path[-1]}' must be longer than 0s", value=True)
            return None
        return seconds

    def _duplicates(self, ids: list[str], table: str, label: str) -> None:
        seen: dict[str, int] = {}
        for index, item_id in enumerate(ids):
            if item_id in seen:
                first = self.problems.positions.locate((table, seen[item_id], "id"))
                self.problems.at(
                    (table, index, "id"), f"duplicate {label} id '{item_id}' (first defined at line {first[0]})"
                )
            else:
                seen[item_id] = index

    def _credentials(self) -> None:
        base = self.path.parent
        for name, credential in self.config.credentials.items():
            for key in ("community", "auth_key", "priv_key", "token"):
                secret = getattr(credential, key)
                if secret is None or not self.resolve_secrets:
                    continue
                if not self.require_env and secret.env is not None and secret.env not in (self.environ or os.environ):
                    self.unset_env.append(secret.env)
                elif not self.require_env and secret.file is not None and _not_written(base / secret.file):
                    self.unwritten_secret_files.append(secret.file)
                elif problem := secret_problem(secret, base, self.environ):
                    self.problems.at(("credentials", name, key), problem)
            if credential.version == "3" and not credential.user:
                self.problems.at(("credentials", name), f"credentials '{name}': SNMPv3 needs 'user'")
            if credential.version == "3" and credential.priv and not credential.auth:
                self.problems.at(("credentials", name, "priv"), "SNMPv3 privacy needs authentication ('auth')")
            for protocol, key in (("auth", "auth_key"), ("priv", "priv_key")):
                if getattr(credential, protocol) and getattr(credential, key) is None:
                    self.problems.at(("credentials", name, protocol), f"'{protocol}' is set but '{key}' is missing")

    def _target(self, index: int, target: Target) -> TargetTiming:
        defaults = self.config.defaults
        path: KeyPath = ("target", index)
        if self.config.groups and target.group not in self.config.groups:
            self.problems.at((*path, "group"), f"target '{target.id}' names unknown group '{target.group}'", value=True)
        if isinstance(target, SnmpTarget | HttpTarget) and target.credentials not in ("", *self.config.credentials):
            self.problems.at(
                (*path, "credentials"),
                f"target '{target.id}' names unknown credentials '{target.credentials}'",
                value=True,
            )
        self._parents(path, target)
        self._target_kind(path, target)
        interval = _quiet_duration(defaults.interval, 10.0)
        timeout = _quiet_duration(defaults.timeout, 2.0)
        retries, attempts = defaults.retries, defaults.attempts
        if isinstance(target, PolledTargetBase):
            if target.interval:
                interval = self._positive_duration(target.interval, (*path, "interval")) or interval
            attempts = defaults.attempts if target.attempts is None else target.attempts
        if isinstance(target, NetworkTargetBase) and target.timeout:
            timeout = self._positive_duration(target.timeout, (*path, "timeout")) or timeout
        if isinstance(target, SnmpTarget) and target.retries is not None:
            retries = target.retries
        if isinstance(target, NetworkTargetBase) and timeout * (retries + 1) >= interval:
            where = (*path, "timeout") if target.timeout else (*path, "id")
            self.problems.at(
                where,
                f"target '{target.id}': timeout x attempts ({timeout:g}s x {retries + 1}) must be below the "
                f"interval ({interval:g}s)",
            )
        stale = (
            self._duration(defaults.stale_after, ("defaults", "stale_after")) if defaults.stale_after else None
        ) or 2 * interval + 15
        hold = self._target_hold(path, target)
        if isinstance(target, AlertmanagerTarget) and hold is None:
            hold = 3 * interval  # its alerts are like traps: one no longer listed resolves, it does not go STALE
        return TargetTiming(interval, timeout, retries, attempts, stale, hold)

    def _parents(self, path: KeyPath, target: Target) -> None:
        """Every parent named, alone or in a redundancy group, must be a target; a group may not be empty."""
        known_ids = {item.id for item in self.config.target}
        for group in parent_groups(target.depends_on):
            if not group:
                self.problems.at((*path, "depends_on"), f"target '{target.id}': an empty redundancy group", value=True)
            for parent in group:
                if parent not in known_ids:
                    self.problems.at(
                        (*path, "depends_on"), f"target '{target.id}' depends on unknown target '{parent}'"
                    )

    def _target_hold(self, path: KeyPath, target: Target) -> float | None:
        if not isinstance(target, SnmpTarget | TrapTarget | AlertmanagerTarget) or not target.hold:
            return None
        if isinstance(target, SnmpTarget) and not target.trap_sources:
            self.problems.at(
                (*path, "hold"),
                f"target '{target.id}': 'hold' is for states set by traps, and it has no trap_sources",
            )
        return self._hold(target.hold, (*path, "hold"))

    def _hold(self, text: str, path: KeyPath) -> float | None:
        seconds = self._duration(text, path)
        if seconds is not None and seconds <= 0:
            self.problems.at(path, "a hold must be longer than 0s", value=True)
            return None
        return seconds

    def _target_kind(self, path: KeyPath, target: Target) -> None:
        """What each kind needs besides its keys' types."""
        match target:
            case SnmpTarget():
                self._address(path, target.id, target.address, "udp", "udp://10.1.0.21:161")
                if not target.profile:
                    self.problems.at((*path, "id"), f"target '{target.id}': snmp targets need a 'profile'")
            case TcpTarget():
                self._address(path, target.id, target.address, "tcp", "tcp://10.1.2.10:9001")
            case HttpTarget() | AlertmanagerTarget() if not re.match(r"^https?://", target.url):
                where = (*path, "url" if target.url else "id")
                self.problems.at(where, f"target '{target.id}': {target.kind} targets need a url")

    def _address(self, path: KeyPath, target_id: str, address: str, scheme: str, example: str) -> None:
        """`address` is scheme://host[:port]; a TCP address must name its port."""
        match = _ADDRESS.match(address)
        if not match or match.group(1) != scheme or (scheme == "tcp" and not match.group(3)):
            self.problems.at(
                (*path, "address" if address else "id"),
                f"target '{target_id}': address must look like {example}",
                value=bool(address),
            )

    def _dependency_cycles(self) -> None:
        parents = {
            target.id: [parent for group in parent_groups(target.depends_on) for parent in group]
            for target in self.config.target
        }
        index_of = {target.id: index for index, target in enumerate(self.config.target)}
        reported: set[frozenset[str]] = set()
        for start in parents:
            stack: list[tuple[str, list[str]]] = [(start, [start])]
            while stack:
                node, trail = stack.pop()
                for parent in parents.get(node, []):
                    if parent == start:
                        cycle = frozenset(trail)
                        if cycle not in reported:
                            reported.add(cycle)
                            self.problems.at(
                                ("target", index_of[start], "depends_on"),
                                "dependency cycle: " + " -> ".join([*trail, start]),
                            )
                    elif parent in parents and parent not in trail and len(trail) < len(parents):
                        stack.append((parent, [*trail, parent]))

    def _rule(self, index: int, rule: Rule) -> CompiledRule | None:
        path: KeyPath = ("rule", index)
        conditions: dict[str, Condition | None] = {"warning": None, "critical": None, "clear": None}
        conditions_good = True
        if isinstance(rule, SeriesRuleBase):
            for key, text in (("warning", rule.warning), ("critical", rule.critical), ("clear", rule.clear)):
                if text is not None:
                    try:
                        conditions[key] = parse_condition(text)
                    except ExpressionError as error:
                        self.problems.at((*path, key), str(error), value=True)
                        conditions_good = False
            if not rule.metric:
                self.problems.at((*path, "id"), f"rule '{rule.id}' needs a 'metric'")
        if isinstance(rule, ThresholdRule) and rule.warning is None and rule.critical is None:
            self.problems.at((*path, "id"), f"rule '{rule.id}' needs a 'warning' or 'critical' condition")
        if isinstance(rule, CapacityRule) and rule.capacity is None and not rule.capacity_metric:
            self.problems.at((*path, "id"), f"capacity rule '{rule.id}' needs 'capacity' or 'capacity_metric'")
        known_targets = {target.id for target in self.config.target}
        for target_id in rule.targets:
            if target_id not in known_targets:
                self.problems.at((*path, "targets"), f"rule '{rule.id}' names unknown target '{target_id}'")
        for group in rule.groups:
            if self.config.groups and group not in self.config.groups:
                self.problems.at((*path, "groups"), f"rule '{rule.id}' names unknown group '{group}'")
        for phase in rule.severity:
            if phase not in ("trading", "pre-open", "break", "off-hours"):
                self.problems.at((*path, "severity", phase), f"unknown session phase '{phase}'")
        for_s = self._duration(rule.for_, (*path, "for")) if rule.for_ else 0.0
        keep_s = self._duration(rule.keep_firing_for, (*path, "keep_firing_for")) if rule.keep_firing_for else 0.0
        window_s = self._duration(rule.window, (*path, "window")) if isinstance(rule, CapacityRule) else 0.0
        hold_s = self._hold(rule.hold, (*path, "hold")) if rule.hold else None
        when = rule.when if isinstance(rule.when, list) else [rule.when]
        if None in (for_s, keep_s, window_s) or not conditions_good:
            return None
        return CompiledRule(
            spec=rule,
            warning=conditions["warning"],
            critical=conditions["critical"],
            clear=conditions["clear"],
            for_s=for_s or 0.0,
            keep_firing_for_s=keep_s or 0.0,
            window_s=window_s or 0.0,
            when=frozenset() if "always" in when else frozenset(when),
            hold_s=hold_s,
        )

    def _exporter(self) -> None:
        exporter = self.config.exporter
        listen = exporter.listen
        if not listen:
            return
        host, _, port = listen.rpartition(":")
        host = host.strip("[]")
        if not port.isdigit() or not host:
            self.problems.at(("exporter", "listen"), f"exporter address '{listen}' must be host:port", value=True)
        loopback = host in ("localhost", "::1") or host.startswith("127.")
        if not loopback and (exporter.tls_server_config is None or not exporter.basic_auth_users):
            self.problems.at(
                ("exporter", "listen"),
                f"exporter address '{listen}' is not loopback: it needs tls_server_config and basic_auth_users"
                " (or keep 127.0.0.1:9745 behind a TLS reverse proxy)",
                value=True,
            )
        tls = exporter.tls_server_config
        for key in ("cert_file", "key_file", "client_ca_file") if tls is not None else ():
            name = getattr(tls, key)
            if name and not (self.path.parent / name).is_file():
                self.problems.at(("exporter", "tls_server_config", key), f"{self.path.parent / name} does not exist")
        for user, secret in exporter.basic_auth_users.items():
            if (
                self.resolve_secrets
                and self.require_env
                and (problem := secret_problem(secret, self.path.parent, self.environ))
            ):
                self.problems.at(("exporter", "basic_auth_users", user), problem)

    def _silence(self, index: int, silence: Silence) -> None:
        path: KeyPath = ("silence", index)
        match = silence.match
        if match.rule and match.rule not in {rule.id for rule in self.config.rule}:
            self.problems.at((*path, "match", "rule"), f"silence '{silence.id}' names unknown rule '{match.rule}'")
        if match.target and match.target not in {target.id for target in self.config.target}:
            self.problems.at(
                (*path, "match", "target"), f"silence '{silence.id}' names unknown target '{match.target}'"
            )
        one_shot = bool(silence.start or silence.end)
        recurring = bool(silence.days or silence.from_ or silence.to)
        if one_shot == recurring:
            self.problems.at(path, f"silence '{silence.id}' needs either start/end or days/from/to")
        for key in ("start", "end"):
            text = getattr(silence, key)
            if text:
                try:
                    datetime.fromisoformat(text)
                except ValueError:
                    self.problems.at((*path, key), f"bad date-time '{text}' (use 2026-10-01T08:00)", value=True)
        for key, text in (("from", silence.from_), ("to", silence.to)):
            if text:
                try:
                    time.fromisoformat(text)
                except ValueError:
                    self.problems.at((*path, key), f"bad time '{text}' (use HH:MM)", value=True)
