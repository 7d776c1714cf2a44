"""The scripted incident: a mains failure that drains UPS A, warms the room and takes core-sw1 down with it.

Steps are timed in scenario seconds (`--clock-speed` divides them); each changes the model and may send
traps, which arrive at once, before the next polls confirm what they say. What the duty engineer should see:
  15 s  mains lost: both UPSes on battery (traps first, then polls); the cooling unit's compressor stops
  25-75 UPS A's runtime falls (warning, then critical; battery low); supply air and cold aisles warm up
  55 s  the SSE exchange line congests (clients re-sending orders)
  85 s  UPS A's battery is exhausted: its output goes off (a rule that `marks_down`), so core-sw1, pdu-a1
        and the order gateway behind core-sw1 go dark: their alerts are suppressed by ups-a
 140 s  mains back: outputs on, devices answer again, the compressor restarts, the line drains
 150-170 temperatures and UPS A's runtime recover; every alert resolves
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.demo.model import RoomModel
from tui.demo.room_traps import (
    LOW_BATTERY_ALARM,
    ON_BATTERY_ALARM,
    OUTPUT_OFF_ALARM,
    Trap,
    apc,
    ups_mib_alarm,
    ups_mib_on_battery,
)

SSE_LINE = ("core-sw2", "GE1/0/1")


@dataclass(frozen=True)
class Step:
    at_s: float
    """Scenario seconds from the start of the run."""
    title: str
    change: Callable[[RoomModel], None]
    traps: tuple[Trap, ...] = field(default=())


def _mains_lost(model: RoomModel) -> None:
    now = time.monotonic()
    for ups in model.ups.values():
        ups.input_ok, ups.output, ups.on_battery_since = False, "battery", now
    model.ups["ups-a"].runtime_min, model.ups["ups-b"].runtime_min = 27.0, 44.0
    cooling = model.cooling
    cooling.compressor_running, cooling.supply_c, cooling.output_kw = False, 21.0, 0.0


def _warming(
    supply: float, aisles: tuple[float, float], runtime_a: float, runtime_b: float
) -> Callable[[RoomModel], None]:
    def change(model: RoomModel) -> None:
        model.cooling.supply_c = supply
        model.cooling.return_c = supply + 12.0
        model.cooling.rack_inlet_max_c = supply + 3.0
        for name, celsius in zip(list(model.environment.aisle_c), aisles, strict=True):
            model.environment.aisle_c[name] = celsius
        model.ups["ups-a"].runtime_min = runtime_a
        model.ups["ups-b"].runtime_min = runtime_b
        model.ups["ups-a"].charge_pct = max(0.0, runtime_a * 3.5)
        model.ups["ups-b"].charge_pct = max(0.0, runtime_b * 2.1)

    return change


def _congest(model: RoomModel) -> None:
    link = model.links[SSE_LINE]
    link.in_mbps, link.out_mbps = 930.0, 610.0
    model.gateway.queue_depth, model.gateway.orders_per_s = 240.0, 2150.0


def _battery_low(model: RoomModel) -> None:
    _warming(29.5, (31.0, 32.6), 8.0, 36.0)(model)
    model.ups["ups-a"].battery = "low"


def _output_off(model: RoomModel) -> None:
    ups = model.ups["ups-a"]
    ups.output, ups.battery, ups.runtime_min, ups.charge_pct = "none", "depleted", 0.0, 0.0


def _mains_back(model: RoomModel) -> None:
    for ups in model.ups.values():
        ups.input_ok, ups.output, ups.on_battery_since = True, "normal", None
    model.ups["ups-a"].battery, model.ups["ups-a"].runtime_min, model.ups["ups-a"].charge_pct = "low", 6.0, 12.0
    model.ups["ups-b"].runtime_min, model.ups["ups-b"].charge_pct = 33.0, 70.0
    cooling = model.cooling
    cooling.compressor_running, cooling.supply_c, cooling.output_kw = True, 23.0, 24.5
    link = model.links[SSE_LINE]
    link.in_mbps, link.out_mbps = 240.0, 170.0
    model.gateway.queue_depth, model.gateway.orders_per_s = 30.0, 1450.0


def _recovering(model: RoomModel) -> None:
    _warming(19.5, (27.4, 27.9), 18.0, 41.0)(model)
    model.ups["ups-a"].battery = "normal"


def _recovered(model: RoomModel) -> None:
    _warming(18.5, (23.1, 23.6), 31.0, 48.0)(model)
    model.ups["ups-a"].charge_pct = model.ups["ups-b"].charge_pct = 100.0
    model.links[SSE_LINE].in_mbps, model.links[SSE_LINE].out_mbps = 200.0, 160.0
    model.gateway.queue_depth, model.gateway.orders_per_s = 18.0, 1350.0


ON_BATTERY_TEXT = "UPS: On battery power in response to an input power problem."
RESTORED_TEXT = "UPS: No longer on battery power."

INCIDENT: tuple[Step, ...] = (
    Step(
        15,
        "Mains failure: the utility feed is lost; both UPSes on battery, the compressor stops",
        _mains_lost,
        (ups_mib_on_battery("ups-a", 27), apc("ups-b", 5, ON_BATTERY_TEXT)),
    ),
    Step(25, "UPS A runtime under 20 minutes; supply air warming", _warming(23.5, (24.6, 25.1), 19.0, 41.0)),
    Step(35, "Supply air above 24 C", _warming(25.6, (26.1, 26.6), 16.0, 40.0)),
    Step(45, "Supply air above 27 C, cold aisles above 27 C", _warming(27.9, (28.3, 28.9), 13.0, 39.0)),
    Step(55, "Clients re-send orders: the SSE line congests", _congest),
    Step(
        65,
        "UPS A battery low, runtime under 10 minutes",
        _battery_low,
        (ups_mib_alarm("ups-a", LOW_BATTERY_ALARM, added=True, alarm_id=2),),
    ),
    Step(75, "Cold aisles above 32 C", _warming(30.8, (33.1, 34.0), 3.0, 35.0)),
    Step(
        85,
        "UPS A exhausted: its output is off; core-sw1, pdu-a1 and the gateway go dark",
        _output_off,
        (ups_mib_alarm("ups-a", OUTPUT_OFF_ALARM, added=True, alarm_id=3),),
    ),
    Step(
        140,
        "Mains restored: UPS outputs on, devices back, compressor restarting, the line drains",
        _mains_back,
        (ups_mib_alarm("ups-a", ON_BATTERY_ALARM, added=False), apc("ups-b", 9, RESTORED_TEXT)),
    ),
    Step(150, "Temperatures falling; UPS A recharging", _recovering),
    Step(160, "Room back to normal; UPS A runtime above 25 minutes", _recovered),
)
"""The scripted incident (about 3 minutes at clock speed 1)."""
INCIDENT_LENGTH_S = 170.0
"""Scenario seconds after which the incident is over and every alert has had a poll to resolve."""
