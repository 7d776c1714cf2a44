"""Drills: one emergency injected on demand, so a shift can practise its playbook on a live console.

Each drill changes the model (and may send traps) when it starts and puts things back when it ends; `alerts`
lists the (rule, target) alerts its playbook expects. While any drill runs, the engine marks the alerts it
raises as drill alerts, and the playbook runs they start are drill runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.demo.model import RoomModel
from tui.demo.room_traps import Trap, apc, link

Change = Callable[[RoomModel], None]


@dataclass(frozen=True)
class Drill:
    name: str
    title: str
    start: Change
    end: Change
    alerts: tuple[tuple[str, str], ...]
    """(rule, target) alerts the drill should raise."""
    start_traps: tuple[Trap, ...] = field(default=())
    end_traps: tuple[Trap, ...] = field(default=())


def _set(path: str, value: object, normal: object) -> tuple[Change, Change]:
    """Start/end changes setting one attribute path of the model (dotted, with [key] for dicts)."""

    def setter(target_value: object) -> Change:
        def change(model: RoomModel) -> None:
            owner: object = model
            *parents, last = path.split(".")
            for part in parents:
                owner = getattr(owner, part)
            setattr(owner, last, list(target_value) if isinstance(target_value, list) else target_value)

        return change

    return setter(value), setter(normal)


def _ups_b_on_battery(model: RoomModel) -> None:
    ups = model.ups["ups-b"]
    ups.input_ok, ups.output, ups.on_battery_since, ups.runtime_min = False, "battery", time.monotonic(), 46.0


def _ups_b_on_mains(model: RoomModel) -> None:
    ups = model.ups["ups-b"]
    ups.input_ok, ups.output, ups.on_battery_since, ups.runtime_min = True, "normal", None, 48.0


def _hot(model: RoomModel) -> None:
    model.cooling.supply_c = 28.4
    model.environment.aisle_c = {"Cold aisle row A": 33.2, "Cold aisle row B": 34.1}


def _cool(model: RoomModel) -> None:
    model.cooling.supply_c = 18.5
    model.environment.aisle_c = {"Cold aisle row A": 22.8, "Cold aisle row B": 23.4}


def _switch(name: str, on: bool) -> Change:
    def change(model: RoomModel) -> None:
        if on:
            model.switched_off.discard(name)
        else:
            model.switched_off.add(name)

    return change


def _line(name: str, up: bool) -> Change:
    def change(model: RoomModel) -> None:
        model.lines_up[name] = up

    return change


def _port(switch: str, if_index: int, up: bool) -> Change:
    def change(model: RoomModel) -> None:
        if up:
            model.down_ports.discard((switch, if_index))
        else:
            model.down_ports.add((switch, if_index))

    return change


def _rate(key: tuple[str, str], in_mbps: float, out_mbps: float) -> Change:
    def change(model: RoomModel) -> None:
        model.links[key].in_mbps, model.links[key].out_mbps = in_mbps, out_mbps

    return change


def _server(cpu_user: float, load5: float) -> Change:
    def change(model: RoomModel) -> None:
        model.server.cpu_user_pct = cpu_user
        model.server.load = (load5 * 1.1, load5, load5 * 0.9)

    return change


def _market_data_age(age: float) -> Change:
    def change(model: RoomModel) -> None:
        model.market_data.tick_age_s = {"sse": age, "szse": 0.4}

    return change


_LEAK = _set("environment.water_leak", True, False)
_SMOKE = _set("environment.smoke", True, False)
_HUMID = _set("environment.humidity_pct", 86.0, 46.0)
_PDU = _set("pdu_current_a", [17.2, 9.8, 11.2], [10.6, 9.8, 11.2])
_SLOW = _set("gateway.latency_ms", 85.0, 2.6)
_DISK = _set("server.data_disk_pct", 97.0, 61.0)

DRILLS: dict[str, Drill] = {
    drill.name: drill
    for drill in (
        Drill("water-leak", "Water under the raised floor (row A leak sensor)", *_LEAK, (("water-leak", "env-1"),)),
        Drill("fire-alarm", "Smoke detector alarm in row A", *_SMOKE, (("fire-alarm", "env-1"),)),
        Drill(
            "high-temperature",
            "Cooling unit fails: supply air and cold aisles overheat",
            _hot,
            _cool,
            (("cooling-temp-high", "crac-1"), ("room-temp-high", "env-1")),
        ),
        Drill("humidity", "Room humidity at 86 %", *_HUMID, (("humidity-out-of-range", "env-1"),)),
        Drill(
            "ups-on-battery",
            "UPS B input breaker trips: UPS B on battery",
            _ups_b_on_battery,
            _ups_b_on_mains,
            (("ups-on-battery", "ups-b"),),
            (apc("ups-b", 5, "UPS: On battery power in response to an input power problem."),),
            (apc("ups-b", 9, "UPS: No longer on battery power."),),
        ),
        Drill("pdu-overload", "PDU A1 phase 1 draws 17.2 A (rated 16 A)", *_PDU, (("pdu-load-state", "pdu-a1"),)),
        Drill(
            "core-switch-down",
            "Core switch 1 loses power (the order gateway behind it goes dark too)",
            _switch("core-sw1", False),
            _switch("core-sw1", True),
            (("core-switch-down", "core-sw1"), ("gateway-down", "oms-gw1")),
        ),
        Drill(
            "core-link-down",
            "Peer link XGE1/0/1 of core switch 2 goes down",
            _port("core-sw2", 104, False),
            _port("core-sw2", 104, True),
            (("core-link-down", "core-sw2"),),
            (link("core-sw2", 104, up=False),),
            (link("core-sw2", 104, up=True),),
        ),
        Drill(
            "exchange-line-down",
            "SZSE exchange line front end unreachable",
            _line("exch-szse", False),
            _line("exch-szse", True),
            (("exchange-line-down", "exch-szse"),),
        ),
        Drill(
            "link-congested",
            "SZSE exchange line at 94 % of its 1 Gbit/s",
            _rate(("core-sw2", "GE1/0/2"), 940.0, 700.0),
            _rate(("core-sw2", "GE1/0/2"), 180.0, 144.0),
            (("link-congested", "core-sw2"),),
        ),
        Drill(
            "market-data-down",
            "Market-data line from the vendor drops",
            _line("md-line", False),
            _line("md-line", True),
            (("market-data-down", "md-line"),),
        ),
        Drill(
            "market-data-stale",
            "SSE market data stops ticking",
            _market_data_age(45.0),
            _market_data_age(0.3),
            (("market-data-stale", "md-server"),),
        ),
        Drill("gateway-slow", "Order gateway latency at 85 ms", *_SLOW, (("gateway-slow", "oms-gw1"),)),
        Drill(
            "server-overload",
            "Trading server 1 CPU saturated, load 24",
            _server(91.0, 24.0),
            _server(21.0, 3.87),
            (("server-cpu-high", "trade-srv1"), ("server-load-high", "trade-srv1")),
        ),
        Drill("disk-full", "Trading server 1 /data at 97 %", *_DISK, (("disk-full", "trade-srv1-disks"),)),
    )
}
