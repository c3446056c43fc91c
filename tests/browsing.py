"""What browser tests share: a live server, Debian's Chromium through Playwright, login.

The fixtures ``live_server`` and ``browser`` are in conftest.py; mark a module with
``pytestmark = BROWSER``.
"""

import os
import shutil
from pathlib import Path

import pytest

from .helpers import PASSWORD, USERS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get("PORTAL_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts")
)

BROWSER = [
    pytest.mark.browser,
    pytest.mark.real_model,  # a person sees the real suggestions
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def login(page, base, who):
    page.goto(f"{base}/login")
    page.fill("#email", USERS[who][0])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def logout(page):
    page.click("details.more summary")  # "Uitloggen" sits under "Meer"
    page.click("form.logout button")
    page.wait_for_selector("#email")


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
