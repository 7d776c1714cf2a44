"""Interface counters that grow at the model's rates, for the links the scenario congests or breaks.

snmpsim's `numeric` module grows a counter at one fixed rate; a link that congests needs a rate that changes,
so the demo keeps these counters itself and sets them (writecache) a few times a second. The poller then
computes rates from two readings like on any switch; between two settings a counter stands still, so a
computed rate is off by at most (setting period / poll interval), 0.5 s / 4 s here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.demo.catalog import DRIVEN_INTERFACES, Interface
from tui.demo.device_values import DeviceValues
from tui.demo.model import RoomModel

IF_IN_OCTETS = "1.3.6.1.2.1.2.2.1.10"
IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.14"
IF_OUT_OCTETS = "1.3.6.1.2.1.2.2.1.16"
IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.6"
IF_HC_OUT_OCTETS = "1.3.6.1.2.1.31.1.1.1.10"
COUNTER32 = 1 << 32
COUNTER64 = 1 << 64
START_OCTETS = 7_310_000_000_000
"""Where the counters start: a switch that has been up for a while."""


@dataclass
class _Counters:
    in_octets: float = START_OCTETS
    out_octets: float = START_OCTETS * 0.8
    in_errors: float = 0.0


@dataclass
class TrafficCounters:
    """The octet and error counters of the driven interfaces."""

    counters: dict[Interface, _Counters] = field(
        default_factory=lambda: {item: _Counters() for item in DRIVEN_INTERFACES}
    )

    def advance(self, model: RoomModel, seconds: float) -> None:
        """Add `seconds` of traffic at the model's current rates (nothing on a link that is down)."""
        for interface, counters in self.counters.items():
            link = model.links[(interface.device, interface.name)]
            if not link.up:
                continue
            counters.in_octets += link.in_mbps * 125_000 * seconds
            counters.out_octets += link.out_mbps * 125_000 * seconds
            counters.in_errors += link.in_errors_per_s * seconds

    def values(self) -> dict[str, DeviceValues]:
        """The counters as OID settings per device (64-bit and wrapped 32-bit octets, 32-bit errors)."""
        result: dict[str, DeviceValues] = {}
        for interface, counters in self.counters.items():
            index = interface.if_index
            in_octets, out_octets = int(counters.in_octets), int(counters.out_octets)
            result.setdefault(interface.device, {}).update(
                {
                    f"{IF_HC_IN_OCTETS}.{index}": ("70", in_octets % COUNTER64),
                    f"{IF_HC_OUT_OCTETS}.{index}": ("70", out_octets % COUNTER64),
                    f"{IF_IN_OCTETS}.{index}": ("65", in_octets % COUNTER32),
                    f"{IF_OUT_OCTETS}.{index}": ("65", out_octets % COUNTER32),
                    f"{IF_IN_ERRORS}.{index}": ("65", int(counters.in_errors) % COUNTER32),
                }
            )
        return result
