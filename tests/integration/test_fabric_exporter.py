"""Issue 16 done-when 1: Debian's Prometheus scrapes `dutyroom serve` (`up` == 1), `promtool check metrics` finds
nothing to say about the exposition, a target made unreachable stops exporting its values within one interval,
and a target removed by a reload disappears."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fabric import PROMTOOL, Gateway, Prometheus, Serve, binary, free_port
from prometheus_client.parser import text_string_to_metric_families
from waiting import wait_for

pytestmark = pytest.mark.integration

TARGET = """
[[target]]
id = "{id}"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{port}/health"
fields = {{ "gateway.latency_ms" = "latency_ms", "gateway.orders_per_s" = "orders_per_s" }}
"""

CONFIG = """\
[site]
name = "fabric room"

[defaults]
interval = "1s"
timeout = "300ms"
retries = 0
attempts = 1

[exporter]
listen = "127.0.0.1:{exporter_port}"

[[rule]]
id = "gateway-slow"
metric = "gateway.latency_ms"
warning = "> 100"
"""


class Room:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.exporter_port = free_port()
        self.gateways = {"gw-a": Gateway({"latency_ms": 5, "orders_per_s": 200}), "gw-b": Gateway({"latency_ms": 7})}
        self.gateways["gw-b"].values["orders_per_s"] = 50
        self.config = tmp_path / "checks.toml"
        self.write(["gw-a", "gw-b"])
        (tmp_path / "playbooks").mkdir()
        self.serve = Serve(self.config, tmp_path / "state", tmp_path / "serve.log")

    def write(self, targets: list[str]) -> None:
        text = CONFIG.format(exporter_port=self.exporter_port)
        text += "".join(TARGET.format(id=item, port=self.gateways[item].port) for item in targets)
        self.config.write_text(text)

    def exposition(self) -> str:
        try:
            return httpx.get(f"http://127.0.0.1:{self.exporter_port}/metrics", timeout=10).text
        except httpx.HTTPError:
            return ""

    def exported_targets(self, family: str) -> set[str]:
        families = {item.name: item for item in text_string_to_metric_families(self.exposition())}
        return {sample.labels["target"] for sample in families[family].samples} if family in families else set()

    def close(self) -> None:
        self.serve.stop()
        for gateway in self.gateways.values():
            gateway.close()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    room = Room(tmp_path)
    yield room
    room.close()


@pytest.fixture
def prometheus(tmp_path: Path, room: Room) -> Iterator[Prometheus]:
    server = Prometheus(tmp_path / "prometheus", [f"127.0.0.1:{room.exporter_port}"])
    yield server
    server.stop()


def test_prometheus_scrapes_serve_and_promtool_finds_nothing_to_say(room: Room, prometheus: Prometheus) -> None:
    wait_for(lambda: room.exported_targets("dutyroom_gateway_latency_seconds") == {"gw-a", "gw-b"}, "both gateways")
    wait_for(lambda: [item["value"][1] for item in prometheus.query('up{job="dutyroom"}')] == ["1"], "up == 1")
    checked = subprocess.run(
        [binary(PROMTOOL), "check", "metrics"], input=room.exposition(), capture_output=True, text=True, timeout=60
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")
    families = {item.name: item for item in text_string_to_metric_families(room.exposition())}
    assert families["dutyroom_gateway_orders"].type == "counter"
    assert {sample.name for sample in families["dutyroom_gateway_orders"].samples} == {"dutyroom_gateway_orders_total"}
    latency = {sample.labels["target"]: sample.value for sample in families["dutyroom_gateway_latency_seconds"].samples}
    assert latency == {"gw-a": 0.005, "gw-b": 0.007}
    assert [sample.value for sample in families["dutyroom_build_info"].samples] == [1.0]
    assert {sample.labels["kind"] for sample in families["dutyroom_poll_duration_seconds"].samples} == {"http"}
    assert [sample.value for sample in families["dutyroom_config_last_reload_successful"].samples] == [1.0]
    wait_for(lambda: bool(prometheus.query('rate(dutyroom_gateway_orders_total{target="gw-a"}[5s]) > 150')), "rate")


def test_an_unreachable_target_stops_exporting_and_a_removed_one_disappears(room: Room, prometheus: Prometheus) -> None:
    wait_for(lambda: bool(prometheus.query('dutyroom_gateway_latency_seconds{target="gw-b"}')), "gw-b in prometheus")
    room.gateways["gw-b"].answering = False
    wait_for(lambda: room.exported_targets("dutyroom_gateway_latency_seconds") == {"gw-a"}, "gw-b to vanish", 5)
    wait_for(lambda: not prometheus.query('dutyroom_gateway_latency_seconds{target="gw-b"}'), "gw-b stale", 10)
    families = {item.name: item for item in text_string_to_metric_families(room.exposition())}
    up = {sample.labels["target"]: sample.value for sample in families["dutyroom_target_up"].samples}
    assert up == {"gw-a": 1.0, "gw-b": 0.0}
    errors = [sample for sample in families["dutyroom_poll_errors"].samples if sample.labels["kind"] == "http"]
    assert errors
    assert errors[0].value >= 1
    room.write(["gw-b"])
    wait_for(lambda: "gw-a" not in room.exported_targets("dutyroom_target_up"), "gw-a removed by the reload", 30)
    assert room.exported_targets("dutyroom_gateway_latency_seconds") == set()
    wait_for(lambda: not prometheus.query('dutyroom_gateway_latency_seconds{target="gw-a"}'), "gw-a stale", 10)


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (mode 0600), made with `cryptography`."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dutyroom test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "exporter.crt", directory / "exporter.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def test_prometheus_scrapes_over_tls_with_basic_auth_and_strangers_are_refused(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    password = tmp_path / "exporter.password"
    password.write_text("correct horse\n")
    password.chmod(0o600)
    gateway = Gateway({"latency_ms": 5, "orders_per_s": 1})
    port = free_port()
    config = tmp_path / "checks.toml"
    secured = CONFIG.format(exporter_port=port) + TARGET.format(id="gw-a", port=gateway.port)
    secured = secured.replace(
        "[[rule]]",
        f'[exporter.tls_server_config]\ncert_file = "{cert.name}"\nkey_file = "{key.name}"\n\n'
        f'[exporter.basic_auth_users]\nprometheus = {{ file = "{password.name}" }}\n\n[[rule]]',
        1,
    )
    config.write_text(secured)
    (tmp_path / "playbooks").mkdir()
    serve = Serve(config, tmp_path / "state", tmp_path / "serve.log")
    workdir = tmp_path / "prometheus"
    workdir.mkdir()
    prometheus: Prometheus | None = None
    try:
        url = f"https://127.0.0.1:{port}/metrics"
        trusted = ssl.create_default_context(cafile=str(cert))

        def answers(auth: tuple[str, str] | None) -> int:
            try:
                return httpx.get(url, verify=trusted, auth=auth, timeout=10).status_code
            except httpx.HTTPError:
                return 0

        wait_for(lambda: answers(("prometheus", "correct horse")) == 200, "the TLS endpoint")
        assert answers(None) == 401
        assert answers(("prometheus", "wrong")) == 401
        scrape = {
            "scheme": "https",
            "tls_config": {"ca_file": str(cert)},
            "basic_auth": {"username": "prometheus", "password_file": str(password)},
        }
        prometheus = Prometheus(workdir, [f"127.0.0.1:{port}"], scrape)
        scraper = prometheus
        wait_for(lambda: [item["value"][1] for item in scraper.query('up{job="dutyroom"}')] == ["1"], "up over TLS")
    finally:
        if prometheus is not None:
            prometheus.stop()
        serve.stop()
        gateway.close()
    assert "correct horse" not in serve.output()
