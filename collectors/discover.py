"""`dutyroom discover HOST`: walk a device, recognise which profiles apply, and propose a checks.toml stanza.

A profile applies when the agent has anything under one of its `detect.oids` (one GETNEXT each) or its
sysObjectID starts with one of `detect.sys_object_ids`. The stanza is a plain dict; the CLI writes it
with tomli-w.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.snmp.client import SnmpClient
from collectors.snmp.collector import pysnmp_transport
from collectors.snmp.errors import SnmpError
from collectors.snmp.oids import SYS_DESCR, SYS_NAME, SYS_OBJECT_ID, Oid, parse_oid, starts_with
from collectors.snmp.profile_model import Profile
from collectors.snmp.profiles import available_profile_names, load_profile
from collectors.snmp.runtime import acquire_runtime, release_runtime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import NO_SUCH_NAME, PduKind
from collectors.snmp.values import Kind
from dutyroom.model import State

IF_NAME = parse_oid("1.3.6.1.2.1.31.1.1.1.1")
IF_OPER_STATUS = parse_oid("1.3.6.1.2.1.2.2.1.8")
GETNEXT_CHUNK = 16
MAX_INTERFACES = 4096


@dataclass(frozen=True, slots=True)
class DiscoveryResult:
    host: str
    port: int
    failure: State | None = None
    reason: str = ""
    sys_descr: str = ""
    sys_object_id: str = ""
    sys_name: str = ""
    profiles: tuple[str, ...] = ()
    """Profiles that apply, most specific first."""
    interfaces_up: tuple[str, ...] = ()
    """ifNames whose ifOperStatus is up (when IF-MIB answers)."""

    @property
    def ok(self) -> bool:
        return self.failure is None


async def discover(spec: SnmpTargetSpec, extra_profile_dirs: Iterable[str | Path] = ()) -> DiscoveryResult:
    """Probe the agent of `spec` (its profile is ignored); never raises."""
    profiles = [load_profile(name, extra_profile_dirs) for name in available_profile_names(extra_profile_dirs)]
    runtime = acquire_runtime()
    transport = pysnmp_transport(spec, runtime)
    client = SnmpClient(
        transport, version=spec.version, timeout_s=spec.timeout_s, retries=spec.retries, semaphore=runtime.semaphore
    )
    try:
        return await _discover(client, spec, profiles)
    except SnmpError as error:
        return DiscoveryResult(spec.host, spec.port, error.state, error.reason)
    finally:
        await transport.aclose()
        release_runtime(runtime)


async def _discover(client: SnmpClient, spec: SnmpTargetSpec, profiles: list[Profile]) -> DiscoveryResult:
    system = await client.get([SYS_DESCR, SYS_OBJECT_ID, SYS_NAME])
    object_id = system[SYS_OBJECT_ID].text() if system[SYS_OBJECT_ID].kind == Kind.OID else ""
    object_oid = parse_oid(object_id) if object_id else ()
    prefixes = sorted({_prefix(oid) for profile in profiles for oid in profile.detect.oids})
    present = await _present(client, prefixes, spec.version)
    matched = [
        profile
        for profile in profiles
        if any(_prefix(oid) in present for oid in profile.detect.oids)
        or any(object_oid and starts_with(object_oid, prefix) for prefix in profile.detect.sys_object_ids)
    ]
    matched.sort(key=lambda profile: (-profile.priority, profile.name))
    interfaces: tuple[str, ...] = ()
    if IF_OPER_STATUS in present or any(selects_interfaces(profile) for profile in matched):
        interfaces = await _interfaces_up(client, spec.max_repetitions)
    return DiscoveryResult(
        spec.host,
        spec.port,
        sys_descr=system[SYS_DESCR].text(),
        sys_object_id=object_id,
        sys_name=system[SYS_NAME].text(80),
        profiles=tuple(profile.name for profile in matched),
        interfaces_up=interfaces,
    )


def selects_interfaces(profile: Profile) -> bool:
    """Whether a target's `interfaces` list means something with `profile`: it has a table whose rows are
    chosen by interface name. That is if-mib's port table, also in every profile that extends if-mib (its tables
    come with it, however long the `extends` chain), so a name test would miss the vendor profiles."""
    return any(table.select_by for table in profile.tables)


def _prefix(oid: Oid) -> Oid:
    """A scalar `x.0` is detected by a GETNEXT on `x`."""
    return oid[:-1] if oid and oid[-1] == 0 else oid


async def _present(client: SnmpClient, prefixes: Sequence[Oid], version: str) -> set[Oid]:
    """The prefixes under which the agent has at least one object."""
    found: set[Oid] = set()
    for start in range(0, len(prefixes), GETNEXT_CHUNK):
        pending = list(prefixes[start : start + GETNEXT_CHUNK])
        while pending:
            response = await client.request(PduKind.GETNEXT, pending)
            if response.error_status == NO_SUCH_NAME and 1 <= response.error_index <= len(pending):
                pending.pop(response.error_index - 1)  # SNMPv1: nothing after that one
                continue
            if response.error_status:
                break
            for prefix, (name, value) in zip(pending, response.varbinds, strict=False):
                if not value.absent and starts_with(name, prefix) and len(name) > len(prefix):
                    found.add(prefix)
            break
    return found


async def _interfaces_up(client: SnmpClient, max_repetitions: int) -> tuple[str, ...]:
    columns = await client.walk([IF_NAME, IF_OPER_STATUS], max_repetitions)
    names, status = columns[IF_NAME], columns[IF_OPER_STATUS]
    up = [names[index].text(64) for index in sorted(names) if status.get(index) and status[index].payload == 1]
    return tuple(dict.fromkeys(name for name in up if name))[:MAX_INTERFACES]


def checks_stanza(
    result: DiscoveryResult,
    *,
    target_id: str,
    credentials: str = "",
    known_playbooks: Iterable[str] | None = None,
    require_playbook: bool = False,
    extra_profile_dirs: Iterable[str | Path] = (),
) -> dict[str, Any]:
    """A `[[target]]` for the most specific profile found, plus the `[[rule]]`s that profile suggests.

    Rule ids are prefixed with the target id and limited to it. A playbook reference is kept only when
    `known_playbooks` is None or names it, so the stanza never dangles; when the site requires a playbook
    on every rule (`require_playbook`), a suggestion without a known one is left out instead. There is no
    `rule` key when no rule is proposed: an empty `rule = []` pasted after a table would land inside it.
    """
    target: dict[str, Any] = {"id": target_id, "kind": "snmp", "address": f"udp://{_host(result.host)}:{result.port}"}
    if credentials:
        target["credentials"] = credentials
    if not result.profiles:
        return {"target": [target]}
    primary = load_profile(result.profiles[0], extra_profile_dirs)
    target["profile"] = primary.name
    if primary.group:
        target["group"] = primary.group
    if selects_interfaces(primary) and result.interfaces_up:
        target["interfaces"] = list(result.interfaces_up)
    playbooks = None if known_playbooks is None else set(known_playbooks)
    rules = []
    for suggestion in primary.suggested_rules:
        rule = {key: value for key, value in suggestion.items() if key != "id"}
        rule["id"] = f"{target_id}-{suggestion.get('id', 'rule')}"
        rule["targets"] = [target_id]
        if playbooks is not None and rule.get("playbook") not in playbooks:
            rule.pop("playbook", None)
        if require_playbook and "playbook" not in rule:
            continue
        rules.append(dict(sorted(rule.items())))
    return {"target": [target], "rule": rules} if rules else {"target": [target]}


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


__all__ = ["DiscoveryResult", "checks_stanza", "discover", "selects_interfaces"]
