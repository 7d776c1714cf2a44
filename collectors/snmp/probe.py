"""Poll one SNMP target once (for `dutyroom probe snmp://...`)."""

from __future__ import annotations

from collectors.snmp.collector import SnmpCollector, auto_transport
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.model import PollResult


async def probe_snmp(spec: SnmpTargetSpec) -> PollResult:
    """One poll with `spec`'s profile; never raises. Rates need two polls, so a probe shows none."""
    collector = SnmpCollector(spec, transport_factory=auto_transport)
    try:
        return await collector.poll()
    finally:
        await collector.aclose()
