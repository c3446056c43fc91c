"""The whole loop in the real browser (Debian's Chromium driven by Playwright)."""

import pytest

from .browsing import BROWSER, login, logout, shot
from .helpers import PASSWORD, USERS

pytestmark = BROWSER


@pytest.mark.parametrize("size", [(360, 640), (1280, 800)], ids=["phone", "laptop"])
def test_the_whole_loop(live_server, browser, size):
    base = live_server
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="nl-NL")
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    tag = f"{size[0]}x{size[1]}"

    # A teacher types a question and sees suggestions appear without a page reload.
    login(page, base, "teacher")
    page.click("text=Vraag stellen")
    page.fill("#title", "Jongen in groep 6 is agressief en slaat klasgenoten")
    page.type(
        "#body", "Als hij boos wordt slaat en schopt hij andere kinderen op het plein.", delay=5
    )
    page.wait_for_selector("#suggestions .hit")
    assert page.url == f"{base}/vraag"
    assert page.locator("#suggestions .closeness").first.inner_text() in (
        "LIJKT STERK OP JE VRAAG",
        "MISSCHIEN RELEVANT",
    )
    shot(page, f"{tag}-1-suggestions")

    # Nothing fits well enough: she posts it to her colleagues.
    page.select_option("#cluster", "agressief")
    page.click("button[value=post]")
    page.wait_for_selector("text=staat uit bij je collega")
    question_url = page.url
    logout(page)

    # A colleague sees it among the open questions and answers with an idea.
    login(page, base, "teacher2")
    page.click("nav >> text=Open vragen")
    page.click("text=Jongen in groep 6 is agressief")
    page.check("input[value=experience]")
    page.fill(
        "#body",
        "Bij ons werkte een vaste afkoelplek met een time-timer: hij mocht er zelf heen als hij "
        "voelde dat het te veel werd, en daarna bespraken we het kort.",
    )
    page.click("text=Plaats antwoord")
    page.wait_for_selector("text=Je antwoord staat bij de vraag")
    shot(page, f"{tag}-2-answered")
    logout(page)

    # The asker marks it as the most helpful answer: the question becomes a resolved case.
    login(page, base, "teacher")
    page.goto(question_url)
    page.click("text=Dit hielp het meest")
    page.wait_for_selector("text=Meest behulpzaam")
    assert "opgelost" in page.inner_text(".question")
    shot(page, f"{tag}-3-resolved")

    # The next similar question finds it among the suggestions.
    page.goto(f"{base}/vraag")
    page.type(
        "#body",
        "Een leerling in mijn groep slaat en schopt zijn klasgenoten als hij kwaad is",
        delay=5,
    )
    href = f"a[href='{question_url.removeprefix(base)}']"
    page.locator(f"#suggestions {href}").wait_for()
    shot(page, f"{tag}-4-found-again")

    # "Dit helpt mij" is counted in place, and nothing is posted.
    hit = page.locator("#suggestions .hit", has=page.locator(href))
    hit.locator("button.helped").click()
    page.wait_for_selector("text=Fijn dat dit je verder helpt")
    # The strict Content-Security-Policy held: htmx ran without eval or inline styles.
    assert not [m for m in console if "Content Security Policy" in m], console
    context.close()


def test_privacy_guard_warns_while_typing_and_fixes_in_one_click(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    login(page, live_server, "teacher")
    page.goto(f"{live_server}/vraag")
    page.fill("#title", "Gedrag in de klas na de vakantie")
    page.type("#body", "Sanne van Dijk (groep 5) wordt door haar moeder gebracht, tel 06-12345678.")
    page.wait_for_selector("#privacy mark")
    assert "Sanne van Dijk" in page.inner_text("#privacy")
    shot(page, "360x640-privacy-warning")
    page.click("#privacy button[value=all]")
    page.wait_for_selector("#body")
    assert page.input_value("#body") == (
        "[leerling] (groep 5) wordt door haar moeder gebracht, tel [telefoon]."
    )
    assert page.locator("#privacy mark").count() == 0
    # Answers are checked while typing too.
    page.select_option("#cluster", "druk-impulsief")
    page.click("button[value=post]")
    page.wait_for_selector("text=staat uit bij je collega")
    page.type("#body", "Bel de vader van Mohammed, die weet wat werkt.")
    page.wait_for_selector("#privacy mark")
    assert "Mohammed" in page.inner_text("#privacy")
    context.close()


def test_a_single_fix_after_a_line_break_and_its_confirmation_in_view(live_server, browser):
    # On a phone: the warning the live check draws under the description is scrolled into
    # view; a single "Vervang door" on the third line of a list replaces exactly that date
    # (the live check counts LF, the form posts CRLF) and the panel confirms it in view.
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    login(page, live_server, "teacher")
    page.goto(f"{live_server}/vraag")
    page.fill("#title", "Trakteren in de klas")
    page.click("#body")
    page.keyboard.type("Verjaardagen september\nJade 12-09\nDefne 14-09", delay=5)
    warning = page.locator("#privacy .privacy-warn h2")
    warning.wait_for()
    page.wait_for_timeout(300)  # the scroll after the swap
    box = warning.bounding_box()
    assert box and box["y"] + box["height"] <= 640, box
    item = page.locator("#privacy li", has=page.locator("mark", has_text="14-09"))
    item.locator("button").click()
    done = page.locator("#privacy .privacy-done")
    done.wait_for()
    assert page.input_value("#body").splitlines() == [
        "Verjaardagen september",
        "Jade 12-09",
        "Defne [datum]",
    ]
    assert "[datum]" in done.inner_text()
    box = done.bounding_box()
    assert box and -1 <= box["y"] < 640, box  # at the anchor, give or take rounding
    shot(page, "360x640-privacy-fixed")
    context.close()


def test_ask_page_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    page = context.new_page()
    login(page, live_server, "teacher")
    page.goto(f"{live_server}/vraag")
    page.fill("#title", "Meisje is erg angstig en stil in de klas")
    page.fill(
        "#body", "Ze zegt bijna niets, durft geen vragen te stellen en huilt soms bij toetsen."
    )
    page.click("text=Zoek eerst")
    page.wait_for_selector("#suggestions .hit")
    assert page.input_value("#title") == "Meisje is erg angstig en stil in de klas"
    shot(page, "360x640-nojs-search-first")
    page.locator("#suggestions button.helped").first.click()
    page.wait_for_selector("text=Fijn dat dit je verder helpt")
    context.close()


@pytest.mark.parametrize("size", [{"width": 360, "height": 640}, {"width": 1280, "height": 800}])
def test_the_kept_login_page_arrives_gzipped_and_works(live_server, browser, size):
    # The second visit gets the page rendered once, its gzip spliced around her own token
    # (portal/web/assets.py TokenPage): Chromium must show it whole and log her in with it.
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript, viewport=size)
        page = context.new_page()
        page.goto(f"{live_server}/login")
        response = page.goto(f"{live_server}/login")
        assert response.headers.get("content-encoding") == "gzip"
        assert page.locator("h1").inner_text() == "Inloggen"
        assert page.locator("footer").is_visible()
        shot(page, f"{size['width']}x{size['height']}-{'js' if javascript else 'nojs'}-login")
        page.fill("#email", USERS["teacher"][0])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/")
        context.close()
