"""The working group asks "what do our teachers struggle with?" on a phone, with the real model."""

from pathlib import Path

from portal.db import get_db, get_index
from portal.insights import themes

from .browsing import BROWSER, login, shot
from .test_insights import _ask_all

pytestmark = BROWSER


def test_the_coordinator_reads_the_themes_on_a_phone_and_downloads_them(live_server, browser, app):
    _ask_all(app)
    with app.app_context():
        themes.run(get_db(), get_index())
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="nl-NL",
                                  accept_downloads=True)  # fmt: skip
    page = context.new_page()
    login(page, live_server, "coordinator")
    page.goto(f"{live_server}/beheer/inzicht")
    page.wait_for_selector("text=Thema's in de vragen")
    found = page.locator("ol.themes > li")
    assert found.count() == 3
    first = found.first.inner_text()
    assert "7 vragen" in first and "Bijvoorbeeld" in first
    # Readable at 360 px: nothing pushes the page sideways, the charts fit.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("svg.chart").first.bounding_box()["width"] <= 360
    shot(page, "360x640-insights-themes")
    with page.expect_download() as download:
        page.click("text=Thema's als CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("thema;vragen") and text.count("\n") == 4
    page.locator("#trechter").scroll_into_view_if_needed()
    shot(page, "360x640-insights-funnel")
    context.close()
