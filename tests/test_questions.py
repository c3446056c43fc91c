"""The core loop through the test client: ask, suggestions, answer, most helpful, resolved."""

import re

import pytest

from portal.db import get_db, get_index
from portal.questions import cases

from .helpers import ANSWER, QUESTION, answer, ask, count

# ---- asking -------------------------------------------------------------------------------


def test_ask_page_has_live_search_and_a_no_js_fallback(client, auth):
    auth.login("teacher")
    html = client.get("/vraag").get_data(as_text=True)
    assert 'hx-post="/vraag"' in html
    assert 'value="search"' in html and "Zoek eerst" in html
    assert 'value="post"' in html


@pytest.mark.real_model
def test_htmx_search_returns_only_the_suggestions_fragment(app, client, auth):
    qid = ask(app, who="teacher2")
    aid = answer(app, qid, who="expert")
    auth.login("teacher2")
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": aid})
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {
            "title": "Leerling flapt antwoorden eruit",
            "body": "hij wacht nooit op zijn beurt",
            "cluster": "",
        },
        headers={"HX-Request": "true", "HX-Target": "suggestions"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert f'href="/vragen/{qid}"' in html
    assert "Dit helpt mij" in html
    assert re.search(r"Lijkt sterk op je vraag|Misschien relevant", html)


@pytest.mark.real_model
def test_no_js_search_first_returns_the_full_page_with_suggestions(client, auth):
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {
            "title": "Kind met woedebuien slaat klasgenoten",
            "body": "Bij frustratie wordt hij agressief en slaat hij andere kinderen.",
            "cluster": "",
            "action": "search",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert "Uit de kennisbank" in html  # the dossier on aggression matches
    assert "/kennisbank/agressief#" in html
    assert count(client.application, "questions") == 0


def test_posting_a_question(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "action": "post"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert QUESTION["title"] in page
    assert "staat uit bij je collega" in page
    assert count(app, "questions") == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Schrijf je vraag in één zin."),
        ({"body": ""}, "Beschrijf de situatie in de klas."),
        ({"title": "x" * 161}, "Houd de korte vraag tussen 10 en 160 tekens."),
        ({"body": "y" * 5001}, "Beschrijf de situatie in 20 tot 5000 tekens."),
        ({"cluster": ""}, "Kies over welk soort gedrag je vraag gaat."),
        ({"cluster": "onzin"}, "Ongeldige keuze."),
    ],
)
def test_bad_questions_get_a_dutch_message_and_change_nothing(app, client, auth, fields, message):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, **fields, "action": "post"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'class="error"' in html
    assert count(app, "questions") == 0


def resolved_case(app, auth, who="teacher2", **fields) -> int:
    """A question of ``who`` resolved through the pages: a case in the index."""
    qid = ask(app, who=who, **fields)
    aid = answer(app, qid, who="expert")
    auth.login(who)
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": aid})
    return qid


def test_dit_helpt_mij_is_counted_once_per_teacher_and_posts_nothing(app, client, auth):
    case = resolved_case(app, auth)
    auth.login("teacher")
    response = auth.post("/vraag/helpt", {"hit": "dossier:agressief#wat-kun-je-doen", **QUESTION})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/kennisbank/agressief")
    asked = {"title": "Daan uit groep 6 roept steeds door de les", "body": QUESTION["body"]}
    htmx = auth.post(
        "/vraag/helpt", {"hit": f"case:{case}", **asked}, headers={"HX-Request": "true"}
    )
    assert "Fijn dat dit je verder helpt" in htmx.get_data(as_text=True)
    assert count(app, "suggestion_helped") == 2
    assert count(app, "questions") == 1  # only the case itself
    # A second click is noted once only, and says so.
    again = auth.post("/vraag/helpt", {"hit": f"case:{case}"}, headers={"HX-Request": "true"})
    assert "al aangegeven" in again.get_data(as_text=True)
    assert count(app, "suggestion_helped") == 2
    # Her question joined the case's search memory, without the pupil's name.
    with app.app_context():
        memory = (
            get_db()
            .execute("SELECT text FROM search_extra WHERE source = 'memory' AND kind = 'case'")
            .fetchall()
        )
    scrubbed = f"[leerling] uit groep 6 roept steeds door de les {QUESTION['body']}"
    assert [m[0] for m in memory] == [scrubbed]
    # Targets that do not exist are refused and not counted.
    assert auth.post("/vraag/helpt", {"hit": "iets:raars"}).status_code == 400
    assert auth.post("/vraag/helpt", {"hit": "case:99999"}).status_code == 404
    assert auth.post("/vraag/helpt", {"hit": "dossier:bestaat#niet"}).status_code == 404
    assert count(app, "suggestion_helped") == 2


# ---- the region's questions ---------------------------------------------------------------


def test_open_questions_unanswered_first_and_filter_by_cluster(app, client, auth):
    answered = ask(app, title="Vraag met al een antwoord erbij, over druk gedrag")
    answer(app, answered)
    unanswered = ask(
        app, title="Vraag zonder antwoord, over angstig gedrag", cluster="angstig-teruggetrokken"
    )
    auth.login("teacher2")
    html = client.get("/vragen").get_data(as_text=True)
    assert html.index(f"/vragen/{unanswered}") < html.index(f"/vragen/{answered}")
    assert "nog geen antwoord" in html
    filtered = client.get("/vragen?cluster=angstig-teruggetrokken").get_data(as_text=True)
    assert f"/vragen/{unanswered}" in filtered and f"/vragen/{answered}" not in filtered


def test_answering_says_what_it_offers(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    response = auth.post(f"/vragen/{qid}/antwoord", {"kind": "experience", "body": ANSWER})
    assert response.status_code == 302
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Eigen ervaring" in html and "beurtkaartjes" in html


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "idea", "body": ""},
        {"kind": "idea", "body": "z" * 5001},
        {"kind": "x", "body": ANSWER},
    ],
)
def test_bad_answers_change_nothing(app, client, auth, data):
    qid = ask(app)
    auth.login("teacher2")
    response = auth.post(f"/vragen/{qid}/antwoord", data)
    assert response.status_code == 400
    assert count(app, "answers") == 0


def test_unknown_question_is_404(client, auth):
    auth.login("teacher")
    assert client.get("/vragen/999").status_code == 404
    assert auth.post("/vragen/999/antwoord", {"kind": "idea", "body": ANSWER}).status_code == 404
    assert auth.post("/vragen/999/meest-behulpzaam", {"answer_id": "1"}).status_code == 404


def test_only_the_asker_marks_the_most_helpful_answer(app, client, auth):
    qid = ask(app, who="teacher")
    aid = answer(app, qid, who="teacher2")
    auth.login("teacher2")
    response = auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": aid})
    assert response.status_code == 403
    assert "Alleen wie de vraag stelde" in response.get_data(as_text=True)
    with app.app_context():
        assert cases.get_question(get_db(), qid)["status"] == "open"


def test_an_answer_of_another_question_cannot_be_marked(app, client, auth):
    qid = ask(app)
    other = ask(app, title="Een heel andere vraag over iets anders")
    aid = answer(app, other)
    auth.login("teacher")
    assert auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": aid}).status_code == 404
    assert auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": "abc"}).status_code == 400


def test_most_helpful_answer_makes_a_resolved_case_that_is_found_next_time(app, client, auth):
    qid = ask(app)
    answer(app, qid, body="Misschien kun je eens met de ib'er praten over dit gedrag.")
    best = answer(app, qid, who="expert")
    auth.login("teacher")
    response = auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": best})
    assert response.status_code == 302
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Meest behulpzaam" in html and "opgelost" in html
    assert html.index("beurtkaartjes") < html.index("praten over dit gedrag")
    # The very next similar question finds it, without any rebuild.
    with app.app_context():
        hits = get_index().search(
            get_db().conn,
            "knul in groep 5 flapt alles eruit en wacht nooit op zijn beurt",
            k=3,
            kind="case",
        )
    assert hits[0].target == str(qid)
    assert f'href="/vragen/{qid}"' in client.get("/casussen").get_data(as_text=True)


def resolve(app, client, auth, question_id, who="teacher2"):
    best = answer(app, question_id, who=who)
    auth.login("teacher")
    auth.post(f"/vragen/{question_id}/meest-behulpzaam", {"answer_id": best})


def case_hits(app, query):
    with app.app_context():
        return [h.target for h in get_index().search(get_db().conn, query, k=3, kind="case")]


def test_editing_a_resolved_case_updates_the_index(app, client, auth):
    qid = ask(app)
    resolve(app, client, auth, qid)
    response = auth.post(
        f"/vragen/{qid}/bewerken",
        {
            "title": "Meisje in groep 3 durft niet naar de wc te gaan",
            "body": "Ze houdt haar plas de hele dag op omdat ze bang is voor de toiletten.",
        },
    )
    assert response.status_code == 302
    assert "durft niet naar de wc" in client.get(f"/vragen/{qid}").get_data(as_text=True)
    with app.app_context():
        row = (
            get_db()
            .execute("SELECT title, text FROM search_docs WHERE target = ?", [str(qid)])
            .fetchone()
        )
    assert "wc" in row[0] and "roept" not in row[1]
    assert case_hits(app, "kind is bang voor het toilet op school")[0] == str(qid)


def test_deleting_a_case_removes_it_from_suggestions(app, client, auth):
    qid = ask(app)
    resolve(app, client, auth, qid)
    assert str(qid) in case_hits(app, "leerling roept door de instructie heen")
    auth.login("coordinator")
    assert "Ja, verwijderen" in client.get(f"/vragen/{qid}/verwijderen").get_data(as_text=True)
    assert auth.post(f"/vragen/{qid}/verwijderen").status_code == 302
    assert client.get(f"/vragen/{qid}").status_code == 404
    assert str(qid) not in case_hits(app, "leerling roept door de instructie heen")
    assert count(app, "answers") == 0


def test_huge_or_odd_search_input_is_handled(client, auth):
    auth.login("teacher")
    for body in ["x" * 20000, "😀" * 500, "<img src=x onerror=alert(1)>", "' OR 1=1; --"]:
        response = auth.post(
            "/vraag", {"title": "", "body": body, "cluster": ""}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert "<img src=x" not in response.get_data(as_text=True)


def test_pages_show_dates_in_dutch(app, client, auth):
    qid = ask(app)
    with app.app_context():
        get_db().conn.execute(
            "UPDATE questions SET created_at = '2026-12-01T13:05:00Z' WHERE id = ?", [qid]
        )
    auth.login("teacher2")
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert '<time datetime="2026-12-01T13:05:00Z">1 december 2026</time>' in page
    assert "2026-12-01</time>" not in page and "01-12-2026" not in page
