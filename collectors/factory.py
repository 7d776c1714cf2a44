"""Build collectors from a validated checks.toml: the one place config meets the collectors' specs.

Secrets are resolved here, at start-up, and handed to the specs as values that never reach a repr.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from collectors.alertmanager_source import AlertmanagerSourceCollector, AlertmanagerSourceSpec
from collectors.base import Collector, ResultSink
from collectors.host import HostCollector, HostSpec
from collectors.http import HttpCollector
from collectors.http_clients import build_http_client
from collectors.http_spec import HttpTargetSpec
from collectors.prom import PromSelector
from collectors.setup_failure import SetupFailureCollector
from collectors.snmp.collector import SnmpCollector, auto_transport
from collectors.snmp.profile_model import Profile
from collectors.snmp.profile_parts import ProfileError
from collectors.snmp.profiles import parse_profile_file, profile_path, read_profile_document, site_profile_dirs
from collectors.snmp.spec import SnmpTargetSpec
from collectors.tcp import TcpCollector, TcpTargetSpec
from collectors.trap_spec import TrapReceiverSpec, TrapV3User
from collectors.traps import TrapReceiver
from dutyroom.config.load import LoadedConfig
from dutyroom.config.secrets import resolve_secret
from dutyroom.config.types import (
    AlertmanagerTarget,
    Credential,
    HostTarget,
    HttpTarget,
    PolledTarget,
    Secret,
    SnmpTarget,
    Target,
    TcpTarget,
    TrapTarget,
)
from dutyroom.model import make_labels


class CollectorSetupError(ValueError):
    """A target that cannot be watched as configured (message names the target, never a secret)."""


@dataclass
class CollectorSet:
    """The collectors for one configuration and the shared resources they use."""

    collectors: list[Collector] = field(default_factory=list)
    http_client: httpx.AsyncClient | None = None
    problems: list[str] = field(default_factory=list)

    async def aclose(self) -> None:
        for collector in self.collectors:
            await collector.aclose()
        if self.http_client is not None:
            await self.http_client.aclose()


def profile_dirs(config: LoadedConfig) -> tuple[Path, ...]:
    """User profile folders: `profiles/` beside checks.toml, when present."""
    return site_profile_dirs(config.base_dir)


def build_collectors(
    config: LoadedConfig, targets: Iterable[Target] | None = None, *, wall_clock: Callable[[], float] = time.time
) -> CollectorSet:
    """A collector per polled target; one that cannot be set up is polled as UNKNOWN with the reason, never fatal.

    `wall_clock` stamps every result (the demo's simulated clock; the real one otherwise)."""
    built = CollectorSet()
    for target in config.parsed.target if targets is None else targets:
        if isinstance(target, TrapTarget):
            continue
        try:
            built.collectors.append(_build(config, target, built, wall_clock))
        except Exception as error:  # one target's set-up never takes the others down (RELIABILITY R22)
            known = isinstance(error, ValueError | KeyError)
            reason = str(error) if known else f"internal error ({type(error).__name__})"
            interval = config.timings[target.id].interval_s
            stand_in = SetupFailureCollector(target.id, interval, reason, wall_clock=wall_clock)
            built.collectors.append(stand_in)
            built.problems.append(f"{target.id}: {stand_in.reason}")
    return built


def _build(
    config: LoadedConfig, target: PolledTarget, built: CollectorSet, wall_clock: Callable[[], float]
) -> Collector:
    timing = config.timings[target.id]
    match target:
        case SnmpTarget():
            return SnmpCollector(snmp_spec(config, target), transport_factory=auto_transport, wall_clock=wall_clock)
        case HttpTarget():
            if built.http_client is None:
                built.http_client = build_http_client(None)
            return HttpCollector(http_spec(config, target), built.http_client, wall_clock=wall_clock)
        case TcpTarget():
            host, port = _host_port(target.address, 0)
            spec = TcpTargetSpec(target.id, host, port, timing.interval_s, timing.timeout_s)
            return TcpCollector(spec, wall_clock=wall_clock)
        case HostTarget():
            return HostCollector(HostSpec(target.id, timing.interval_s, tuple(target.mounts)), wall_clock=wall_clock)
        case AlertmanagerTarget():
            if built.http_client is None:
                built.http_client = build_http_client(None)
            source = AlertmanagerSourceSpec(target.id, target.url, timing.interval_s, timing.timeout_s)
            return AlertmanagerSourceCollector(source, built.http_client)


def http_spec(config: LoadedConfig, target: HttpTarget) -> HttpTargetSpec:
    timing = config.timings[target.id]
    credential = _credential(config, target.credentials)
    token = ""
    if credential is not None and credential.token is not None:
        token = resolve_secret(credential.token, config.base_dir).value
    return HttpTargetSpec(
        target_id=target.id,
        url=target.url,
        interval_s=timing.interval_s,
        timeout_s=timing.timeout_s,
        fields=dict(target.fields),
        prometheus=tuple(
            PromSelector(item.metric, item.family, make_labels(item.labels)) for item in target.prometheus
        ),
        bearer_token=token,
    )


def snmp_spec(config: LoadedConfig, target: SnmpTarget) -> SnmpTargetSpec:
    timing = config.timings[target.id]
    host, port = _host_port(target.address, 161)
    credential = _credential(config, target.credentials) or Credential()

    def secret(name: str) -> str:
        value = getattr(credential, name)
        return resolve_secret(value, config.base_dir).value if value is not None else ""

    return SnmpTargetSpec(
        target_id=target.id,
        host=host,
        port=port,
        version=credential.version,
        community=secret("community") or "public",
        v3_user=credential.user,
        auth_protocol=credential.auth or "",
        auth_key=secret("auth_key"),
        priv_protocol=credential.priv or "",
        priv_key=secret("priv_key"),
        context=credential.context,
        timeout_s=timing.timeout_s,
        retries=timing.retries,
        interval_s=timing.interval_s,
        profile=_shared_profile(target.profile, profile_dirs(config)),
        interfaces=tuple(target.interfaces),
    )


FileVersion = tuple[Path, int, int]
"""A file, its mtime (ns) and size: a change to either means 'read it again'."""

_PROFILES: dict[tuple[FileVersion, ...], Profile] = {}
_MAX_PROFILES = 256
_EXTENDS: dict[FileVersion, str] = {}
"""The profile each file version extends ('' for none): read once per version, not per target."""
_MAX_EXTENDS = 16
"""A chain of `extends` longer than this is not followed for the cache key (parsing reports a loop itself)."""


def _shared_profile(name: str, dirs: Iterable[str | Path]) -> Profile:
    """One parse per profile file and version, not per target: 2,000 targets share a few profiles, and
    parsing each target's copy was a third of the poller's first pass (bench/scale). The key is the version of
    the file and of every profile it `extends`, so a reload picks up an edit to any of them."""
    path = profile_path(name, dirs)
    key = _versions(path)
    profile = _PROFILES.get(key)
    if profile is None:
        profile = parse_profile_file(path)
        if len(_PROFILES) >= _MAX_PROFILES:
            _PROFILES.clear()
            _EXTENDS.clear()
        _PROFILES[key] = profile
    return profile


def _versions(path: Path) -> tuple[FileVersion, ...]:
    """The version of `path` and of each profile up its `extends` chain (looked up beside it, as parsing does)."""
    versions: list[FileVersion] = []
    for _ in range(_MAX_EXTENDS):
        stat = path.stat()
        version = (path, stat.st_mtime_ns, stat.st_size)
        versions.append(version)
        try:
            base = _EXTENDS.get(version)
            if base is None:
                found = read_profile_document(path).get("extends", "")
                base = _EXTENDS[version] = found if isinstance(found, str) else ""
            if not base:
                break
            path = profile_path(base, (path.parent,))
        except ProfileError:
            break  # parsing the profile says what is wrong, at its file
    return tuple(versions)


def build_trap_receiver(
    config: LoadedConfig, sink: ResultSink, *, wall_clock: Callable[[], float] = time.time
) -> TrapReceiver | None:
    """The trap receiver, when checks.toml has a [traps] table."""
    traps = config.parsed.traps
    if traps is None:
        return None
    host, port = _host_port(traps.listen, 162)
    sources = {
        source: target.id
        for target in config.parsed.target
        if isinstance(target, SnmpTarget | TrapTarget)
        for source in target.trap_sources
    }
    communities = tuple(resolve_secret(item, config.base_dir).value for item in traps.communities)
    users = tuple(_trap_user(config, name, tuple(traps.engine_ids)) for name in traps.credentials)
    spec = TrapReceiverSpec(
        listen_host=host, listen_port=port, communities=communities, v3_users=users, targets_by_source=sources
    )
    return TrapReceiver(spec, sink, wall_clock=wall_clock)


TRAP_AUTH = {"SHA-1": "SHA"}
TRAP_PRIV = {"AES": "AES-128", "AES-192C": "AES-192-C", "AES-256C": "AES-256-C"}
"""checks.toml's protocol names (as for polling) -> the trap receiver's (collectors.trap_spec)."""


def _trap_user(config: LoadedConfig, name: str, engine_ids: tuple[str, ...]) -> TrapV3User:
    """The USM user of `[credentials.NAME]` (checked by `dutyroom check`: it exists and is version 3)."""
    credential = _credential(config, name)
    if credential is None or credential.version != "3" or not credential.user:
        raise CollectorSetupError(f"[traps] credentials: '{name}' is not an SNMPv3 credential")

    def secret(value: Secret | None) -> str:
        return resolve_secret(value, config.base_dir).value if value is not None else ""

    auth = credential.auth or "none"
    priv = credential.priv or "none"
    return TrapV3User(
        credential.user,
        TRAP_AUTH.get(auth, auth),
        secret(credential.auth_key),
        TRAP_PRIV.get(priv, priv),
        secret(credential.priv_key),
        sender_engine_ids=engine_ids,
    )


def _credential(config: LoadedConfig, name: str) -> Credential | None:
    return config.parsed.credentials.get(name) if name else None


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(address)
    host = parts.hostname or ""
    if not host:
        raise CollectorSetupError(f"address '{address}' has no host")
    return host, parts.port or default_port
