"""The demo room's truth: what every simulated device and service would report right now.

The scenario and the drills change a `RoomModel`; `DemoRoom.sync` makes the agents and servers say it.
Power follows the wiring in `catalog`: a device fed by a UPS whose output is off is dark, and so is every
service reached only through a dark switch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tui.demo.catalog import DEVICES_BY_NAME, DRIVEN_INTERFACES, SERVICES_BY_NAME

UpsOutput = Literal["normal", "battery", "none"]
BatteryStatus = Literal["normal", "low", "depleted"]


@dataclass
class UpsState:
    runtime_min: float
    input_ok: bool = True
    """Mains present at the UPS input."""
    output: UpsOutput = "normal"
    battery: BatteryStatus = "normal"
    charge_pct: float = 100.0
    on_battery_since: float | None = None
    """Monotonic time the UPS went on battery (for seconds-on-battery), None on mains."""


@dataclass
class LinkState:
    in_mbps: float
    out_mbps: float
    up: bool = True
    in_errors_per_s: float = 0.0


@dataclass
class CoolingState:
    compressor_running: bool = True
    supply_c: float = 18.5
    return_c: float = 30.5
    rack_inlet_max_c: float = 21.4
    airflow_l_s: float = 1640.0
    output_kw: float = 18.6


@dataclass
class EnvironmentState:
    aisle_c: dict[str, float] = field(default_factory=lambda: {"Cold aisle row A": 22.8, "Cold aisle row B": 23.4})
    humidity_pct: float = 46.0
    water_leak: bool = False
    smoke: bool = False


@dataclass
class ServerState:
    cpu_user_pct: float = 21.0
    cpu_system_pct: float = 6.0
    load: tuple[float, float, float] = (4.12, 3.87, 3.51)
    data_disk_pct: float = 61.0
    mem_avail_pct: float = 42.0

    @property
    def cpu_idle_pct(self) -> float:
        return max(0.0, 100.0 - self.cpu_user_pct - self.cpu_system_pct - 1.0)


@dataclass
class GatewayState:
    orders_per_s: float = 1350.0
    latency_ms: float = 2.6
    queue_depth: float = 18.0
    status: str = "ok"


@dataclass
class MarketDataState:
    tick_age_s: dict[str, float] = field(default_factory=lambda: {"sse": 0.3, "szse": 0.4})
    messages_per_s: float = 8200.0


def _links() -> dict[tuple[str, str], LinkState]:
    return {(item.device, item.name): LinkState(item.in_mbps, item.out_mbps) for item in DRIVEN_INTERFACES}


@dataclass
class RoomModel:
    ups: dict[str, UpsState] = field(
        default_factory=lambda: {"ups-a": UpsState(runtime_min=42.0), "ups-b": UpsState(runtime_min=48.0)}
    )
    pdu_current_a: list[float] = field(default_factory=lambda: [10.6, 9.8, 11.2])
    cooling: CoolingState = field(default_factory=CoolingState)
    environment: EnvironmentState = field(default_factory=EnvironmentState)
    links: dict[tuple[str, str], LinkState] = field(default_factory=_links)
    down_ports: set[tuple[str, int]] = field(default_factory=set)
    """(switch, ifIndex) whose oper status is down (beside the driven links' own `up`)."""
    server: ServerState = field(default_factory=ServerState)
    gateway: GatewayState = field(default_factory=GatewayState)
    market_data: MarketDataState = field(default_factory=MarketDataState)
    lines_up: dict[str, bool] = field(default_factory=lambda: {"exch-sse": True, "exch-szse": True, "md-line": True})
    switched_off: set[str] = field(default_factory=set)
    """Devices or services a drill has taken down by hand, whatever their power."""

    def powered(self, device: str) -> bool:
        """Whether the device has power and answers (its UPS output is on, no drill has switched it off)."""
        if device in self.switched_off:
            return False
        spec = DEVICES_BY_NAME.get(device)
        feed = self.ups.get(spec.fed_by) if spec is not None and spec.fed_by else None
        return feed is None or feed.output != "none"

    def reachable(self, service: str) -> bool:
        """Whether a service answers: not switched off, and the switch it sits behind is powered."""
        spec = SERVICES_BY_NAME.get(service)
        if service in self.switched_off or spec is None:
            return False
        if spec.kind == "line" and not self.lines_up.get(service, True):
            return False
        return self.powered(spec.behind)
