"""Alertmanager as the fabric: `serve` sends its alerts to the v2 API as Prometheus does, and can mirror silences.

`outbox` decides what to send and when (pure), `client` talks HTTP to every configured Alertmanager, `sender`
runs them beside the poller, `silences` mirrors dutyroom silences (and, optionally, acks).
"""
