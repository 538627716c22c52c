"""Debian's chromium driven by playwright, for the browser tests (never `playwright install`)."""
import os
from pathlib import Path

import pytest

from tests.support.environment import REPO

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = ("apt-get install chromium (Debian's browser; never `playwright install`) "
           "and pip install -r requirements-dev.txt")
# .ci/run sets this: there a missing browser is an error, not a reason to skip.
REQUIRED = bool(os.environ.get("COURSE_REQUIRE_BROWSER"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
SHOTS = REPO / "artifacts" / "screenshots"


def sync_playwright_or_skip():
    """playwright's sync_playwright; the calling test module is skipped (or, under CI, fails) without a browser."""
    if not CHROMIUM.exists():
        if REQUIRED:
            raise RuntimeError(f"COURSE_REQUIRE_BROWSER is set but {CHROMIUM} is missing: {INSTALL}")
        pytest.skip(f"the browser tests need {CHROMIUM}: {INSTALL}", allow_module_level=True)
    if REQUIRED:
        from playwright.sync_api import sync_playwright
        return sync_playwright
    return pytest.importorskip("playwright.sync_api", reason=f"the browser tests need playwright: {INSTALL}"
                               ).sync_playwright
