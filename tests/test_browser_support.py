"""Direct support in the real browser at phone size: from her question to an outcome."""

from datetime import timedelta

from portal import clock

from .browsing import BROWSER, login, logout, shot
from .helpers import ask

pytestmark = BROWSER

WANT = (
    "Wat gebeurt er vlak voordat hij door de instructie heen roept? Waar kan ik het beste "
    "staan, en wat kan ik eerder doen?"
)


def test_an_observation_from_request_to_outcome(app, live_server, browser):
    base = live_server
    qid = ask(app)
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="nl-NL")
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text))

    # The teacher asks for an observation from her question.
    login(page, base, "teacher")
    page.goto(f"{base}/vragen/{qid}")
    shot(page, "360x640-support-0-question")
    page.click("text=Vraag directe ondersteuning")
    page.wait_for_selector("h1:has-text('Vraag directe ondersteuning')")
    assert "Over je vraag" in page.inner_text("main")
    # Sent half-filled, the form says what is missing at the top, where she is looking.
    page.click("button[value=post]")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.id") == "fouten"
    assert page.locator(".error-summary").is_visible()
    assert "Kies wat voor ondersteuning je wilt." in page.inner_text(".error-summary")
    shot(page, "360x640-support-1-missing")
    page.check("input[value=observatie]")
    page.fill("#want_to_know", WANT)
    page.fill("#availability", "Dinsdag- of donderdagochtend, tijdens rekenen.")
    page.click("button[value=post]")
    page.wait_for_selector("text=Je vraag om ondersteuning is verstuurd")
    request_url = page.url
    assert "Wacht op een expert" in page.inner_text("main")
    shot(page, "360x640-support-2-asked")
    logout(page)

    # An expert hears of it, takes it, agrees a moment and writes the outcome.
    login(page, base, "expert")
    page.goto(f"{base}/ondersteuning")
    assert "Open vragen om ondersteuning (1)" in page.inner_text("main")
    shot(page, "360x640-support-3a-open-requests")
    page.click("#badge")
    page.click("text=Observatie in de klas: Jongen in groep 6")
    page.wait_for_selector("text=Ik neem deze vraag")
    assert page.url == request_url
    assert WANT in page.inner_text("main")
    page.click("text=Ik neem deze vraag")
    page.wait_for_selector("text=Je hebt deze vraag genomen")
    shot(page, "360x640-support-3-taken")
    day = (clock.now() + timedelta(days=7)).astimezone(clock.AMSTERDAM).date()
    page.fill("#day", day.isoformat())
    page.fill("#time", "10:30")
    page.fill("#note", "In groep 6, tijdens de rekenles.")
    page.click("#afspraak button[value=post]")
    page.wait_for_selector("text=De afspraak is genoteerd")
    assert clock.dag_datum_tijd(f"{day.isoformat()}T10:30") in page.inner_text(".steps")
    page.fill("#seen", "Hij riep vooral als de instructie langer dan tien minuten duurde.")
    page.fill("#to_try", "Knip de instructie op in blokjes van vijf minuten, met beurtkaartjes.")
    page.fill("#follow_up", "Over drie weken kom ik nog een keer kijken.")
    shot(page, "360x640-support-4-outcome-form")
    page.click("#uitkomst-schrijven button[value=post]")
    page.wait_for_selector("text=De uitkomst is opgeslagen")
    logout(page)

    # The teacher reads the outcome and puts it with her question.
    login(page, base, "teacher")
    page.click("#badge")
    page.locator("button.title", has_text="Observatie in de klas").first.click()
    page.wait_for_selector("#uitkomst")
    assert "Knip de instructie op" in page.inner_text("#uitkomst")
    assert "Over drie weken" in page.inner_text("#uitkomst")
    shot(page, "360x640-support-5-outcome")
    page.click("text=Zet dit bij mijn vraag")
    page.wait_for_selector("text=De uitkomst staat nu als antwoord bij je vraag")
    answer = page.locator(".answer", has_text="Na een observatie in de klas.")
    assert "Knip de instructie op" in answer.inner_text()
    assert "Over drie weken" not in answer.inner_text()
    shot(page, "360x640-support-6-on-question")
    answer.locator("text=Dit hielp het meest").click()
    page.wait_for_selector("text=Meest behulpzaam")
    logout(page)

    # The coordinator sees the request in the region's figures (small cells hidden).
    login(page, base, "coordinator")
    page.goto(f"{base}/ondersteuning/overzicht")
    assert "minder dan 5" in page.inner_text("table")
    shot(page, "360x640-support-7-overview")
    assert not [m for m in console if "Content Security Policy" in m], console
    context.close()
