"""The work behind `dutyroom probe` and `discover`: imported only when one of them runs (it loads the collectors)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tomli_w

from collectors.base import Collector
from collectors.discover import checks_stanza, discover
from collectors.http import HttpCollector
from collectors.http_spec import HttpTargetSpec
from collectors.prom import PromSelector
from collectors.snmp.probe import probe_snmp
from collectors.snmp.profile_model import Profile
from collectors.snmp.profiles import ProfileError, load_profile, site_profile_dirs
from collectors.snmp.spec import SnmpTargetSpec
from collectors.tcp import TcpCollector, TcpTargetSpec
from dutyroom.config.secrets import SecretError, resolve_secret
from dutyroom.config.types import Secret
from dutyroom.model import PollResult
from dutyroom.playbooks.library import read_playbooks
from tui.cli.common import CommandFailed
from tui.text_format import format_value


def _read_secret(args: argparse.Namespace, name: str) -> str:
    attribute = name.replace("-", "_")
    env, file = getattr(args, f"{attribute}_env"), getattr(args, f"{attribute}_file")
    if env is None and file is None:
        return ""
    try:
        secret = Secret(env=env, file=str(file) if file else None)
        return resolve_secret(secret, Path.cwd()).value
    except SecretError as error:
        raise CommandFailed(str(error)) from None


def _snmp_spec(
    args: argparse.Namespace, host: str, port: int, community: str, target_id: str, profile: str | Profile
) -> SnmpTargetSpec:
    version = args.snmp_version or ("3" if args.v3_user else "2c")
    try:
        return SnmpTargetSpec(
            target_id=target_id,
            host=host,
            port=port,
            version=version,
            community=_read_secret(args, "community") or community or "public",
            v3_user=args.v3_user,
            auth_protocol=args.auth,
            auth_key=_read_secret(args, "auth-key"),
            priv_protocol=args.priv,
            priv_key=_read_secret(args, "priv-key"),
            timeout_s=args.timeout,
            retries=args.retries,
            interval_s=args.timeout * (args.retries + 1) + 1,
            profile=profile if isinstance(profile, Profile) else load_profile(profile or "if-mib"),
        )
    except (ValueError, ProfileError) as error:
        raise CommandFailed(str(error)) from None


async def _probe(args: argparse.Namespace) -> PollResult:
    parts = urlsplit(args.url)
    host = parts.hostname or ""
    if parts.scheme == "snmp":
        if not args.profile:
            raise CommandFailed("snmp:// needs --profile NAME")
        community = unquote(parts.username or "")
        return await probe_snmp(_snmp_spec(args, host, parts.port or 161, community, host, args.profile))
    collector: Collector
    if parts.scheme in ("http", "https"):
        fields = dict(item.split("=", 1) for item in args.field)
        selectors = tuple(PromSelector(*item.split("=", 1)) for item in args.prom)
        spec = HttpTargetSpec(
            target_id=host, url=args.url, fields=fields, prometheus=selectors, bearer_token=_read_secret(args, "token")
        )
        collector = HttpCollector.standalone(spec)
    elif parts.scheme == "tcp" and parts.port:
        collector = TcpCollector(TcpTargetSpec(host, host, parts.port, 10.0, args.timeout))
    else:
        raise CommandFailed("the URL must be snmp://host[:port], http(s)://... or tcp://host:port")
    try:
        return await collector.poll()
    finally:
        await collector.aclose()


def run_probe(args: argparse.Namespace) -> int:
    return print_result(args, asyncio.run(_probe(args)))


def run_profile_try(args: argparse.Namespace, profile: Profile) -> int:
    """`dutyroom profile try FILE snmp://...`: one poll of one device with a profile that is not installed."""
    parts = urlsplit(args.url)
    if parts.scheme != "snmp" or not parts.hostname:
        raise CommandFailed("the device must be snmp://[community@]host[:port]")
    community = unquote(parts.username or "")
    spec = _snmp_spec(args, parts.hostname, parts.port or 161, community, parts.hostname, profile)
    return print_result(args, asyncio.run(probe_snmp(spec)))


def print_result(args: argparse.Namespace, result: PollResult) -> int:
    """The samples one line each (or JSON), and the failure on stderr: 1 when the poll failed."""
    state = str(result.failure) if result.failure else "ok"
    for sample in result.samples:
        if args.json:
            print(
                json.dumps(
                    {
                        "target": sample.target,
                        "metric": sample.metric,
                        "labels": dict(sample.labels),
                        "value": sample.value,
                        "unit": sample.unit,
                        "state": state,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            labels = ",".join(f"{key}={value}" for key, value in sample.labels)
            print(f"{sample.metric:<28} {labels:<28} {format_value(sample.value, sample.unit)}")
    if result.failure is not None:
        message = f"{result.target}: {result.failure.value.upper()}: {result.reason}"
        if args.json:
            print(json.dumps({"target": result.target, "state": state, "reason": result.reason}))
        print(message, file=sys.stderr)
        return 1
    return 0


DEFAULT_GROUP = "servers"
"""The group a discovered target gets when its profile names none."""


def _known_playbooks(config: Path) -> list[str]:
    """Playbook ids beside the config, so a suggested rule never names a missing playbook."""
    library, _ = read_playbooks(config.parent / "playbooks")
    return sorted(library.ids())


def _requires_playbook(config: Path) -> bool:
    """Whether the site's checks.toml says every rule needs a playbook (then a rule without one is left out)."""
    try:
        document = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    defaults = document.get("defaults", {})
    return isinstance(defaults, dict) and defaults.get("require_playbook") is True


def run_discover(args: argparse.Namespace) -> int:
    document: dict[str, list[dict[str, object]]] = {"target": [], "rule": []}
    site_profiles = site_profile_dirs(args.config.parent)
    for item in args.hosts:
        host, _, port = item.partition(":")
        spec = _snmp_spec(args, host, int(port or 161), "", host.replace(".", "-"), "")
        result = asyncio.run(discover(spec, site_profiles))
        if result.failure:
            raise CommandFailed(f"{item}: {result.failure}: {result.reason}")
        stanza = checks_stanza(
            result,
            target_id=f"dev-{host.replace('.', '-')}-{port or 161}",
            credentials=args.credentials,
            known_playbooks=_known_playbooks(args.config),
            require_playbook=_requires_playbook(args.config),
            extra_profile_dirs=site_profiles,
        )
        for target in stanza["target"]:
            target.setdefault("group", DEFAULT_GROUP)
        document["target"] += stanza["target"]
        document["rule"] += stanza.get("rule", [])
    if not document["rule"]:
        del document["rule"]  # `rule = []` pasted after a table would land inside it
    print(tomli_w.dumps(document), end="")
    return 0
