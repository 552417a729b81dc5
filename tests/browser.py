"""The browser the tests drive: Debian's chromium (Playwright's own download is not reachable)."""

from __future__ import annotations

import os
import shutil

import pytest


def chromium_path() -> str:
    found = os.environ.get("HEART_TO_HEART_CHROMIUM") or shutil.which("chromium")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's chromium for the browser tests (./dev installs it)")
        pytest.skip("no chromium here (apt-get install chromium, or ./dev setup)")
    return found
