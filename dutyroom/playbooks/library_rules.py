"""The rule ids the shipped playbook library is written for: what a copied playbook may name that a room lacks.

A site copies the shipped playbooks (`dutyroom init`) and writes its own, usually smaller, checks.toml, so a
playbook's `applies_to.rules` may name a shipped rule the room does not define. That is a library meeting a
room, not a mistake: `check` notes it (the playbook just is not started by that rule's alerts here). Any other
name the room does not define (a typo, a rule the site deleted) can never link an alert and stays an error.
The list is the vocabulary of the library rather than a guess by spelling: shipped rule ids are alike by
design (`ups-on-battery`, `ups-on-bypass`), so "close to a rule of the room" cannot tell a typo from a rule
the room lacks. A unit test keeps it equal to the rule ids of the shipped checks.toml; the domain cannot read
that file itself (it is package data of the console, a layer above).
"""

from __future__ import annotations

SHIPPED_RULE_IDS = frozenset(
    {
        # power
        "ups-on-battery", "ups-runtime-low", "ups-battery-fault", "ups-output-off", "ups-on-bypass",
        "ups-battery-replace", "ups-battery-module-fault", "ups-power-module-fault", "ups-overload",
        "ups-system-alarm", "ups-overload-alarm", "ups-general-fault", "ups-inverter-fault", "ups-rectifier-fault",
        "ups-fan-fault", "ups-over-temperature", "ups-alarm-level", "ups-charger-fault", "ups-battery-failed",
        "dc-on-battery", "ats-redundancy-lost", "ats-source1-bad", "ats-source2-bad",
        "pdu-overload", "pdu-load-state", "pdu-breaker-tripped",
        # cooling and environment
        "cooling-temp-high", "room-temp-high", "humidity-out-of-range", "water-leak", "fire-alarm",
        "fire-detector-alarm", "cooling-unit-smoke", "door-open", "cooling-airflow-lost", "cooling-unit-alarm",
        "cooling-unit-off", "cooling-condensate-full", "cooling-active-alarms", "cooling-general-error",
        # trading links
        "core-switch-down", "core-link-down", "exchange-line-down", "link-congested", "link-errors",
        "market-data-down", "market-data-stale",
        "switch-fan-fault", "switch-psu-fault", "switch-component-down", "switch-temperature-high", "optic-rx-low",
        # trading systems
        "gateway-down", "gateway-slow", "gateway-queue", "throughput-headroom", "link-headroom",
        # servers and reachability
        "server-cpu-high", "server-load-high", "disk-full", "target-unreachable",
    }
)  # fmt: skip
"""Every `[[rule]] id` of the shipped room's checks.toml (tui/demo/shipped_room/checks.toml)."""
