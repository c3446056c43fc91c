"""Attacks: XSS in every text field, CSRF on every POST, SQL metacharacters, throttling."""

import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portal.accounts import users as accounts
from portal.db import get_db
from portal.kennisbank import dossiers, editing

from .helpers import ANSWER, USERS, answer, ask, scalar

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1></svg>",
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<div hx-get="/logout" hx-trigger="load">x</div>',
    '<p data-hx-post="/vraag">y</p>',
    "<iframe src=//evil.example></iframe>",
    '[x](https://ok.example "title" onmouseover=alert(1))',
    "<style>body{display:none}</style>",
    '"><script>alert(2)</script>',
    "![plaatje](https://evil.example/x.png)",
]


class Markup(HTMLParser):
    """Collect what a browser would treat as markup: elements and attributes."""

    BAD_TAGS = {"script", "svg", "iframe", "style", "img", "object", "embed", "link", "meta"}

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        ours = tag == "svg" and (dict(attrs).get("class") or "").startswith("chart ")
        if tag in self.BAD_TAGS and not ours:  # (the insight page's own charts are svg)
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name.startswith("data-hx") or name == "hx-get":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.problems.append(f"{tag}[{name}=javascript:]")


def markup_problems(html: str) -> list[str]:
    # Only the page body: the head holds our own script and meta tags.
    parser = Markup()
    parser.feed(html.split("<main", 1)[1])
    return parser.problems


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_questions_and_answers_never_survives_as_markup(app, client, auth, payload):
    qid = ask(app, title=f"Vraag met {payload[:60]} erin", body=f"Tekst {payload} en meer tekst.")
    answer(app, qid, body=f"Antwoord {payload} met nog wat woorden.")
    auth.login("teacher2")
    for url in (f"/vragen/{qid}", "/vragen", "/"):
        assert markup_problems(client.get(url).get_data(as_text=True)) == [], url


@pytest.mark.parametrize("payload", XSS[:4])
def test_xss_in_the_ask_form_and_names(app, client, auth, payload):
    auth.login("teacher")
    response = auth.post(
        "/vraag", {"title": payload, "body": payload + " extra", "action": "search"}
    )
    assert markup_problems(response.get_data(as_text=True)) == []
    auth.login("coordinator")
    auth.post("/beheer/scholen", {"name": payload, "kind": "regulier"})
    assert markup_problems(client.get("/beheer").get_data(as_text=True)) == []


def test_every_post_route_refuses_a_missing_csrf_token(app, client, auth):
    qid = ask(app)
    answer(app, qid)
    auth.login("coordinator")
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) >= 10
    for rule in posts:
        values = {k: "goedkeuren" if k == "decision" else qid for k in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url, data={"body": ANSWER, "answer_id": "1"})
        assert response.status_code == 400, (rule.rule, response.status_code)


@pytest.mark.parametrize(
    "evil",
    ["1 OR 1=1", "'; DROP TABLE questions; --", '" OR ""="', "1; DELETE FROM users", "%' --"],
)
def test_sql_metacharacters_do_no_harm(app, client, auth, evil):
    qid = ask(app)
    auth.login("teacher")
    assert client.get(f"/vragen/{evil}").status_code == 404
    assert client.get("/vragen", query_string={"cluster": evil, "pagina": evil}).status_code == 200
    auth.post("/vraag", {"title": evil, "body": evil + " " + evil, "action": "search"})
    assert auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": evil}).status_code == 400
    with app.app_context():
        db = get_db()
        assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] == len(USERS)


def test_security_headers(client, auth):
    auth.login("teacher")
    response = client.get("/vragen")
    h = response.headers
    assert "script-src 'self'" in h["Content-Security-Policy"]
    assert "unsafe" not in h["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    # A browser may keep a page (back/forward, offline dossiers) but always asks first,
    # never a shared proxy; logging out wipes what the browser kept.
    assert h["Cache-Control"] == "private, no-cache" and "Cookie" in h["Vary"]
    assert "noindex" in h["X-Robots-Tag"]
    html = response.get_data(as_text=True)
    assert '"allowEval": false' in html and '"historyCacheSize": 0' in html
    assert "<script>" not in html and " style=" not in html


def test_logout_wipes_what_the_browser_kept(client, auth):
    auth.login("teacher")
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_session_cookie_flags(app, client):
    response = client.post("/login", data={})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_is_throttled_across_workers_and_recovers(app, client, auth):
    for _ in range(5):
        auth.login("teacher", password="helemaal-verkeerd")
    blocked = auth.login("teacher")  # even the right password waits now
    assert blocked.status_code == 429
    assert "Te veel mislukte pogingen" in blocked.get_data(as_text=True)
    # Another worker sees the same limit: it is in SQLite, not in this process.
    with app.app_context():
        db = get_db()
        assert db.execute("SELECT count(*) FROM login_failures").fetchone()[0] == 5
        # The limit passes by itself.
        db.conn.execute("UPDATE login_failures SET at = at - 3600")
    assert auth.login("teacher").status_code == 302


def test_idle_sessions_end(app, client, auth):
    auth.login("teacher")
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 3 * 3600
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_session_on_the_server(app, client, auth):
    auth.login("teacher")
    with client.session_transaction() as session:
        stolen = dict(session)
    auth.logout()
    with client.session_transaction() as session:
        session.update(stolen)
    assert client.get("/").status_code == 302


def test_anonymous_question_shows_no_name_and_reveal_is_logged(app, client, auth):
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {
            "title": "Een leerling in mijn groep wil niet meer praten",
            "body": "Sinds de kerstvakantie zegt een meisje in de klas helemaal niets meer.",
            "cluster": "angstig-teruggetrokken",
            "grade_band": "5-6",
            "anonymous": "y",
            "action": "post",
        },
    )
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    auth.login("teacher2")
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    question = html.split('<section class="answers"')[0]  # (the invite list names colleagues)
    assert "Juf Anna" not in question and "De Linde" not in question
    # The invite list names every colleague but the viewer: leaving out the asker would
    # give her away.
    invite = html.split('<section class="answers"')[1]
    assert "Juf Anna (De Linde)" in invite and "Meester Bas" not in invite
    # Two schools of two teachers: naming the kind of school would narrow her down.
    assert "groep 5-6 · een leerkracht ·" in question and "basisschool" not in question
    assert "Juf Anna" not in client.get("/vragen").get_data(as_text=True)
    auth.login("coordinator")
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Juf Anna" not in html and "Toon naam" in html
    assert auth.post(f"/vragen/{qid}/wie-vroeg", {"reason": "kort"}).status_code == 400
    shown = auth.post(f"/vragen/{qid}/wie-vroeg", {"reason": "Melding van zorg, overleg met ib"})
    assert "Juf Anna" in shown.get_data(as_text=True)
    with app.app_context():
        row = (
            get_db()
            .execute(
                "SELECT actor_id, subject, detail FROM audit_log WHERE event = 'identity_revealed'"
            )
            .fetchone()
        )
    # The audit log keeps ids only; the reason sits in identity_reveals, with the account.
    assert row[1] == f"question:{qid}" and row[2].startswith("reveal:")
    reason = scalar(app, "SELECT reason FROM identity_reveals WHERE id = ?", [row[2][7:]])
    assert reason.startswith("Melding")
    auth.login("teacher2")
    assert (
        auth.post(f"/vragen/{qid}/wie-vroeg", {"reason": "nieuwsgierig naar wie"}).status_code
        == 403
    )


def test_parents_read_cases_without_names(app, client, auth):
    qid = ask(app, title="Sanne uit groep 3 huilt bij het afscheid")
    best = answer(app, qid, body="Laat Sanne iets van thuis meenemen, zei haar moeder.")
    auth.login("teacher")
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": best})
    auth.login("parent")
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Sanne" not in html and "[leerling]" in html


@pytest.mark.parametrize("payload", XSS[:6])
def test_xss_in_the_other_text_fields(app, client, auth, payload):
    """Activities, profile topics, proposal notes, reveal reasons, invitation names."""
    auth.login("expert")
    assert (
        auth.post("/account/profiel", {"cluster": ["agressief"], "topics": payload}).status_code
        == 302
    )
    path = Path(__file__).parent.parent / "content/dossiers/agressief.md"
    proposal = {**editing.values(dossiers.parse_dossier(path)), "note": payload[:300]}
    proposal["s7_text"] += "\n\nNog een misverstand: " + payload
    assert auth.post("/kennisbank/agressief/voorstel", proposal).status_code == 302
    auth.login("coordinator")
    posted = auth.post(
        "/activiteiten",
        {
            "title": payload[:120],
            "kind": "ouderavond",
            "day": "1-1-2099",
            "time": "19:00",
            "place": payload[:200],
            "description": payload,
        },
    )
    assert posted.status_code == 302
    invite = {"email": "x@school.test", "role": "parent", "school_id": "", "name": payload[:80]}
    assert auth.post("/beheer/uitnodigen", invite).status_code == 200
    for url in ("/beheer/inzicht", "/kennisbank/beheer", "/activiteiten", "/beheer", "/"):
        assert markup_problems(client.get(url).get_data(as_text=True)) == [], url
    auth.login("parent")
    assert markup_problems(client.get("/").get_data(as_text=True)) == []


def test_an_anonymous_asker_gets_her_school_kind_only_in_a_crowd(app, client, auth):
    qid = ask(app, anonymous=True)
    auth.login("teacher2")
    assert "een leerkracht ·" in client.get(f"/vragen/{qid}").get_data(as_text=True)
    with app.app_context():
        db = get_db()
        schools = [accounts.create_school(db, f"School {n}") for n in range(2)]
        for n in range(8):
            accounts.create_user(db, f"l{n}@r.test", f"Leerkracht {n}", "teacher", schools[n % 2])
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "een leerkracht (basisschool)" in html and "Juf Anna" not in html.split("answers")[0]
