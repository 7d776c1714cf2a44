"""The effective checks.toml of one demo run: the shipped room with this run's addresses and secrets.

The shipped checks.toml names fixed loopback ports and takes its communities from environment variables;
the copy written into the state directory points every demo target at the port its simulator got, and
every secret at a 0600 file beside it (so `dutyroom alerts --config STATE/checks.toml` works in any shell).
The calendar path is made absolute and the room's playbooks are linked beside the copy: wherever the shipped
room lives (a checkout, or site-packages for an installed wheel), the copy keeps pointing at it.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import tomli_w

from dutyroom.atomic import write_atomically
from tui.demo.catalog import DEVICE_OF_TARGET, SNMP_DEVICES

SECRETS_DIR = "secrets"
TRAP_COMMUNITY_FILE = f"{SECRETS_DIR}/traps.community"


class DemoConfigError(ValueError):
    """The shipped checks.toml cannot be turned into a demo room (the message says what to fix)."""


@dataclass(frozen=True)
class RoomSecrets:
    communities: Mapping[str, str]
    """Device -> its SNMP community (also its snmpsim data file name)."""
    trap_community: str


@dataclass(frozen=True)
class RoomAddresses:
    snmp_ports: Mapping[str, int]
    """Device -> the port of its relay."""
    service_ports: Mapping[str, int]
    """HTTP and TCP target id -> the port its simulator listens on."""
    trap_port: int


def generate_secrets() -> RoomSecrets:
    """Fresh, unguessable communities for this run."""
    return RoomSecrets(
        communities={device.name: f"{device.name}-{secrets.token_hex(6)}" for device in SNMP_DEVICES},
        trap_community=f"traps-{secrets.token_hex(6)}",
    )


def _write_secret(state_dir: Path, relative: str, value: str) -> None:
    path = state_dir / relative
    path.parent.mkdir(mode=0o700, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, value.encode() + b"\n")
    finally:
        os.close(descriptor)


def _with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, f"127.0.0.1:{port}", parts.path, parts.query, parts.fragment))


def effective_document(
    shipped: Path, addresses: RoomAddresses, room_secrets: RoomSecrets, state_dir: Path
) -> tuple[dict[str, Any], list[str]]:
    """The rewritten configuration and notes about targets the demo does not simulate."""
    try:
        document = tomllib.loads(shipped.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoConfigError(f"cannot read {shipped}: {error}") from None
    notes: list[str] = []
    site = document.setdefault("site", {})
    if site.get("calendar") and not Path(site["calendar"]).is_absolute():
        site["calendar"] = str((shipped.parent / site["calendar"]).resolve())
    device_of_credential: dict[str, str] = {}
    for target in document.get("target", []):
        target_id, kind = target.get("id", ""), target.get("kind", "")
        if kind == "snmp" and target_id in DEVICE_OF_TARGET:
            device = DEVICE_OF_TARGET[target_id]
            target["address"] = f"udp://127.0.0.1:{addresses.snmp_ports[device]}"
            credential = target.get("credentials", "")
            if credential and device_of_credential.setdefault(credential, device) != device:
                raise DemoConfigError(f"credentials '{credential}' serve two demo devices; give each its own")
        elif kind == "http" and target_id in addresses.service_ports:
            target["url"] = _with_port(target.get("url", ""), addresses.service_ports[target_id])
        elif kind == "tcp" and target_id in addresses.service_ports:
            target["address"] = f"tcp://127.0.0.1:{addresses.service_ports[target_id]}"
        elif kind in ("snmp", "http", "tcp"):
            notes.append(f"target '{target_id}' is not part of the simulated room; it is polled as configured")
    for name, credential in document.get("credentials", {}).items():
        if name in device_of_credential:
            relative = f"{SECRETS_DIR}/{name}.community"
            credential["community"] = {"file": relative}
            _write_secret(state_dir, relative, room_secrets.communities[device_of_credential[name]])
    if "traps" in document:
        document["traps"]["listen"] = f"udp://127.0.0.1:{addresses.trap_port}"
        document["traps"]["communities"] = [{"file": TRAP_COMMUNITY_FILE}]
        _write_secret(state_dir, TRAP_COMMUNITY_FILE, room_secrets.trap_community)
    return document, notes


def write_effective_config(
    shipped: Path, state_dir: Path, addresses: RoomAddresses, room_secrets: RoomSecrets, *, playbooks: Path
) -> tuple[Path, list[str]]:
    """Write STATE/checks.toml (its secrets, and a link to `playbooks`); returns its path and notes."""
    document, notes = effective_document(shipped, addresses, room_secrets, state_dir)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    header = (
        f"# Written by `dutyroom demo` at {stamp} from {shipped.resolve()}:\n"
        "# the same room, with the addresses and secrets of this run's simulators. Rewritten on every run.\n\n"
    )
    path = state_dir / "checks.toml"
    write_atomically(path, header + tomli_w.dumps(document))
    _link_playbooks(playbooks, state_dir / "playbooks")
    return path, notes


def _link_playbooks(source: Path, link: Path) -> None:
    """Playbooks beside the copy, so consoles started on it find them."""
    if link.is_symlink() or not link.exists():
        if link.is_symlink():
            link.unlink()
        if source.is_dir():
            link.symlink_to(source.resolve(), target_is_directory=True)
