"""A teacher circle from start to published learning, in the real browser at phone size."""

from datetime import timedelta

from portal import clock
from portal.accounts import users as accounts
from portal.circles import methods
from portal.db import get_db

from .browsing import BROWSER, login, logout, shot
from .helpers import user_id

pytestmark = BROWSER

PHONE = {"width": 360, "height": 640}


def _more_teachers(app) -> list[int]:
    with app.app_context():
        db = get_db()
        school = db.execute("SELECT id FROM schools WHERE name = 'De Esdoorn'").fetchone()[0]
        return [
            accounts.create_user(db, f"kring{n}@school.test", name, "teacher", school)
            for n, name in enumerate(["Juf Fenna", "Meester Gijs", "Juf Hanna"])
        ]


def test_a_circle_from_start_to_published_learning(app, live_server, browser):
    base = live_server
    extra = _more_teachers(app)
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text))

    # The coordinator starts a circle: a facilitator and four members.
    login(page, base, "coordinator")
    page.goto(f"{base}/kringen")
    page.click("text=Kring starten")
    page.fill("#name", "Kring Boosheid en grenzen")
    page.select_option("#cluster", "agressief")
    page.fill("#theme", "Boos gedrag in de klas: wat doe je op het moment zelf?")
    page.select_option("#facilitator", str(user_id(app, "expert")))
    # Too few members first: the message says what to do, at the top of the form.
    for summary in page.locator("details.circle-school summary").all():
        summary.click()
    page.check(f"#members-{user_id(app, 'teacher')}")
    page.fill("#place", "De Linde, teamkamer")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".error-summary")
    assert "Kies 4 tot 8 leden (nu 1)." in page.inner_text(".error-summary")
    shot(page, "360x640-circle-1-too-few-members")
    for summary in page.locator("details.circle-school:not([open]) summary").all():
        summary.click()
    for member in extra:
        page.check(f"#members-{member}")
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=De kring is gestart")

    # She plans the first meeting; the members get it in their notifications.
    day = (clock.now().astimezone(clock.AMSTERDAM) + timedelta(days=7)).strftime("%Y-%m-%d")
    page.fill("#day", day)
    page.fill("#time", "15:30")
    page.select_option("#method", "incidentmethode")
    page.fill("#agenda", "Kennismaken en afspraken. Eerste casus met de incidentmethode.")
    page.click("button:has-text('Plannen')")
    page.wait_for_selector("text=De bijeenkomst is gepland")
    assert "Volgende bijeenkomst" in page.inner_text("main")
    shot(page, "360x640-circle-2-meeting-planned")
    logout(page)

    # A member brings in a case; the privacy guard catches a pupil's name first.
    login(page, base, "teacher")
    page.goto(f"{base}/meldingen")
    page.click("text=Kring Boosheid en grenzen")
    page.wait_for_selector("text=Casus inbrengen")
    page.click("a:has-text('Casus inbrengen')")
    page.fill("#title", "Daan schopt tegen de tafel als zijn team verliest")
    page.fill("#summary", "Groep 7, bij spelletjes. Daarna loopt hij de klas uit.")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#privacy mark")
    shot(page, "360x640-circle-3-privacy-warning")
    page.click("#privacy button[name=privacy_fix]")
    page.wait_for_selector("#title")
    assert page.input_value("#title").startswith("[leerling] schopt")
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=Je casus staat bij de bijeenkomst")
    case_url = page.url
    circle_url = case_url.split("/casussen/")[0]
    logout(page)

    # The facilitator records the case step by step (htmx swaps in the next step).
    login(page, base, "expert")
    page.goto(case_url)
    method = methods.get("incidentmethode")
    for n, step in enumerate(method.steps, start=1):
        page.wait_for_selector(f"text=Stap {n}: {step.title}")
        page.fill(f"#text-{step.key}", f"Wat de kring zei bij '{step.title}'.")
        if step.key == "opbrengst":
            page.fill(
                f"#text-{step.key}", "Ze spreekt vooraf een rustplek en een teken af met de jongen."
            )
        page.click("#vastleggen button[type=submit]")
        page.wait_for_selector(f"text={n} van {len(method.steps)} stappen vastgelegd")
        if n == 3:
            shot(page, "360x640-circle-4-recording")
    assert page.url == case_url  # no page loads: htmx
    assert "Wat de inbrenger meeneemt" in page.inner_text("#recorder")
    shot(page, "360x640-circle-5-recorded")

    # What the circle learned, shared with the region as a resolved case.
    page.click("text=Schrijf op wat de kring leerde")
    page.fill(
        "#body",
        "Bij een leerling die uitbarst als hij verliest, werkt een afspraak vooraf beter dan "
        "corrigeren op het moment zelf: een rustplek en een teken.",
    )
    page.click("button:has-text('Opschrijven')")
    page.wait_for_selector("text=Opgeschreven bij wat de kring leerde")
    page.click("text=Delen met de regio")
    page.wait_for_selector("#als-casus")
    assert page.input_value("#title").startswith("[leerling] schopt")
    page.fill("#title", "Jongen schopt tegen de tafel als zijn team verliest")
    page.fill("#body", "Groep 7. Bij spelletjes schopt een jongen tegen de tafel als zijn team "
                       "verliest, en loopt dan de klas uit.")  # fmt: skip
    shot(page, "360x640-circle-6-share")
    page.click("button:has-text('Delen als casus')")
    page.wait_for_selector("text=Gedeeld met de regio")
    assert "opgelost" in page.inner_text(".question")
    shot(page, "360x640-circle-7-published")
    logout(page)

    # A member sees on the circle's page what was brought in and what was shared.
    login(page, base, "teacher")
    page.goto(circle_url)
    assert "gedeeld" in page.inner_text("#geleerd")
    assert "9 van 9 stappen vastgelegd" in page.inner_text(".circle-next")
    shot(page, "360x640-circle-8-member-view")
    logout(page)

    # A colleague outside the circle finds it among the resolved cases.
    login(page, base, "teacher2")
    page.goto(f"{base}/casussen")
    page.fill("input[name=zoek]", "leerling schopt tafel als hij verliest")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Jongen schopt tegen de tafel als zijn team verliest")
    shot(page, "360x640-circle-9-found")
    assert not [m for m in console if "Content Security Policy" in m], console
    context.close()

    # Without JavaScript each step is a plain form post, and the next step comes up.
    plain = browser.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    page = plain.new_page()
    login(page, base, "expert")
    page.goto(f"{case_url}?stap=keuze")
    page.fill("#text-keuze", "De groep koos dit incident: het was het meest recent.")
    page.click("#vastleggen button[type=submit]")
    page.wait_for_selector("text=Opgeslagen: Een incident kiezen.")
    assert "stap=inbreng" in page.url and page.locator("#text-inbreng").count() == 1
    shot(page, "360x640-circle-10-nojs-step")
    plain.close()
