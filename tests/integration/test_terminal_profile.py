"""The remote terminal profile reaches Textual only when it is prepared before Textual is first imported.

A fresh interpreter is the only place where Textual is not imported yet, so this runs one.
"""

from __future__ import annotations

import subprocess
import sys


def test_the_remote_profile_reaches_textual_when_prepared_before_import() -> None:
    code = (
        "import os, sys\n"
        "os.environ.pop('TEXTUAL_FPS', None)\n"
        "from tui.screens.terminal_profile import prepare_environment\n"
        "assert 'textual' not in sys.modules\n"
        "assert prepare_environment(remote=True)\n"
        "import textual.constants\n"
        "print(textual.constants.MAX_FPS, textual.constants.ESCAPE_DELAY)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.split() == ["20", "0.3"]
