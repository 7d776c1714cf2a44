"""`dutyroom demo`: a simulated machine room on loopback, watched by the real collectors, rules and playbooks.

The room is made of real agents and servers: snmpsim serving the devices in `tui/demo/devices/` (one community
per device, values the scenario moves set by SNMP SET through snmpsim's `writecache` module, steady counters
grown by its `numeric` module), a UDP relay per device (its power: a relay that drops packets is a device
without power), an HTTP order gateway (health JSON), a market-data server (Prometheus text), TCP listeners for
the exchange and market-data lines, and SNMP traps sent to the poller's receiver. `RoomModel` is the truth;
`DemoRoom.sync` pushes it to all of them; the scenario and the drills only change the model.
"""
