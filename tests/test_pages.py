"""What a cheap phone pays for a page, and what each role is offered.

A cold page (HTML + CSS + JS + icon, compressed as a browser asks for them) stays under
30 KB; static files are kept for a year under fingerprinted URLs, pages are asked again;
the manifest makes the portal installable; the menu and the mail settings offer each role
only what it can use; no technical words in the interface.
"""

import gzip
import json
import re
import struct
import zlib
from datetime import datetime
from html.parser import HTMLParser

import brotli
import pytest

from portal import clock
from portal.accounts import users as accounts
from portal.db import get_db, get_index
from portal.notifications import jobs, notify
from portal.questions import cases

from .helpers import answer, ask, user_id

BUDGET = 30 * 1024
ACCEPT = {"Accept-Encoding": "br, gzip"}
IMMUTABLE = "public, max-age=31536000, immutable"
DOSSIERS = [
    "agressief",
    "angstig-teruggetrokken",
    "druk-impulsief",
    "hulp-inschakelen",
    "informatieverwerking-sociaal",
    "ingrijpende-gebeurtenissen",
    "nieuwkomers-trauma",
    "ouders-met-psychische-problemen",
    "pesten-sociale-veiligheid",
    "samenwerken-met-ouders",
    "scheidingsangst",
    "selectief-mutisme",
    "thuiszitten-verzuim",
    "zelfbeschadiging-somberheid",
]


class Subresources(HTMLParser):
    """What a browser fetches for a page before it is usable: scripts, stylesheets, icons."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        url = a.get("src") if tag == "script" else a.get("href")
        if not url or url.startswith("data:"):  # data: is inside the page already
            return
        if tag == "script" or {"stylesheet", "icon", "apple-touch-icon"} & set(rel):
            self.urls.append(url)


def decoded(response) -> str:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def on_the_wire(response) -> int:
    """Bytes an HTTP/1.1 response takes: status line, headers and the (compressed) body."""
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.headers.items()
    )
    return len(head.encode()) + 2 + len(response.get_data())


def cold(client, path: str) -> tuple[int, dict]:
    """A first visit: the page and everything it needs, once each."""
    page = client.get(path, headers=ACCEPT)
    assert page.status_code == 200, path
    parser = Subresources()
    parser.feed(decoded(page))
    sizes = {path: on_the_wire(page)}
    for url in dict.fromkeys(parser.urls):
        response = client.get(url, headers=ACCEPT)
        assert response.status_code == 200, url
        sizes[url] = on_the_wire(response)
    return sum(sizes.values()), sizes


@pytest.fixture
def region(app):
    """A region with a day's worth: an open question with answers, twenty resolved cases."""
    open_question = ask(app, who="teacher2")
    for who in ("teacher", "expert", "teacher"):
        answer(app, open_question, who=who)
    with app.app_context():
        db = get_db()
        for n in range(20):
            qid = ask(app, who="teacher2", title=f"Leerling {n} loopt weg uit de klas bij drukte")
            aid = answer(app, qid, who="expert")
            cases.mark_best(db, get_index(), qid, aid, user_id(app, "teacher2"))
    return {"open question": f"/vragen/{open_question}"}


PAGES = ["login", "home", "ask", "open question", "casussen"] + [f"dossier {d}" for d in DOSSIERS]


@pytest.mark.parametrize("name", PAGES)
def test_a_cold_page_is_at_most_30_kb(request, client, auth, name):
    path = {"login": "/login", "home": "/", "ask": "/vraag", "casussen": "/casussen"}.get(name)
    if name in ("open question", "casussen"):
        path = path or request.getfixturevalue("region")[name]
    path = path or f"/kennisbank/{name.split()[-1]}"
    if name != "login":
        auth.login("teacher")
    total, sizes = cold(client, path)
    assert total <= BUDGET, (name, total, sizes)
    assert len(sizes) >= 4, sizes  # the page, a stylesheet, a script and the icon at least


def test_htmx_is_sent_only_to_pages_that_use_it(client, auth, region):
    auth.login("teacher")
    assert "htmx.min.js" in client.get("/vraag").text  # live suggestions
    assert "htmx.min.js" in client.get(region["open question"]).text  # privacy check on typing
    for path in ("/", "/casussen", "/kennisbank", "/kennisbank/agressief", "/meldingen"):
        assert "htmx.min.js" not in client.get(path).text, path


def test_static_files_are_fingerprinted_and_kept_for_a_year(client, auth):
    auth.login("teacher")
    page = client.get("/").text
    urls = re.findall(r'(?:src|href)="(/static/[^"]+|/icoon-\d+\.png[^"]*)"', page)
    assert {u.split("?")[0] for u in urls} >= {
        "/static/style.css", "/static/app.js", "/icoon-192.png",
    }  # fmt: skip
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{10}$", url), url
        response = client.get(url)
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        # A stale or missing fingerprint is never kept: the next version must get through.
        bare = client.get(url.split("?")[0])
        assert bare.headers["Cache-Control"] == "no-cache", url
        stale = re.sub(r"v=[0-9a-f]+", "v=0ld0ld0ld", url)
        assert client.get(stale).headers["Cache-Control"] == "no-cache", url


def test_files_carry_no_session_and_do_not_vary_by_cookie(client, auth):
    """A login, or the session's refresh, must not make the browser fetch its files again."""
    auth.login("teacher")
    page = client.get("/").text
    urls = re.findall(r'(?:src|href)="(/static/[^"]+|/icoon-[^"]+|/manifest[^"]+)"', page)
    for url in [*urls, "/sw.js"]:
        response = client.get(url, headers=ACCEPT)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert "cookie" not in response.headers.get("Vary", "").lower(), url
    assert "Cookie" in client.get("/").headers["Vary"]  # pages do


def test_static_text_is_compressed_once_at_the_highest_level(client):
    htmx = client.get("/static/vendor/htmx.min.js")
    raw = htmx.get_data()
    br = client.get("/static/vendor/htmx.min.js", headers=ACCEPT)
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.get_data()) == raw
    assert len(br.get_data()) <= len(brotli.compress(raw, quality=11)) < len(raw) / 3
    assert "Accept-Encoding" in br.headers["Vary"]
    gz = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.get_data()) == client.get("/static/style.css").get_data()
    png = client.get("/icoon-192.png", headers=ACCEPT)
    assert "Content-Encoding" not in png.headers  # already compressed


def test_pages_are_compressed_and_asked_again_never_kept(client, auth):
    assert client.get("/login", headers=ACCEPT).headers["Cache-Control"] == "private, no-cache"
    auth.login("teacher")
    for path in ("/", "/vraag", "/casussen", "/kennisbank/agressief", "/mijn-vragen"):
        response = client.get(path, headers=ACCEPT)
        assert response.headers["Cache-Control"] == "private, no-cache", path
        assert response.headers["Content-Encoding"] == "br", path
        assert "<main" in decoded(response)
    only_gzip = client.get("/kennisbank/agressief", headers={"Accept-Encoding": "gzip"})
    assert only_gzip.headers["Content-Encoding"] == "gzip"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature and header checksum."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    header = data[16:29]
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(b"IHDR" + header)
    return struct.unpack(">II", header[:8])


def test_the_manifest_makes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data())
    assert manifest["name"].startswith("Leer-Kracht") and manifest["short_name"] == "Leer-Kracht"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {}
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.mimetype == icon["type"] == "image/png"
        assert png.headers["Cache-Control"] == IMMUTABLE
        sizes[icon["sizes"]] = png_size(png.get_data())
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}
    # The theme colour of the manifest is the page's.
    assert f'name="theme-color" content="{manifest["theme_color"]}"' in client.get("/login").text


MENU = {
    "teacher": ["Vraag stellen", "Mijn vragen", "Open vragen", "Casussen", "Kennisbank", "Kringen"],
    "expert": ["Open vragen", "Onbeantwoord", "Casussen", "Kennisbank", "Ondersteuning"],
    "parent": ["Casussen", "Kennisbank", "Activiteiten"],
    "coordinator": [
        "Open vragen",
        "Onbeantwoord",
        "Casussen",
        "Kennisbank",
        "Ondersteuning",
        "Beheer",
    ],  # fmt: skip
}


@pytest.mark.parametrize("who", MENU)
def test_the_menu_of_each_role(client, auth, who):
    auth.login(who)
    page = client.get("/").text
    bar = re.search(r'<nav class="menu" aria-label="Hoofdmenu">(.*?)</nav>', page, re.S)[1]
    assert re.findall(r">([^<]+)</a>", bar) == MENU[who]
    more = re.search(r'<nav class="more-menu" aria-label="Meer">(.*?)</nav>', page, re.S)[1]
    assert "Uitloggen" in more and "Mijn account" in more
    # Every page a role may open is in the bar or under "Meer".
    for path in ("/casussen", "/kennisbank", "/activiteiten", "/account"):
        assert f'href="{path}"' in page, (who, path)
    for path in ("/kringen", "/ondersteuning"):  # not for parents: they read along
        assert (f'href="{path}"' in page) == (who != "parent"), (who, path)


def test_no_technical_words_in_the_interface(client, auth, region):
    paths = ["/", "/vraag", "/mijn-vragen", "/vragen", "/casussen", "/kennisbank",
             "/kennisbank/agressief", "/kennisbank/agressief/versies", "/meldingen", "/account",
             "/account/profiel", "/activiteiten", "/beheer", "/beheer/inzicht",
             region["open question"], "/offline"]  # fmt: skip
    for who in MENU:
        auth.login(who)
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                continue
            text = re.sub(r"<[^>]+>", " ", response.text.split("<body", 1)[1])
            for word in ("JSON", "Markdown", "front matter", "HTML", "slug"):
                assert word not in text, (who, path, word)


# ---- mail settings: only what a role can receive ------------------------------------------


def test_every_kind_belongs_to_a_role_and_parents_get_none():
    assert set().union(*notify.KINDS_FOR_ROLE.values()) == set(notify.KINDS)
    assert set(notify.KINDS_FOR_ROLE) == {"teacher", "expert", "parent", "coordinator"}
    assert notify.kinds_for("parent") == {}
    assert "escalation" not in notify.kinds_for("teacher")
    assert "answer" not in notify.kinds_for("coordinator")


def test_a_parent_is_offered_no_mail_settings_and_cannot_set_one(app, client, auth):
    auth.login("parent")
    page = client.get("/account/profiel").text
    assert "<select" not in page and "geen meldingen per e-mail" in page
    for label in notify.KINDS.values():
        assert label not in page
    auth.post("/account/profiel", {"mode_answer": "immediate", "mode_escalation": "daily"})
    with app.app_context():
        stored = (
            get_db()
            .execute(
                "SELECT count(*) FROM notification_prefs WHERE user_id = ?",
                [user_id(app, "parent")],
            )
            .fetchone()[0]
        )
    assert stored == 0
    assert "geen meldingen" in client.get("/meldingen").text


def test_a_teacher_sets_only_what_she_can_get(app, client, auth):
    auth.login("teacher")
    page = client.get("/account/profiel").text
    assert set(re.findall(r'name="mode_([a-z_]+)"', page)) == set(notify.kinds_for("teacher"))
    assert notify.KINDS["escalation"] not in page
    auth.post("/account/profiel", {"mode_answer": "daily", "mode_escalation": "never"})
    with app.app_context():
        db = get_db()
        stored = dict(
            db.execute(
                "SELECT kind, mode FROM notification_prefs WHERE user_id = ?",
                [user_id(app, "teacher")],
            )
        )
        assert stored == {"answer": "daily"}
        assert notify.prefs(db, user_id(app, "teacher"))["answer"] == "daily"


def test_what_reaches_each_person_is_a_kind_her_role_is_offered(app, client, auth):
    """The region's day through the pages and the jobs: every notification written goes to
    someone whose settings list that kind."""
    with app.app_context():
        db = get_db()
        for who in ("teacher2", "expert"):
            accounts.set_profile(db, user_id(app, who), ["druk-impulsief"], "")
    auth.login("teacher")
    form = {"title": "Jongen in groep 4 rent steeds de klas uit",
            "body": "Hij kan niet stilzitten en loopt weg bij elke overgang.",
            "cluster": "druk-impulsief", "action": "post"}  # fmt: skip
    auth.post("/vraag", form)
    asked = ask(app, who="teacher")
    ask(app, who="teacher", title="Meisje zegt niets meer in de kring")  # never answered
    for who in ("coordinator", "expert"):
        auth.login(who)
        auth.post(f"/vragen/{asked}/volgen")
    auth.login("teacher")
    auth.post(f"/vragen/{asked}/uitnodigen", {"user_id": user_id(app, "expert")})
    auth.login("teacher2")
    auth.post(f"/vragen/{asked}/antwoord",
              {"kind": "idea", "body": "Geef hem een vaste taak bij elke overgang.",
               "action": "post"})  # fmt: skip
    with app.app_context():
        db = get_db()
        db.conn.execute("UPDATE questions SET created_at = '2026-01-05T08:00:00Z'")
        db.conn.execute("UPDATE answers SET created_at = '2026-01-05T09:00:00Z'")
        for day in ("2026-01-12 10:00", "2026-01-20 10:00"):
            now = datetime.strptime(day, "%Y-%m-%d %H:%M").replace(tzinfo=clock.AMSTERDAM)
            jobs.run(db, get_index(), now)
        rows = list(
            db.execute(
                "SELECT u.role, n.kind FROM notifications n JOIN users u ON u.id = n.user_id"
            )
        )
    kinds = {kind for _, kind in rows}
    # The day reached most kinds of the questions' flow, and the roles that receive them.
    assert kinds >= {"new_question", "new_question_region", "invited", "answer",
                     "followed_answer", "escalation", "reminder", "reminder_again"}  # fmt: skip
    assert {role for role, _ in rows} >= {"teacher", "expert", "coordinator"}
    for role, kind in rows:
        assert kind in notify.KINDS_FOR_ROLE[role], (role, kind)
