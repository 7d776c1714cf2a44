"""The shape of checks.toml as strict types; each field's docstring is its documentation.

`schema/checks.schema.json` is generated from these types (`dutyroom schema`), so editors can validate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, TypeAlias, cast

import msgspec
from msgspec import Meta, Struct, field

from dutyroom.config.site_links import SiteLinkEntry
from dutyroom.config.typed_toml import DefaultTag

Language = Literal["en", "zh"]
PhaseKind = Literal["trading", "pre-open", "break", "off-hours"]
When = Literal["trading", "pre-open", "break", "off-hours", "always"]
Severity = Literal["critical", "warning", "info"]
BellSetting = bool | Literal["off"] | Severity
"""Which new firing alerts ring the console's bell: a severity rings for itself and those above it."""


class Strict(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Base of every config table: unknown keys are errors."""


class Site(Strict, frozen=True):
    name: Annotated[str, Meta(description="The machine room's name, shown in the status line and files.")]
    timezone: Annotated[str, Meta(description="IANA timezone for display and the trading day.")] = "Asia/Shanghai"
    calendar: Annotated[
        str | list[str],
        Meta(
            description="Trading calendar: a file, a directory of *.toml calendar files, or a list of either"
            " (relative to checks.toml). Days no file covers count as provisional trading days on weekdays."
        ),
    ] = ""
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
    bell: Annotated[
        BellSetting,
        Meta(
            description="Which alerts ring the console's bell each time they fire (again): 'critical' (or true),"
            " 'warning' (warnings and criticals), 'info' (every alert) or 'off' (or false). Silenced, acknowledged,"
            " suppressed and flapping alerts never ring; `dutyroom --no-bell` turns it off for one console."
        ),
    ] = "critical"


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


TargetKind = Literal["snmp", "http", "tcp", "host", "trap", "alertmanager"]
RuleKind = Literal["threshold", "reachability", "capacity"]


class TargetBase(Strict, frozen=True, tag_field="kind"):
    """What every target has, whatever watches it; `kind` picks the table's type and so its keys."""

    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Unique target id.")]
    group: Annotated[str, Meta(description="Group id (see [groups]).")]
    name: Annotated[str, Meta(description="Display name (may be Chinese).")] = ""
    depends_on: Annotated[
        list[str | list[str]],
        Meta(
            description="Targets this one cannot work without: while one is down, this target's alerts are "
            "'suppressed by' it. A list inside the list is a redundancy group (as Icinga 2's `redundancy_group`): "
            'it counts as down only when every target in it is, e.g. [["sw-1", "sw-2"], "ups-a"] for a '
            "gateway behind two switches and fed by one UPS."
        ),
    ] = []

    @property
    def kind(self) -> TargetKind:
        """How it is watched: the `kind` key of its table."""
        return cast(TargetKind, type(self).__struct_config__.tag)


class PolledTargetBase(TargetBase, frozen=True):
    """A target dutyroom polls on a timer."""

    interval: Annotated[str, Meta(description="Overrides defaults.interval.")] = ""
    attempts: Annotated[int | None, Meta(description="Overrides defaults.attempts.")] = None


class NetworkTargetBase(PolledTargetBase, frozen=True):
    """A target polled over the network, where one request may time out."""

    timeout: Annotated[str, Meta(description="Overrides defaults.timeout.")] = ""


class SnmpTarget(NetworkTargetBase, frozen=True, tag="snmp"):
    """A device polled over SNMP with a profile of what to read."""

    address: Annotated[str, Meta(description="The agent, as udp://host:port.")] = ""
    credentials: Annotated[str, Meta(description="Name of a [credentials.NAME] table.")] = ""
    profile: Annotated[str, Meta(description="SNMP profile name (collectors/profiles/NAME.toml).")] = ""
    interfaces: Annotated[list[str], Meta(description="Interfaces to watch by ifName (empty = all).")] = []
    retries: Annotated[int | None, Meta(description="Overrides defaults.retries.")] = None
    trap_sources: Annotated[list[str], Meta(description="Source addresses whose traps belong to this target.")] = []
    hold: Annotated[
        str,
        Meta(
            description='How long a state set by a trap (on a kind = "trap" target, or one with trap_sources) '
            "holds without a new trap; then the alert resolves. Empty: until a clearing trap or a poll says "
            "otherwise. A trap-set state never goes STALE."
        ),
    ] = ""


class HttpTarget(NetworkTargetBase, frozen=True, tag="http"):
    """An HTTP endpoint read as JSON fields or Prometheus text."""

    url: Annotated[str, Meta(description="The URL to fetch (http:// or https://).")] = ""
    credentials: Annotated[str, Meta(description="Name of a [credentials.NAME] table with a bearer token.")] = ""
    fields: Annotated[dict[str, str], Meta(description="HTTP JSON: metric name -> dotted path.")] = {}
    prometheus: Annotated[list[PromSelector], Meta(description="HTTP Prometheus text: samples to read.")] = []


class TcpTarget(NetworkTargetBase, frozen=True, tag="tcp"):
    """A TCP port that must accept connections (an exchange line, a gateway)."""

    address: Annotated[str, Meta(description="Where to connect, as tcp://host:port.")] = ""


class HostTarget(PolledTargetBase, frozen=True, tag="host"):
    """The machine dutyroom runs on: CPU, memory and disks."""

    mounts: Annotated[list[str], Meta(description="Mount points to watch.")] = field(default_factory=lambda: ["/"])


class TrapTarget(TargetBase, frozen=True, tag="trap"):
    """A device that is not polled: only its SNMP traps are received."""

    trap_sources: Annotated[list[str], Meta(description="Source addresses whose traps belong to this target.")] = []
    hold: Annotated[
        str,
        Meta(
            description='How long a state set by a trap (on a kind = "trap" target, or one with trap_sources) '
            "holds without a new trap; then the alert resolves. Empty: until a clearing trap or a poll says "
            "otherwise. A trap-set state never goes STALE."
        ),
    ] = ""


class AlertmanagerTarget(NetworkTargetBase, frozen=True, tag="alertmanager"):
    """An existing Alertmanager: each of its active alerts is an `alertmanager.alert` series labelled with the
    alert's labels (value 2 for severity critical, else 1), so rules map them to playbooks by `labels`."""

    url: Annotated[str, Meta(description="The Alertmanager's base URL, e.g. http://127.0.0.1:9093.")] = ""
    hold: Annotated[str, Meta(description="An alert not seen for this long resolves (default: three intervals).")] = ""


Target: TypeAlias = SnmpTarget | HttpTarget | TcpTarget | HostTarget | TrapTarget | AlertmanagerTarget
PolledTarget: TypeAlias = SnmpTarget | HttpTarget | TcpTarget | HostTarget | AlertmanagerTarget
"""Every kind of target but traps, which are received rather than polled."""


class RuleBase(Strict, frozen=True, tag_field="kind"):
    """What every rule has; `kind` picks the table's type (threshold when left out)."""

    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Unique rule id.")]
    targets: Annotated[list[str], Meta(description="Only these targets (empty = all with the metric).")] = []
    groups: Annotated[list[str], Meta(description="Only targets in these groups.")] = []
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
    summary: Annotated[str, Meta(description="One line shown with the alert.")] = ""
    summary_zh: Annotated[str, Meta(description="The summary in Chinese.")] = ""
    playbook: Annotated[str | None, Meta(description="Id of the playbook to show beside the alert.")] = None

    @property
    def kind(self) -> RuleKind:
        """threshold on a metric, reachability of targets, or capacity headroom: the `kind` key."""
        return cast(RuleKind, type(self).__struct_config__.tag)


class SeriesRuleBase(RuleBase, frozen=True):
    """A rule that reads the series of one metric and compares them with conditions."""

    metric: Annotated[str, Meta(description="Metric name the rule reads.")] = ""
    labels: Annotated[dict[str, str], Meta(description="Only series with these label values.")] = {}
    warning: Annotated[str | None, Meta(description="Warning condition, e.g. '> 80'.")] = None
    critical: Annotated[str | None, Meta(description="Critical condition, e.g. '> 90'.")] = None
    clear: Annotated[str | None, Meta(description="Condition that ends an active alert (hysteresis).")] = None


class ThresholdRule(SeriesRuleBase, frozen=True, tag="threshold"):
    """A metric's value against warning and critical conditions (the kind when a rule names none)."""


class ReachabilityRule(RuleBase, frozen=True, tag="reachability"):
    """A target unreachable after `attempts` failed polls."""


class CapacityRule(SeriesRuleBase, frozen=True, tag="capacity"):
    """Capacity / peak over `window`; conditions read that headroom, warning below `factor` when none is set."""

    factor: Annotated[float, Meta(gt=0, description="Required capacity / peak.")] = 2.0
    window: Annotated[str, Meta(description="How far back the peak is taken.")] = "365d"
    capacity: Annotated[float | None, Meta(description="A fixed capacity in the metric's unit.")] = None
    capacity_metric: Annotated[str, Meta(description="A metric giving the capacity.")] = ""
    capacity_scale: Annotated[float, Meta(description="Multiply capacity_metric by this (e.g. 1e6 for Mbit/s).")] = 1.0


Rule: TypeAlias = ThresholdRule | ReachabilityRule | CapacityRule
RULE_KIND_WHEN_UNSET = DefaultTag(ThresholdRule)
"""A [[rule]] without `kind` is a threshold rule, as it always was."""


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
    credentials: Annotated[
        list[str], Meta(description="[credentials] names (SNMPv3 users) accepted for v3 traps and INFORMs.")
    ] = []
    engine_ids: Annotated[
        list[str],
        Meta(description="Hex engine ids of the devices that send v3 TRAPs (INFORMs need none), e.g. 0x80001f88..."),
    ] = []


class ExporterTls(Strict, frozen=True):
    """TLS of the Prometheus endpoint, with exporter-toolkit's `tls_server_config` key names."""

    cert_file: Annotated[str, Meta(description="Server certificate (PEM), relative to checks.toml.")]
    key_file: Annotated[str, Meta(description="Its private key (PEM, mode 0600).")]
    client_ca_file: Annotated[str, Meta(description="CA that client certificates must chain to (optional).")] = ""


class Exporter(Strict, frozen=True):
    listen: Annotated[
        str,
        Meta(
            description="host:port of the Prometheus endpoint, e.g. 127.0.0.1:9745; a non-loopback address needs"
            " tls_server_config and basic_auth_users."
        ),
    ] = ""
    tls_server_config: Annotated[ExporterTls | None, Meta(description="Serve /metrics over TLS.")] = None
    basic_auth_users: Annotated[
        dict[str, Secret],
        Meta(description="User -> password ({ env } or { file }) that Prometheus's basic_auth must present."),
    ] = {}


class Alertmanager(Strict, frozen=True):
    """Where `serve` sends its firing alerts (Alertmanager v2 API), as Prometheus does: to every URL."""

    urls: Annotated[
        list[str], Meta(min_length=1, description="Alertmanager base URLs, e.g. http://127.0.0.1:9093; each gets all.")
    ]
    resend_interval: Annotated[str, Meta(description="How often firing and resolved alerts are sent again.")] = "1m"
    timeout: Annotated[str, Meta(description="How long one request to one Alertmanager may take.")] = "10s"
    username: Annotated[str, Meta(description="Basic-auth user (with `password`).")] = ""
    password: Annotated[Secret | None, Meta(description="Basic-auth password: { env } or { file }.")] = None
    ca_file: Annotated[str, Meta(description="CA certificate(s) for https URLs (default: the system's).")] = ""
    runbook_url: Annotated[
        str,
        Meta(description="`runbook_url` annotation; {playbook} and {rule} are replaced, e.g. https://wiki/{playbook}."),
    ] = ""
    mirror_silences: Annotated[
        bool,
        Meta(description="A dutyroom silence creates the same Alertmanager silence; its expiry or removal follows."),
    ] = False
    ack_silence_for: Annotated[
        str, Meta(description="With mirror_silences: an ack also becomes an Alertmanager silence this long (e.g. 1h).")
    ] = ""


DutyDays = Literal["trading-day", "before-holiday", "after-holiday"]


class DutyCheck(Strict, frozen=True):
    """What verifies one checklist step from the live state; the step ticks itself while this holds.

    Every key set must hold: targets in scope reachable and fresh with no firing alert (of `rules`, when given),
    every series of `metric` in scope meeting `condition`, and no unacknowledged critical when asked.
    """

    step: Annotated[int, Meta(ge=1, description="The checklist step (1-based) this verifies.")]
    what: Annotated[str, Meta(description="What is verified, as the operator reads it.")] = ""
    rules: Annotated[list[str], Meta(description="None of these rules may be firing (in scope).")] = []
    targets: Annotated[list[str], Meta(description="Scope: these targets must be up, fresh and not alerting.")] = []
    groups: Annotated[list[str], Meta(description="Scope: every target of these groups, likewise.")] = []
    metric: Annotated[str, Meta(description="A metric every series of which (in scope) must meet `condition`.")] = ""
    condition: Annotated[str, Meta(description="The condition on `metric`, e.g. '>= 20' or '< 5'.")] = ""
    no_unacknowledged_critical: Annotated[
        bool, Meta(description="No critical alert may be firing without an acknowledgement.")
    ] = False


class Duty(Strict, frozen=True):
    """A checklist the calendar starts by itself (the pre-open check, holiday duty) and that is due by a time."""

    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Unique duty id.")]
    playbook: Annotated[str, Meta(description="Id of the checklist playbook worked through.")]
    start: Annotated[str, Meta(description="Local time (HH:MM) the run starts by itself.")]
    due: Annotated[str, Meta(description="Local time (HH:MM) by which every step must be done or skipped.")]
    days: Annotated[
        DutyDays,
        Meta(
            description="Which days: every trading day, the last trading day before a holiday closure, or the"
            " first trading day after one. Weekends, holidays and make-up working days never trade."
        ),
    ] = "trading-day"
    severity: Annotated[
        Severity, Meta(description="Severity of the missed-duty alert (critical in the pre-open phase always).")
    ] = "warning"
    missed_playbook: Annotated[str, Meta(description="Playbook linked from the missed-duty alert.")] = ""
    check: Annotated[list[DutyCheck], Meta(description="Steps the machine verifies ([[duty.check]]).")] = []


class Service(Strict, frozen=True):
    """Where `dutyroom serve` answers its API (docs/api.md); the command line (--socket, --socket-group) wins."""

    socket: Annotated[
        str,
        Meta(
            pattern=r"^(/.*)?$",
            description="Absolute path of the API's Unix socket (default: $RUNTIME_DIRECTORY/api.sock under systemd,"
            " else STATE/api.sock).",
        ),
    ] = ""
    socket_group: Annotated[
        str,
        Meta(
            pattern=r"^([A-Za-z_][A-Za-z0-9_.-]*\$?)?$",
            max_length=32,
            description="Unix group given the socket (mode 0660): the duty team; the service user must be a member.",
        ),
    ] = ""


class Config(Strict, frozen=True):
    site: Site
    defaults: Defaults = Defaults()
    credentials: dict[str, Credential] = {}
    groups: dict[str, Group] = {}
    target: list[Target] = []
    rule: list[Annotated[Rule, RULE_KIND_WHEN_UNSET]] = []
    silence: list[Silence] = []
    roles: Roles = Roles()
    traps: Traps | None = None
    exporter: Exporter = Exporter()
    duty: list[Duty] = []
    alertmanager: Alertmanager | None = None
    service: Service = Service()
    site_link: list[SiteLinkEntry] = []
    """Other rooms' services this seat watches when no `--site` is given (`dutyroom.config.site_links`)."""


ParentGroups = tuple[tuple[str, ...], ...]
"""A target's parents as redundancy groups: the target is cut off when every member of any one group is down."""


def parent_groups(depends_on: Sequence[str | list[str]]) -> ParentGroups:
    """`depends_on` as groups: a plain id is a group of one, a list is a redundancy group (order kept)."""
    return tuple((entry,) if isinstance(entry, str) else tuple(dict.fromkeys(entry)) for entry in depends_on)


def json_schema() -> dict[str, object]:
    """The JSON Schema of checks.toml, generated from these types.

    A rule's `kind` may be left out, which a discriminator cannot say: the rule union stays a plain
    `anyOf` (only a threshold rule matches a table without `kind`) and the threshold rule's `kind` is optional.
    """
    schema: dict[str, Any] = msgspec.json.schema(Config)
    schema["title"] = "dutyroom checks.toml"
    definitions = schema["$defs"]
    definitions["Config"]["properties"]["rule"]["items"].pop("discriminator")
    default = definitions[RULE_KIND_WHEN_UNSET.member.__name__]
    default["required"] = [key for key in default["required"] if key != "kind"]
    return schema
