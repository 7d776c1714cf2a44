"""The headless packages never pull in the UI: import them in a fresh interpreter and look."""

from __future__ import annotations

import subprocess
import sys

HEADLESS_MODULES = [
    "dutyroom.rules.engine",
    "dutyroom.config.load",
    "dutyroom.store.database",
    "dutyroom.views.snapshot",
    "dutyroom.operators.actions",
    "dutyroom.operators.desk",
    "dutyroom.rules.rule_tests",
    "collectors.base",
]


def test_headless_packages_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {HEADLESS_MODULES!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in ('textual', 'rich') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""


def test_domain_does_not_import_io_libraries() -> None:
    code = (
        "import importlib, pkgutil, sys, dutyroom\n"
        "for info in pkgutil.walk_packages(dutyroom.__path__, 'dutyroom.'): importlib.import_module(info.name)\n"
        "bad = sorted(m for m in ('textual', 'rich', 'httpx', 'pysnmp', 'psutil') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""
