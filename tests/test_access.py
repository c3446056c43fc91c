"""Deny by default: every route declares its roles, and each role gets only what it may."""

import pytest

from .test_questions import ANSWER, answer, ask

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


# (method, url template, {role: expected status}); {q} = open question, {r} = resolved case
MATRIX = [
    (
        "GET",
        "/",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 200, "coordinator": 200},
    ),
    (
        "GET",
        "/vraag",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 403, "coordinator": 403},
    ),
    (
        "GET",
        "/vragen",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 403, "coordinator": 200},
    ),
    (
        "GET",
        "/casussen",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 200, "coordinator": 200},
    ),
    (
        "GET",
        "/vragen/{q}",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 404, "coordinator": 200},
    ),
    (
        "GET",
        "/vragen/{r}",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 200, "coordinator": 200},
    ),
    (
        "GET",
        "/kennisbank",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 200, "coordinator": 200},
    ),
    (
        "GET",
        "/kennisbank/agressief",
        {"anonymous": 302, "teacher": 200, "expert": 200, "parent": 200, "coordinator": 200},
    ),
    (
        "GET",
        "/beheer",
        {"anonymous": 302, "teacher": 403, "expert": 403, "parent": 403, "coordinator": 200},
    ),
    ("GET", "/robots.txt", dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/login",
        {"anonymous": 200, "teacher": 302, "expert": 302, "parent": 302, "coordinator": 302},
    ),
    (
        "POST",
        "/vraag",
        {"anonymous": 401, "teacher": 200, "expert": 200, "parent": 403, "coordinator": 403},
    ),
    (
        "POST",
        "/vraag/helpt",
        {"anonymous": 401, "teacher": 302, "expert": 302, "parent": 403, "coordinator": 403},
    ),
    (
        "POST",
        "/vragen/{q}/antwoord",
        {"anonymous": 401, "teacher": 302, "expert": 302, "parent": 403, "coordinator": 403},
    ),
    (
        "POST",
        "/vragen/{q}/meest-behulpzaam",
        {"anonymous": 401, "teacher": 302, "expert": 403, "parent": 403, "coordinator": 403},
    ),
    (
        "GET",
        "/vragen/{q}/bewerken",
        {"anonymous": 302, "teacher": 200, "expert": 403, "parent": 403, "coordinator": 200},
    ),
    (
        "POST",
        "/vragen/{q}/bewerken",
        {"anonymous": 401, "teacher": 302, "expert": 403, "parent": 403, "coordinator": 302},
    ),
    (
        "GET",
        "/vragen/{q}/verwijderen",
        {"anonymous": 302, "teacher": 403, "expert": 403, "parent": 403, "coordinator": 200},
    ),
    (
        "POST",
        "/vragen/{q}/verwijderen",
        {"anonymous": 401, "teacher": 403, "expert": 403, "parent": 403, "coordinator": 302},
    ),
    (
        "POST",
        "/beheer/uitnodigen",
        {"anonymous": 401, "teacher": 403, "expert": 403, "parent": 403, "coordinator": 200},
    ),
    (
        "POST",
        "/beheer/scholen",
        {"anonymous": 401, "teacher": 403, "expert": 403, "parent": 403, "coordinator": 302},
    ),
    (
        "POST",
        "/beheer/accounts/{u}/actief",
        {"anonymous": 401, "teacher": 403, "expert": 403, "parent": 403, "coordinator": 302},
    ),
]
FORM = {
    "/vraag/helpt": {"hit": "dossier:agressief#wat-kun-je-doen"},
    "/vragen/{q}/antwoord": {"kind": "idea", "body": ANSWER},
    "/beheer/uitnodigen": {"email": "nieuw@school.test", "role": "parent", "school_id": ""},
    "/beheer/scholen": {"name": "Nieuwe School", "kind": "regulier"},
    "/vragen/{q}/bewerken": {
        "title": "Een aangepaste vraag over druk gedrag",
        "body": "Nieuwe beschrijving van de situatie in de klas.",
    },
    "/beheer/accounts/{u}/actief": {"active": "1"},
}


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
    ids = {"q": open_q, "r": resolved, "u": 2}
    url = template.format(**ids)
    data = dict(FORM.get(template, {}))
    if template.endswith("meest-behulpzaam"):
        data["answer_id"] = first_answer
    for role in ROLES:
        if role == "anonymous":
            auth.logout()
            token = auth.token()
        else:
            auth.login(role)
            token = auth.token()
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == expected[role], f"{role} {method} {url}"


def test_parent_sees_no_forms_and_no_names(app, client, auth):
    resolved = ask(app, who="teacher")
    best = answer(app, resolved, who="teacher2")
    auth.login("teacher")
    auth.post(f"/vragen/{resolved}/meest-behulpzaam", {"answer_id": best})
    auth.login("parent")
    for url in ["/", "/casussen", f"/vragen/{resolved}", "/kennisbank", "/kennisbank/agressief"]:
        html = client.get(url).get_data(as_text=True)
        assert "<form" in html  # only the logout form
        assert html.count("<form") == 1, url
        for name in ["Juf Anna", "Meester Bas", "De Linde", "De Esdoorn"]:
            assert name not in html, (url, name)
    assert "Vraag stellen" not in client.get("/").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    response = client.post(f"/vragen/{qid}/antwoord", data={"kind": "idea", "body": ANSWER})
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    response = client.post(
        f"/vragen/{qid}/antwoord",
        data={"kind": "idea", "body": ANSWER},
        headers={"X-CSRFToken": auth.token(), "HX-Request": "true"},
    )
    assert response.status_code == 302


def test_pages_are_not_for_search_engines(client, auth):
    assert client.get("/robots.txt").get_data(as_text=True) == "User-agent: *\nDisallow: /\n"
    assert 'name="robots" content="noindex' in client.get("/login").get_data(as_text=True)
