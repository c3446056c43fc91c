"""What a person sees on a cheap phone, measured in the real browser (Chromium, Playwright).

- axe-core (npm, package.json) finds no violation on any page type, for every role, at
  360x640, with and without JavaScript;
- the menu of every role fits in two rows at 360 px (one on a laptop);
- no page is wider than the phone, and forms keep their messages in view;
- a warm page is one request; the app installs, a dossier opens offline, another person's
  question does not, and logging out leaves nothing behind.

One portal (real model, like a person sees it) serves the whole module.
"""

import struct
import threading
import time
import zlib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from index import DEFAULT_MODEL
from portal.activities import data as activities
from portal.db import get_db, get_index
from portal.kennisbank import store
from portal.notifications import notify
from portal.questions import cases

from .browsing import BROWSER, login, logout, shot
from .conftest import region_app
from .helpers import USERS, user_id

pytestmark = BROWSER

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 800}
ROLES = ("teacher", "expert", "parent", "coordinator")
CASE_TEXT = "Een leerling in mijn groep slaat en schopt klasgenoten als hij boos wordt"


class Counting:
    """The portal, keeping the path of every request that reaches it over the network."""

    def __init__(self, app):
        self.app, self.paths = app, []

    def __call__(self, environ, start_response):
        self.paths.append(environ.get("PATH_INFO", ""))
        return self.app(environ, start_response)


def seed(app) -> dict:
    """A small region: a resolved case, her own open question, someone else's anonymous one."""
    with app.app_context():
        db, index = get_db(), get_index()
        teacher, teacher2, expert, coordinator = (
            user_id(app, who) for who in ("teacher", "teacher2", "expert", "coordinator")
        )
        case = cases.create_question(
            db, teacher2, "agressief", "Jongen in groep 6 slaat klasgenoten als hij boos is",
            "Op het plein slaat en schopt hij andere kinderen als hij verliest. Wat kan ik doen?",
        )  # fmt: skip
        best = cases.add_answer(
            db, case, expert, "idea",
            "Een vaste afkoelplek met een time-timer: hij mag er zelf heen als het te veel "
            "wordt. Bespreek het daarna kort met hem.",
        )  # fmt: skip
        cases.mark_best(db, index, case, best, teacher2)
        mine = cases.create_question(
            db, teacher, "druk-impulsief", "Leerling in groep 5 roept steeds door de les heen",
            "Hij kan niet wachten op zijn beurt en flapt alle antwoorden eruit.",
        )  # fmt: skip
        cases.add_answer(db, mine, teacher2, "experience", "Beurtkaartjes hielpen bij ons.")
        cases.add_answer(
            db, mine, expert, "source", "Lees https://www.nji.nl over impulsief gedrag in de klas."
        )
        other = cases.create_question(
            db, teacher2, "angstig-teruggetrokken", "Meisje in groep 3 zegt niets meer in de kring",
            "Sinds de herfstvakantie zegt ze in de kring niets meer.", anonymous=True,
        )  # fmt: skip
        notify.notify(db, [teacher], "answer", cases.get_question(db, mine))
        activities.create(
            db, coordinator, title="Thema-avond: druk in de klas en thuis", kind="ouderavond",
            cluster="druk-impulsief", starts_at="2099-03-12T19:30", place="Bibliotheek",
            online=False, description="Een avond voor ouders over druk gedrag.",
        )  # fmt: skip
        store.propose(db, "agressief", "# Agressief gedrag\n\nKort.", "Een bron erbij", expert)
    return {"case": case, "mine": mine, "other": other}


@pytest.fixture(scope="module")
def site(tmp_path_factory, password_hash, embedder):
    assert AXE.exists(), "axe-core is missing: run `make setup` (npm ci)"
    app = region_app(
        tmp_path_factory.mktemp("quality") / "data",
        password_hash,
        EMBEDDING_MODEL=DEFAULT_MODEL,
        SECOND_MODEL="use",
    )
    ids = seed(app)
    counting = Counting(app)
    server = make_server("127.0.0.1", 0, counting, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield SimpleNamespace(base=f"http://127.0.0.1:{server.server_port}", hits=counting.paths, **ids)
    server.shutdown()


def axe_context(browser, js: bool, **options):
    """A phone context with or without the portal's JavaScript, in which axe-core can run.

    "Without" blocks every script the portal serves: the page is what a browser without
    JavaScript shows. The browser's own switch (java_script_enabled=False) cannot be used:
    there axe.run's promise never settles (Chromium 156), and the test would wait forever.
    """
    context = browser.new_context(viewport=PHONE, bypass_csp=True, **options)
    if not js:
        context.route(lambda url: urlsplit(url).path.endswith(".js"), lambda route: route.abort())
    return context


def axe(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))  # inline: not blocked with the portal's scripts
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]


TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) out.push('page ' + page);
  const fields = 'main a, main button, main input, main select, main textarea, main table';
  for (const el of document.querySelectorAll(fields)) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !el.closest('.scroll')) {
      out.push(el.outerHTML.slice(0, 80));
    }
  }
  return out;
}"""


def too_wide(page) -> list[str]:
    """What sticks out past the right edge of the screen (no page may scroll sideways)."""
    return page.evaluate(TOO_WIDE)


def pages_for(site, who: str) -> list[str]:
    """Every page type a role opens in a day."""
    paths = ["/", "/casussen", "/casussen?zoek=slaat", "/kennisbank", "/kennisbank/agressief",
             f"/vragen/{site.case}", "/meldingen", "/account", "/account/profiel",
             "/activiteiten"]  # fmt: skip
    if who in ("teacher", "expert"):
        paths += ["/vraag", "/mijn-vragen", "/vragen", f"/vragen/{site.mine}"]
    if who in ("expert", "coordinator"):
        paths += ["/vragen/onbeantwoord", f"/vragen/{site.other}", "/kennisbank/agressief/versies"]
    if who == "coordinator":
        paths += ["/vragen", "/beheer", "/beheer/inzicht", "/kennisbank/beheer"]
    return paths


def ask_with_suggestions(page, base):
    page.goto(f"{base}/vraag")
    page.fill("#title", "Jongen slaat klasgenoten")
    page.type("#body", CASE_TEXT, delay=5)
    page.wait_for_selector("#suggestions .hit")
    # A last suggestion may still be under way after the first hits: axe would judge the
    # "zoeken…" indicator halfway through its fade. Wait until it has faded out.
    page.wait_for_function("getComputedStyle(document.querySelector('#searching')).opacity === '0'")


@pytest.mark.parametrize("who", ROLES)
def test_axe_finds_nothing_on_any_page_of_a_role(site, browser, who):
    found, wide = {}, {}
    for js in (True, False):
        context = axe_context(browser, js)
        page = context.new_page()
        login(page, site.base, who)
        paths = (
            pages_for(site, who) if js else ["/", "/kennisbank/agressief", f"/vragen/{site.case}"]
        )
        for path in paths:
            page.goto(site.base + path)
            found[(path, js)] = axe(page)
            wide[(path, js)] = too_wide(page)
        # The menu opened, the ask page with its suggestions and with its error summary.
        page.goto(site.base + "/")
        page.click("details.more summary")
        found[("Meer open", js)] = axe(page)
        if who in ("teacher", "expert"):
            if js:
                ask_with_suggestions(page, site.base)
            else:
                page.goto(f"{site.base}/vraag")
                page.fill("#body", CASE_TEXT)
                page.click("text=Zoek eerst")
                page.wait_for_selector("#suggestions .hit")
            found[("ask with suggestions", js)] = axe(page)
            page.click("button[value=post]")  # no title, no cluster: the error summary
            page.wait_for_selector(".error-summary")
            found[("ask with errors", js)] = axe(page)
        context.close()
    assert {k: v for k, v in found.items() if v} == {}
    assert {k: v for k, v in wide.items() if v} == {}


def test_axe_finds_nothing_before_login_and_offline(site, browser):
    found = {}
    for js in (True, False):
        context = axe_context(browser, js)
        page = context.new_page()
        for path in ("/login", "/wachtwoord-vergeten", "/offline"):
            page.goto(site.base + path)
            found[(path, js)] = axe(page)
            assert too_wide(page) == [], path
        page.goto(site.base + "/login")
        page.click("button[type=submit]")  # nothing typed: the error summary
        found[("login with errors", js)] = axe(page)
        context.close()
    assert {k: v for k, v in found.items() if v} == {}


def menu_rows(page) -> int:
    tops = "[...document.querySelectorAll('nav.menu a')].map(a => a.getBoundingClientRect().top)"
    return page.evaluate(f"new Set({tops}.map(Math.round)).size")


@pytest.mark.parametrize("who", ROLES)
def test_the_menu_fits_in_two_rows_on_a_phone(site, browser, who):
    for size, most in ((PHONE, 2), (LAPTOP, 1)):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        login(page, site.base, who)
        tag = f"{size['width']}x{size['height']}"
        shot(page, f"{tag}-menu-{who}")
        assert menu_rows(page) <= most, (who, tag)
        header = page.locator("header.top").bounding_box()
        assert header["height"] <= (125 if size is PHONE else 50), (who, tag, header)
        assert too_wide(page) == []
        # "Meer" opens over the page without JavaScript's help, and every item is on screen.
        page.click("details.more summary")
        for link in page.locator(".more-menu a, .more-menu button").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= size["width"], who
        shot(page, f"{tag}-menu-{who}-meer")
        page.keyboard.press("Escape")
        assert not page.locator(".more-menu").is_visible()
        context.close()


def test_zoek_eerst_is_only_there_without_javascript(site, browser):
    for js in (True, False):
        context = browser.new_context(viewport=PHONE, java_script_enabled=js)
        page = context.new_page()
        login(page, site.base, "teacher")
        page.goto(f"{site.base}/vraag")
        assert page.locator("text=Zoek eerst").is_visible() is (not js)
        if js:
            # The row stays (for "zoeken…"): nothing jumps when the script hides the button.
            assert page.locator(".nojs-search").bounding_box()["height"] > 30
        context.close()


def test_the_reveal_form_stays_open_with_its_error_in_view(site, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, site.base, "coordinator")
    page.goto(f"{site.base}/vragen/{site.other}")
    page.click("text=Wie stelde deze anonieme vraag?")
    page.click("text=Toon naam (wordt vastgelegd)")  # no reason given
    page.wait_for_selector(".error-summary")
    assert page.locator("details.reveal").get_attribute("open") is not None
    summary = page.locator(".error-summary").bounding_box()
    assert summary["y"] >= 0 and summary["y"] + summary["height"] <= PHONE["height"]
    assert page.evaluate("document.activeElement.id") == "fouten"
    shot(page, "360x640-reveal-error")
    context.close()


@pytest.mark.parametrize(
    "path", ["/beheer", "/beheer/inzicht", "/kennisbank/agressief/versies", "/vragen"]
)
def test_the_coordinators_pages_fit_a_phone(site, browser, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, site.base, "coordinator")
    page.goto(site.base + path)
    assert too_wide(page) == [], path
    # Tables fit too: nothing to scroll sideways, no action pushed out of sight.
    for table in page.locator("main table").all():
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), path
    shot(page, f"360x640-coordinator{path.replace('/', '-')}")
    context.close()


def network_requests(page, go) -> list[str]:
    """URLs fetched over the network while ``go`` runs, from Playwright's request events: a
    response without a server address came from a cache or from the service worker."""
    fetched = []

    def finished(request):
        response = request.response()
        if response is not None and response.server_addr() is not None:
            fetched.append(request.url)

    page.context.on("requestfinished", finished)
    go()
    page.wait_for_load_state("networkidle")
    time.sleep(0.3)  # events of the last responses
    page.context.remove_listener("requestfinished", finished)
    return fetched


def wait_for_service_worker(page):
    for _ in range(100):
        if page.evaluate(
            "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
        ):
            return
        time.sleep(0.1)
    raise AssertionError("the service worker did not take over")


def test_a_warm_page_is_one_request(site, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, site.base, "teacher")
    wait_for_service_worker(page)
    pairs = [("/kennisbank/agressief", "/kennisbank/druk-impulsief"), ("/casussen", "/casussen"),
             ("/", "/"), ("/vraag", "/vraag"), (f"/vragen/{site.mine}", f"/vragen/{site.case}"),
             ("/kennisbank", "/kennisbank")]  # fmt: skip
    for first, second in pairs:
        network_requests(page, lambda url=first: page.goto(site.base + url))
        before = len(site.hits)
        fetched = network_requests(page, lambda url=second: page.goto(site.base + url))
        assert fetched == [site.base + second], (second, fetched)
        assert site.hits[before:] == [second.split("?")[0]], (second, site.hits[before:])
    context.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(data[12:29])
    return struct.unpack(">II", data[16:24])


def test_the_app_installs_and_keeps_only_what_is_hers_offline(site, browser):
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    login(page, site.base, "teacher")
    wait_for_service_worker(page)

    # Installable: Chromium itself finds nothing missing, and the manifest says what it must.
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A Playwright context is a private window, where Chromium installs nothing.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []
    href = page.evaluate("document.querySelector('link[rel=manifest]').href")
    manifest = page.request.get(href).json()
    assert manifest["name"] and manifest["short_name"] == "Leer-Kracht"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == page.get_attribute("meta[name=theme-color]", "content")
    sizes = {}
    for icon in manifest["icons"]:
        response = page.request.get(site.base + icon["src"])
        assert response.headers["content-type"] == "image/png"
        sizes[icon["sizes"]] = png_size(response.body())
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}

    # She reads a dossier, her own question and a colleague's question; then the network goes.
    for path in ("/kennisbank/agressief", f"/vragen/{site.mine}", f"/vragen/{site.case}"):
        page.goto(site.base + path)
    context.set_offline(True)
    page.goto(f"{site.base}/kennisbank/agressief")
    assert page.locator("h1").first.inner_text() != "Je bent offline"
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('header.top')).display") == "grid"
    shot(page, "360x640-offline-dossier")
    page.goto(f"{site.base}/vragen/{site.mine}")
    assert "roept steeds door de les heen" in page.inner_text("h1")
    page.goto(f"{site.base}/vragen/{site.case}")  # someone else's: never kept
    assert "Je bent offline" in page.inner_text("h1")
    assert "slaat klasgenoten" not in page.content()
    shot(page, "360x640-offline-not-kept")
    context.set_offline(False)

    # Logging out leaves nothing of hers on the device.
    page.goto(site.base + "/")
    assert page.evaluate("caches.keys()") != []
    logout(page)
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    context.set_offline(True)
    with pytest.raises(PlaywrightError):  # no copy anywhere: the browser's own offline error
        page.goto(f"{site.base}/kennisbank/agressief")
    context.close()


@pytest.mark.parametrize("who", ROLES)
def test_screens_of_a_day_at_both_sizes(site, browser, who):
    """Screenshots to look at (test-artifacts/): each role's day at phone and laptop size."""
    for size in (PHONE, LAPTOP):
        context = browser.new_context(viewport=size, locale="nl-NL")
        page = context.new_page()
        login(page, site.base, who)
        tag = f"{size['width']}x{size['height']}"
        paths = pages_for(site, who)
        if size is LAPTOP:  # the wide layout differs little from page to page
            paths = [p for p in paths if p in ("/", "/vraag", "/beheer", f"/vragen/{site.case}")]
        for path in paths:
            page.goto(site.base + path)
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "start"
            shot(page, f"{tag}-{who}-{name}")
        assert USERS[who][1] in page.text_content("details.more")
        context.close()
