"""Deny by default: every route declares its roles, and each role gets only what it may."""

import re

import pytest

from portal.accounts import users as accounts
from portal.db import get_db

from . import test_circles, test_support
from .helpers import ANSWER, answer, ask, count, user_id

ROLES = ["anonymous", "teacher", "expert", "parent", "coordinator"]


def test_every_route_declares_who_may_use_it(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "allowed_roles", None), f"{rule.endpoint} declares no roles"


def test_an_undeclared_route_is_denied(app, client, auth):
    app.add_url_rule("/vergeten", "forgotten", lambda: "geheim")
    auth.login("coordinator")
    assert client.get("/vergeten").status_code == 403


# Every route, for every role: (method, url, anonymous, teacher, expert, parent, coordinator).
# {q} = an open question of the teacher, {r} = a resolved case, {u} = another account.
# A disabled account gets what an anonymous visitor gets. Expert/teacher2 touching the
# teacher's question are the IDOR checks (ids that belong to someone else).
ROWS = """
GET  /                               302 200 200 200 200
GET  /vraag                          302 200 200 403 403
POST /vraag                          401 200 200 403 403
POST /vraag/helpt                    401 302 302 403 403
GET  /vragen                         302 200 200 403 200
GET  /casussen                       302 200 200 200 200
GET  /vragen/{q}                     302 200 200 404 200
GET  /vragen/{r}                     302 200 200 200 200
POST /vragen/{q}/antwoord            401 403 302 403 403
POST /vragen/{q}/aanvulling          401 302 403 403 403
POST /vraag/opnieuw                  401 302 302 403 403
POST /concept/bewaren                401 302 302 403 403
POST /vragen/{q}/antwoord/controle   401 200 200 403 403
POST /vragen/{q}/meest-behulpzaam    401 302 403 403 403
GET  /vragen/{q}/bewerken            302 200 403 403 200
POST /vragen/{q}/bewerken            401 302 403 403 302
POST /vragen/{q}/wie-vroeg           401 403 403 403 400
GET  /vragen/{q}/verwijderen         302 403 403 403 200
POST /vragen/{q}/verwijderen         401 403 403 403 302
GET  /kennisbank                     302 200 200 200 200
GET  /kennisbank/agressief           302 200 200 200 200
GET  /kennisbank/agressief/print     302 200 200 200 200
GET  /kennisbank/agressief/versies   302 200 200 403 200
GET  /kennisbank/agressief/voorstel  302 403 200 403 200
POST /kennisbank/agressief/voorstel  401 403 400 403 400
GET  /kennisbank/beheer              302 403 403 403 200
GET  /kennisbank/voorstellen/{v}     302 403 403 403 404
POST /kennisbank/voorstellen/{v}/{d} 401 403 403 403 404
GET  /vragen/onbeantwoord            302 403 200 403 200
POST /vragen/{q}/volgen              401 302 302 403 302
POST /vragen/{q}/uitnodigen          401 303 303 403 403
POST /vragen/{q}/sluiten             401 403 403 403 403
POST /vragen/{r}/geholpen            401 302 403 403 403
GET  /meldingen                      302 200 200 200 200
GET  /meldingen/aantal               302 200 200 200 200
POST /meldingen/gelezen              401 302 302 302 302
POST /meldingen/{v}/open             401 404 404 404 404
GET  /account/profiel                302 200 200 200 200
POST /account/profiel                401 302 302 302 302
GET  /beheer/inzicht                 302 403 403 403 200
GET  /beheer/inzicht/{n}.csv          302 403 403 403 200
GET  /activiteiten                   302 200 200 200 200
POST /activiteiten                   401 403 403 403 400
POST /activiteiten/{v}/terugblik     401 403 403 403 404
GET  /beheer                         302 403 403 403 200
POST /beheer/uitnodigen              401 403 403 403 200
POST /beheer/scholen                 401 403 403 403 302
POST /beheer/accounts/{u}/actief     401 403 403 403 302
POST /beheer/accounts/{u}/gegevens.json 401 403 403 403 200
POST /beheer/accounts/{u}/herstellen 401 403 403 403 200
POST /beheer/accounts/{u}/verwijderen 401 403 403 403 400
GET  /account                        302 200 200 200 200
POST /account/wachtwoord             401 400 400 400 400
POST /account/gegevens.json          401 200 200 200 200
POST /account/verwijderen            401 400 400 400 400
GET  /robots.txt                     200 200 200 200 200
GET  /manifest.webmanifest           200 200 200 200 200
GET  /icoon-192.png                  200 200 200 200 200
GET  /sw.js                          200 200 200 200 200
GET  /offline                        200 200 200 200 200
GET  /mijn-vragen                    302 200 200 403 403
GET  /login                          200 302 302 302 302
POST /login                          400 302 302 302 302
POST /logout                         401 302 302 302 302
GET  /uitnodiging/onbekend           410 410 410 410 410
POST /uitnodiging/onbekend           410 410 410 410 410
GET  /wachtwoord-vergeten            200 200 200 200 200
POST /wachtwoord-vergeten            302 302 302 302 302
GET  /wachtwoord-herstellen/onbekend 410 410 410 410 410
POST /wachtwoord-herstellen/onbekend 410 410 410 410 410
"""
MATRIX = []
for line in ROWS.strip().splitlines():
    method, template, *codes = line.split()
    MATRIX.append((method, template, dict(zip(ROLES, map(int, codes), strict=True))))
FORM = {
    "/vraag/helpt": {"hit": "dossier:agressief#wat-kun-je-doen"},
    "/vragen/{q}/antwoord": {"kind": "idea", "body": ANSWER, "action": "post"},
    "/vragen/{q}/aanvulling": {"body": ANSWER, "action": "post"},
    "/wachtwoord-vergeten": {"email": "iemand@school.test"},
    "/beheer/uitnodigen": {"email": "nieuw@school.test", "role": "parent", "school_id": ""},
    "/beheer/scholen": {"name": "Nieuwe School", "kind": "regulier"},
    "/beheer/accounts/{u}/actief": {"active": "1"},
    "/beheer/accounts/{u}/verwijderen": {"reason": "kort"},
    "/vragen/{q}/bewerken": {
        "title": "Een aangepaste vraag over druk gedrag",
        "body": "Nieuwe beschrijving van de situatie in de klas.",
    },
    "/vragen/{q}/wie-vroeg": {"reason": "Een reden die lang genoeg is"},
    "/account/verwijderen": {"password": "niet-het-goede-wachtwoord"},
    "/kennisbank/agressief/voorstel": {"markdown": "", "note": ""},
    "/vragen/{q}/uitnodigen": {"user_id": "999"},
    "/vragen/{r}/geholpen": {"helped": "ja"},
}


def _rows(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split()[:2]) for line in text.strip().splitlines() if line.strip()]


def test_the_matrix_covers_every_route(app):
    # Features whose routes need their own fixtures (a circle and its members, a support
    # request) keep their role x route matrix next to their tests, in the same format.
    feature_rows = _rows(test_circles.ROWS) + _rows(test_support.ROWS)
    covered = {
        (m, re.sub(r"\{(\w)\}|onbekend|agressief|(?<=icoon-)192", "X", t))
        for m, t in [(m, t) for m, t, _ in MATRIX] + feature_rows
    }
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<[^>]+>", "X", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in covered, f"no access row for {method} {rule.rule}"


@pytest.mark.parametrize(
    ("method", "template", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX]
)
def test_role_matrix(app, client, auth, method, template, expected):
    open_q = ask(app, who="teacher")
    resolved = ask(app, who="teacher", title="Een vraag die al opgelost is, over agressie")
    best = answer(app, resolved)
    auth.login("teacher")
    auth.post(f"/vragen/{resolved}/meest-behulpzaam", {"answer_id": best})
    first_answer = answer(app, open_q)
    url = template.format(
        q=open_q, r=resolved, u=user_id(app, "teacher2"), v=999, d="goedkeuren", n="trechter"
    )
    data = dict(FORM.get(template, {}))
    if template.endswith("meest-behulpzaam"):
        data["answer_id"] = first_answer
    for role in [*ROLES, "disabled"]:
        if role in ("anonymous", "disabled"):
            auth.logout()
        else:
            auth.login(role)
        if role == "disabled":
            # Logged in, then disabled by the coordinator: the session is over at once.
            with app.app_context():
                accounts.set_active(get_db(), user_id(app, "expert"), True)
            auth.login("expert")
            with app.app_context():
                accounts.set_active(get_db(), user_id(app, "expert"), False)
        token = auth.token()
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**data, "csrf_token": token})
        want = expected["anonymous" if role == "disabled" else role]
        assert response.status_code == want, f"{role} {method} {url}"
        if role == "disabled":
            with app.app_context():
                accounts.set_active(get_db(), user_id(app, "expert"), True)


def test_parent_sees_no_forms_and_no_names(app, client, auth):
    resolved = ask(app, who="teacher")
    best = answer(app, resolved, who="teacher2")
    auth.login("teacher")
    auth.post(f"/vragen/{resolved}/meest-behulpzaam", {"answer_id": best})
    auth.login("parent")
    for url in ["/", "/casussen", f"/vragen/{resolved}", "/kennisbank", "/kennisbank/agressief"]:
        html = client.get(url).get_data(as_text=True)
        # Only the logout form changes anything; a parent may search the cases (a GET).
        assert html.count('method="post"') == 1, url
        for name in ["Juf Anna", "Meester Bas", "De Linde", "De Esdoorn"]:
            assert name not in html, (url, name)
    assert "Vraag stellen" not in client.get("/").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    response = client.post(f"/vragen/{qid}/antwoord", data={"kind": "idea", "body": ANSWER})
    # Refused and nothing written (not even a draft: a forged request plants nothing) ...
    assert response.status_code == 400
    assert count(app, "answers") == 0 and count(app, "drafts") == 0
    page = response.get_data(as_text=True)
    assert "verlopen" in page and "beurtkaartjes" in page
    carried = re.search(r'name="carried" value="([^"]+)"', page).group(1)
    # ... but her text is one click from safe: the button passes the CSRF check.
    assert auth.post("/concept/bewaren", {"carried": carried + "x"}).status_code == 302
    assert count(app, "drafts") == 0  # a tampered carry is refused
    response = auth.post("/concept/bewaren", {"carried": carried})
    assert response.headers["Location"] == f"/vragen/{qid}#beantwoorden"
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Je tekst is bewaard" in page and "beurtkaartjes" in page
    assert client.post("/concept/bewaren", data={"carried": carried}).status_code == 400
    assert client.post("/beheer/scholen", data={"name": "X", "kind": "regulier"}).status_code == 400
    response = client.post(
        f"/vragen/{qid}/antwoord",
        data={"kind": "idea", "body": ANSWER},
        headers={"X-CSRFToken": auth.token(), "HX-Request": "true"},
    )
    assert response.status_code == 302


def test_pages_are_not_for_search_engines(client, auth):
    assert client.get("/robots.txt").get_data(as_text=True) == "User-agent: *\nDisallow: /\n"
    assert 'name="robots" content="noindex' in client.get("/login").get_data(as_text=True)
