#!/usr/bin/env bash
# Install what dutyroom needs into ./.venv (the versions pinned in constraints.txt); with --system also the
# Debian packages the tests use; with --bench also the benchmarks' peers (htop, Glances, prometheus-snmp-exporter).
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=0
want_bench=0
for option in "$@"; do
  case "$option" in
    --system) want_system=1 ;;
    --bench) want_system=1; want_bench=1 ;;  # also the benchmarks' peers (not needed by the tests)
  esac
done

if [ "$want_system" = 1 ]; then
  missing=()
  command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || missing+=(snmpd)
  command -v snmptrap >/dev/null 2>&1 || missing+=(snmp)
  command -v tmux >/dev/null 2>&1 || missing+=(tmux)
  command -v faketime >/dev/null 2>&1 || missing+=(faketime)
  [ -x /usr/bin/prometheus-node-exporter ] || missing+=(prometheus-node-exporter)
  # The fabric (Prometheus scraping serve, Alertmanager receiving its alerts), a real sshd on loopback for
  # remote consoles, and systemd's own tools to check the shipped unit.
  command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
  command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  # The benchmarks' peers: bench/terminal prints the console's first frame, bytes/s and CPU next to htop's and
  # Glances' in the same pty on the same loaded room (without them it prints this project's figures alone).
  if [ "$want_bench" = 1 ]; then
    command -v htop >/dev/null 2>&1 || missing+=(htop)
    command -v glances >/dev/null 2>&1 || missing+=(glances)
    [ -x /usr/bin/prometheus-snmp-exporter ] || missing+=(prometheus-snmp-exporter)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# Re-install when the requirements (pyproject.toml) or the pins (constraints.txt) differ from the last
# install's: the stamp holds their checksum, so an edit, a pull or a branch switch all count.
stamp=.venv/.installed
wanted=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[test,demo]'
  echo "$wanted" > "$stamp"
fi
