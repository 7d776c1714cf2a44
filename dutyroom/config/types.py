"""The shape of checks.toml as strict types; each field's docstring is its documentation.

`schema/checks.schema.json` is generated from these types (`dutyroom schema`), so editors can validate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, field

Language = Literal["en", "zh"]
PhaseKind = Literal["trading", "pre-open", "break", "off-hours"]
When = Literal["trading", "pre-open", "break", "off-hours", "always"]
Severity = Literal["critical", "warning", "info"]


class Strict(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Base of every config table: unknown keys are errors."""


class Site(Strict, frozen=True):
    name: Annotated[str, Meta(description="The machine room's name, shown in the status line and files.")]
    timezone: Annotated[str, Meta(description="IANA timezone for display and the trading day.")] = "Asia/Shanghai"
    calendar: Annotated[str, Meta(description="Trading calendar file, relative to checks.toml.")] = ""
    language: Annotated[Language, Meta(description="Console language: en or zh.")] = "en"
    handover_dir: Annotated[str, Meta(description="Directory for handover files (relative to the state dir).")] = (
        "handovers"
    )
    roster: Annotated[list[str], Meta(description="Names on the duty roster, listed in handover files.")] = []
    shifts: Annotated[list[str], Meta(description="Shift start times (HH:MM, local), e.g. ['08:00', '20:00'].")] = (
        field(default_factory=lambda: ["08:00", "20:00"])
    )


class Defaults(Strict, frozen=True):
    interval: Annotated[str, Meta(description="How often each target is polled.")] = "10s"
    timeout: Annotated[str, Meta(description="How long one request may take.")] = "2s"
    retries: Annotated[int, Meta(ge=0, le=10, description="Retries per poll after a timeout.")] = 1
    attempts: Annotated[
        int, Meta(ge=1, le=50, description="Consecutive failed polls before UNREACHABLE becomes an alert.")
    ] = 3
    stale_after: Annotated[
        str, Meta(description="No fresh data for this long makes a series STALE; default 2 x interval + 15s.")
    ] = ""
    resolved_visible_for: Annotated[str, Meta(description="How long resolved alerts stay on screen.")] = "15m"
    escalate_after: Annotated[
        str, Meta(description="A critical alert unacknowledged this long is marked for escalation.")
    ] = "10m"
    require_playbook: Annotated[bool, Meta(description="Every rule must name a playbook.")] = False
    bell: Annotated[bool, Meta(description="Ring the terminal bell when a new critical alert fires.")] = True


class Secret(Strict, frozen=True):
    """A secret read from the environment or from a file that only its owner can read."""

    env: Annotated[str | None, Meta(description="Environment variable holding the secret.")] = None
    file: Annotated[str | None, Meta(description="File holding the secret (mode 0600 or stricter).")] = None


class Credential(Strict, frozen=True):
    version: Annotated[Literal["1", "2c", "3"], Meta(description="SNMP version.")] = "2c"
    community: Annotated[Secret | None, Meta(description="Community string (v1/v2c).")] = None
    user: Annotated[str, Meta(description="SNMPv3 user name.")] = ""
    auth: Annotated[
        Literal["MD5", "SHA", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"] | None,
        Meta(description="SNMPv3 authentication protocol."),
    ] = None
    auth_key: Annotated[Secret | None, Meta(description="SNMPv3 authentication key.")] = None
    priv: Annotated[
        Literal["DES", "3DES", "AES", "AES-128", "AES-192", "AES-256", "AES-192C", "AES-256C"] | None,
        Meta(description="SNMPv3 privacy protocol."),
    ] = None
    priv_key: Annotated[Secret | None, Meta(description="SNMPv3 privacy key.")] = None
    context: Annotated[str, Meta(description="SNMPv3 context name.")] = ""
    token: Annotated[Secret | None, Meta(description="Bearer token for HTTP targets.")] = None


class Group(Strict, frozen=True):
    label: Annotated[str, Meta(description="English label.")] = ""
    label_zh: Annotated[str, Meta(description="Chinese label.")] = ""
    order: Annotated[int, Meta(description="Position in the site overview.")] = 0


class PromSelector(Strict, frozen=True):
    metric: Annotated[str, Meta(description="dutyroom metric name to produce.")]
    family: Annotated[str, Meta(description="Prometheus metric family (sample name) to read.")]
    labels: Annotated[dict[str, str], Meta(description="Label values the sample must have.")] = {}


class Target(Strict, frozen=True):
    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Unique target id.")]
    group: Annotated[str, Meta(description="Group id (see [groups]).")]
    kind: Annotated[Literal["snmp", "http", "tcp", "host", "trap"], Meta(description="How it is watched.")]
    name: Annotated[str, Meta(description="Display name (may be Chinese).")] = ""
    address: Annotated[str, Meta(description="udp://host:port for snmp, tcp://host:port for tcp.")] = ""
    url: Annotated[str, Meta(description="URL for http targets.")] = ""
    credentials: Annotated[str, Meta(description="Name of a [credentials.NAME] table.")] = ""
    profile: Annotated[str, Meta(description="SNMP profile name (collectors/profiles/NAME.toml).")] = ""
    interfaces: Annotated[list[str], Meta(description="Interfaces to watch by ifName (empty = all).")] = []
    fields: Annotated[dict[str, str], Meta(description="HTTP JSON: metric name -> dotted path.")] = {}
    prometheus: Annotated[list[PromSelector], Meta(description="HTTP Prometheus text: samples to read.")] = []
    mounts: Annotated[list[str], Meta(description="Host targets: mount points to watch.")] = field(
        default_factory=lambda: ["/"]
    )
    trap_sources: Annotated[list[str], Meta(description="Source addresses whose traps belong to this target.")] = []
    interval: Annotated[str, Meta(description="Overrides defaults.interval.")] = ""
    timeout: Annotated[str, Meta(description="Overrides defaults.timeout.")] = ""
    retries: Annotated[int | None, Meta(description="Overrides defaults.retries.")] = None
    attempts: Annotated[int | None, Meta(description="Overrides defaults.attempts.")] = None
    depends_on: Annotated[
        list[str | list[str]],
        Meta(
            description="Targets this one cannot work without: while one is down, this target's alerts are "
            "'suppressed by' it. A list inside the list is a redundancy group (as Icinga 2's `redundancy_group`): "
            'it counts as down only when every target in it is, e.g. [["sw-1", "sw-2"], "ups-a"] for a '
            "gateway behind two switches and fed by one UPS."
        ),
    ] = []
    hold: Annotated[
        str,
        Meta(
            description='How long a state set by a trap (on a kind = "trap" target, or one with trap_sources) '
            "holds without a new trap; then the alert resolves. Empty: until a clearing trap or a poll says "
            "otherwise. A trap-set state never goes STALE."
        ),
    ] = ""


class Rule(Strict, frozen=True):
    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Unique rule id.")]
    kind: Annotated[
        Literal["threshold", "reachability", "capacity"],
        Meta(description="threshold on a metric, reachability of targets, or capacity headroom."),
    ] = "threshold"
    metric: Annotated[str, Meta(description="Metric name the rule reads (not for reachability).")] = ""
    targets: Annotated[list[str], Meta(description="Only these targets (empty = all with the metric).")] = []
    groups: Annotated[list[str], Meta(description="Only targets in these groups.")] = []
    labels: Annotated[dict[str, str], Meta(description="Only series with these label values.")] = {}
    warning: Annotated[str | None, Meta(description="Warning condition, e.g. '> 80'.")] = None
    critical: Annotated[str | None, Meta(description="Critical condition, e.g. '> 90'.")] = None
    clear: Annotated[str | None, Meta(description="Condition that ends an active alert (hysteresis).")] = None
    for_: Annotated[str, Meta(description="How long the condition must hold before firing.")] = field(
        default="", name="for"
    )
    keep_firing_for: Annotated[
        str,
        Meta(description="Keep firing this long after the first evaluation that finds the condition false."),
    ] = ""
    hold: Annotated[
        str,
        Meta(
            description="How long a state this rule's metric got from a trap holds without a new trap (then it "
            "resolves); overrides the target's hold. Empty: the target's hold."
        ),
    ] = ""
    when: Annotated[
        When | list[When],
        Meta(description="Session phases in which the rule applies; outside them it raises nothing, STALE included."),
    ] = "always"
    severity: Annotated[
        dict[str, Severity], Meta(description="Severity per session phase (trading, pre-open, break, off-hours).")
    ] = {}
    marks_down: Annotated[
        bool, Meta(description="A firing alert of this rule makes its target 'down' for dependents.")
    ] = False
    factor: Annotated[float, Meta(gt=0, description="Capacity rules: required capacity / peak.")] = 2.0
    window: Annotated[str, Meta(description="Capacity rules: how far back the peak is taken.")] = "365d"
    capacity: Annotated[float | None, Meta(description="Capacity rules: a fixed capacity in the metric's unit.")] = None
    capacity_metric: Annotated[str, Meta(description="Capacity rules: a metric giving the capacity.")] = ""
    capacity_scale: Annotated[
        float, Meta(description="Capacity rules: multiply capacity_metric by this (e.g. 1e6 for Mbit/s).")
    ] = 1.0
    summary: Annotated[str, Meta(description="One line shown with the alert.")] = ""
    summary_zh: Annotated[str, Meta(description="The summary in Chinese.")] = ""
    playbook: Annotated[str | None, Meta(description="Id of the playbook to show beside the alert.")] = None


class Matcher(Strict, frozen=True):
    rule: Annotated[str, Meta(description="Rule id (empty = any).")] = ""
    target: Annotated[str, Meta(description="Target id (empty = any).")] = ""
    group: Annotated[str, Meta(description="Group id (empty = any).")] = ""


class Silence(Strict, frozen=True):
    id: Annotated[str, Meta(description="Unique silence id.")]
    match: Annotated[Matcher, Meta(description="Which alerts it silences.")]
    comment: Annotated[str, Meta(min_length=1, description="Why (required).")]
    start: Annotated[str, Meta(description="One-shot: ISO date-time it starts (local time if no offset).")] = ""
    end: Annotated[str, Meta(description="One-shot: ISO date-time it ends.")] = ""
    days: Annotated[
        list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]],
        Meta(description="Recurring: weekdays it applies on."),
    ] = []
    from_: Annotated[str, Meta(description="Recurring: local start time HH:MM.")] = field(default="", name="from")
    to: Annotated[str, Meta(description="Recurring: local end time HH:MM.")] = ""


class Roles(Strict, frozen=True):
    operators: Annotated[
        list[str], Meta(description="Users (or @unixgroup) who may act; empty = everyone may act.")
    ] = []
    viewers: Annotated[list[str], Meta(description="Users (or @unixgroup) who may only look.")] = []


class Traps(Strict, frozen=True):
    listen: Annotated[str, Meta(description="udp://host:port the trap receiver binds.")] = "udp://127.0.0.1:1162"
    communities: Annotated[list[Secret], Meta(description="Accepted v1/v2c communities.")] = []
    credentials: Annotated[list[str], Meta(description="[credentials] names accepted for v3 traps.")] = []


class Exporter(Strict, frozen=True):
    listen: Annotated[str, Meta(description="Loopback address for the Prometheus endpoint, e.g. 127.0.0.1:9745.")] = ""


class Config(Strict, frozen=True):
    site: Site
    defaults: Defaults = Defaults()
    credentials: dict[str, Credential] = {}
    groups: dict[str, Group] = {}
    target: list[Target] = []
    rule: list[Rule] = []
    silence: list[Silence] = []
    roles: Roles = Roles()
    traps: Traps | None = None
    exporter: Exporter = Exporter()


ParentGroups = tuple[tuple[str, ...], ...]
"""A target's parents as redundancy groups: the target is cut off when every member of any one group is down."""


def parent_groups(depends_on: Sequence[str | list[str]]) -> ParentGroups:
    """`depends_on` as groups: a plain id is a group of one, a list is a redundancy group (order kept)."""
    return tuple((entry,) if isinstance(entry, str) else tuple(dict.fromkeys(entry)) for entry in depends_on)


def json_schema() -> dict[str, object]:
    """The JSON Schema of checks.toml, generated from these types."""
    schema: dict[str, object] = msgspec.json.schema(Config)
    schema["title"] = "dutyroom checks.toml"
    return schema
