"""Direct support: a teacher asks, an expert takes it, agrees a moment, writes the outcome."""

import re
from datetime import datetime, timedelta

import pytest

from portal import clock
from portal.accounts import users as accounts
from portal.db import get_db
from portal.notifications.schooltime import SchoolCalendar
from portal.settings import ROOT
from portal.support import data, demo, jobs

from .helpers import PASSWORD, ask, count, scalar, user_id

# Role x route matrix of this feature (format of tests/test_access.py's ROWS):
# method, url, then the status for anonymous, teacher, expert, parent, coordinator.
# {s} = an open request of the teacher (from her question), {t} = one the expert took,
# {d} = one the expert finished with an outcome. Each role gets fresh ones.
ROWS = """
GET  /ondersteuning                  302 200 200 403 200
GET  /ondersteuning/nieuw            302 200 200 403 403
POST /ondersteuning/nieuw            401 400 400 403 403
POST /ondersteuning/controle         401 200 200 403 403
GET  /ondersteuning/overzicht        302 403 403 403 200
GET  /ondersteuning/{s}              302 200 200 403 200
GET  /ondersteuning/{t}              302 200 200 403 200
POST /ondersteuning/{s}/nemen        401 403 302 403 403
POST /ondersteuning/{t}/teruggeven   401 403 302 403 403
POST /ondersteuning/{t}/contact      401 403 302 403 403
POST /ondersteuning/{t}/afspraak     401 403 400 403 403
POST /ondersteuning/{t}/uitkomst     401 403 400 403 403
POST /ondersteuning/{d}/bij-vraag    401 302 403 403 403
POST /ondersteuning/{s}/intrekken    401 302 403 403 403
POST /ondersteuning/{s}/naam         401 302 403 403 403
"""
ROLES = ["anonymous", "teacher", "expert", "parent", "coordinator"]
MATRIX = []
for _line in ROWS.strip().splitlines():
    _method, _template, *_codes = _line.split()
    MATRIX.append((_method, _template, dict(zip(ROLES, map(int, _codes), strict=True))))

WANT = (
    "Wat gebeurt er vlak voordat hij gaat roepen? Waar kan ik het beste staan tijdens "
    "de instructie?"
)
AVAILABLE = "Dinsdagochtend tijdens rekenen, tussen 9 en 10 uur."
FORM = {
    "kind": "observatie",
    "channel": "op-school",
    "want_to_know": WANT,
    "availability": AVAILABLE,
    "urgency": "deze-week",
    "cluster": "druk-impulsief",
    "action": "post",
}
OUTCOME = {
    "seen": "Hij riep vooral als de instructie langer dan tien minuten duurde.",
    "to_try": "Knip de instructie op in blokjes van vijf minuten, met een beurtkaartje.",
    "follow_up": "Over drie weken kom ik nog een keer kijken.",
    "action": "post",
}


# ---- helpers -------------------------------------------------------------------------------


def make_request(app, who="teacher", question_id=None, **fields):
    values = {k: v for k, v in FORM.items() if k != "action"}
    values.update(fields)
    values.setdefault("show_name", True)
    with app.app_context():
        return data.create_request(get_db(), user_id(app, who), question_id=question_id, **values)


def take(app, request_id, who="expert"):
    with app.app_context():
        assert data.take(get_db(), request_id, user_id(app, who))


def finish(app, request_id, who="expert"):
    with app.app_context():
        assert data.record_outcome(
            get_db(), request_id, user_id(app, who), OUTCOME["seen"], OUTCOME["to_try"]
        )


def add_expert(app, email="specialist@regio.test", name="Specialist Frank", clusters=()):
    with app.app_context():
        db = get_db()
        uid = accounts.create_user(db, email, name, "expert", None, PASSWORD)
        if clusters:
            accounts.set_profile(db, uid, list(clusters), "")
        return uid


def login_as(client, auth, email):
    auth.logout()
    return client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": auth.token()}
    )


def row(app, request_id):
    with app.app_context():
        return data.get_request(get_db(), request_id)


def notes(app, who, kind):
    """The notifications of one kind a person got, oldest first."""
    with app.app_context():
        return list(
            get_db().query(
                "SELECT * FROM notifications WHERE user_id = ? AND kind = ? ORDER BY id",
                [user_id(app, who) if isinstance(who, str) else who, kind],
            )
        )


def fixtures(app):
    """A question of the teacher with an open request, a taken one and a finished one."""
    qid = ask(app)
    open_id = make_request(app, question_id=qid)
    taken = make_request(app, kind="consultatie", channel="telefoon")
    take(app, taken)
    done = make_request(app, question_id=ask(app, title="Een tweede vraag over druk gedrag"))
    take(app, done)
    finish(app, done)
    return {"s": open_id, "t": taken, "d": done, "q": qid}


# ---- who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "template", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX]
)
def test_role_matrix(app, client, auth, method, template, expected):
    for role in ROLES:
        ids = fixtures(app)  # fresh objects per role: one role's POST never changes another's
        url = template.format(**ids)
        if role == "anonymous":
            auth.logout()
        else:
            auth.login(role)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": auth.token()})
        assert response.status_code == expected[role], f"{role} {method} {url}"


def test_another_teacher_or_expert_gets_404_on_someone_elses_request(app, client, auth):
    ids = fixtures(app)
    auth.login("teacher2")
    for url in [f"/ondersteuning/{ids[k]}" for k in "std"]:
        assert client.get(url).status_code == 404, url
    for action in ["intrekken", "naam", "bij-vraag"]:
        for k in "std":
            response = auth.post(f"/ondersteuning/{ids[k]}/{action}")
            assert response.status_code == 404, (action, k)
    # Nor may she ask "from" someone else's question.
    assert client.get(f"/ondersteuning/nieuw?vraag={ids['q']}").status_code == 404
    assert auth.post(f"/ondersteuning/nieuw?vraag={ids['q']}", FORM).status_code == 404
    # Another expert sees open requests, but not what a colleague took or finished.
    add_expert(app)
    login_as(client, auth, "specialist@regio.test")
    assert client.get(f"/ondersteuning/{ids['s']}").status_code == 200
    for k in "td":
        assert client.get(f"/ondersteuning/{ids[k]}").status_code == 404
    for action in ["teruggeven", "contact", "afspraak", "uitkomst"]:
        assert auth.post(f"/ondersteuning/{ids['t']}/{action}").status_code == 404, action
    assert row(app, ids["t"])["taken_by"] == user_id(app, "expert")
    # Her own open request is hers to withdraw, not another expert's.
    assert auth.post(f"/ondersteuning/{ids['s']}/intrekken").status_code == 403
    assert row(app, ids["s"])["status"] == "open"


def test_parents_see_no_support_anywhere(app, client, auth):
    qid = ask(app)
    auth.login("parent")
    assert client.get("/ondersteuning").status_code == 403
    page = client.get("/kennisbank/agressief").get_data(as_text=True)
    assert "Vraag directe ondersteuning" not in page
    auth.login("teacher")
    page = client.get("/kennisbank/agressief").get_data(as_text=True)
    assert "/ondersteuning/nieuw?dossier=agressief" in page
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert f"/ondersteuning/nieuw?vraag={qid}" in page
    # Only the asker is offered support from a question.
    auth.login("teacher2")
    assert "/ondersteuning/nieuw" not in client.get(f"/vragen/{qid}").get_data(as_text=True)


# ---- asking --------------------------------------------------------------------------------


def test_request_from_her_question_with_dutch_validation(app, client, auth):
    qid = ask(app)
    auth.login("teacher")
    page = client.get(f"/ondersteuning/nieuw?vraag={qid}").get_data(as_text=True)
    assert "Over je vraag" in page
    assert re.search(
        r'<option selected value="druk-impulsief">|value="druk-impulsief" selected', page
    )
    assert re.search(r'id="show_name"[^>]*checked|checked[^>]*id="show_name"', page)

    response = auth.post(f"/ondersteuning/nieuw?vraag={qid}", {"action": "post"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in [
        "Kies wat voor ondersteuning je wilt.",
        "Kies hoe je de expert wilt spreken.",
        "Schrijf op wat je wilt weten.",
        "Schrijf op wanneer je kunt.",
        "Kies hoe snel je hulp nodig hebt.",
        "Kies over welk soort gedrag het gaat.",
    ]:
        assert message in page, message
    assert 'class="error-summary"' in page

    # An observation is in the classroom; what she typed stays in the form.
    response = auth.post(
        f"/ondersteuning/nieuw?vraag={qid}", {**FORM, "channel": "video", "want_to_know": "kort"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Voor een observatie komt de expert naar je klas" in page
    assert "Schrijf in 20 tot 2000 tekens wat je wilt weten." in page
    assert AVAILABLE in page
    assert count(app, "support_requests") == 0

    response = auth.post(f"/ondersteuning/nieuw?vraag={qid}", {**FORM, "show_name": "y"})
    assert response.status_code == 302
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    saved = row(app, request_id)
    assert (saved["question_id"], saved["kind"], saved["status"]) == (qid, "observatie", "open")
    assert saved["want_to_know"] == WANT and saved["show_name"] == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je vraag om ondersteuning is verstuurd" in page and WANT in page
    # Asking again from the same question leads to the request she already has.
    again = client.get(f"/ondersteuning/nieuw?vraag={qid}")
    assert again.headers["Location"] == f"/ondersteuning/{request_id}"
    question_page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert (
        f"/ondersteuning/{request_id}" in question_page and "wacht op een expert" in question_page
    )


def test_request_from_scratch_and_from_a_dossier(app, client, auth):
    auth.login("expert")  # an expert asks for herself
    assert (
        auth.post(
            "/ondersteuning/nieuw", {**FORM, "kind": "coaching", "channel": "video"}
        ).status_code
        == 302
    )
    page = client.get("/ondersteuning/nieuw?dossier=agressief").get_data(as_text=True)
    assert 'value="agressief" selected' in page or 'selected value="agressief"' in page
    response = auth.post("/ondersteuning/nieuw?dossier=agressief", {**FORM, "cluster": "agressief"})
    assert response.status_code == 302
    assert (
        scalar(app, "SELECT dossier FROM support_requests ORDER BY id DESC LIMIT 1") == "agressief"
    )
    assert client.get("/ondersteuning/nieuw?dossier=bestaat-niet").status_code == 404
    # A double post (a retry after a lost connection) makes one request.
    key = {"form_key": "een-vaste-sleutel"}
    first = auth.post("/ondersteuning/nieuw", {**FORM, **key})
    second = auth.post("/ondersteuning/nieuw", {**FORM, **key})
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, "support_requests") == 3


def test_privacy_guard_warns_fixes_in_one_click_and_logs_an_override(app, client, auth):
    auth.login("teacher")
    named = {
        **FORM,
        "want_to_know": "Wat kan ik doen als Sanne van Dijk weer gaat gillen in de klas?",
    }
    response = auth.post("/ondersteuning/nieuw", named)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        "Let op: is hier een kind of gezin te herkennen?" in page and "<mark>Sanne van Dijk" in page
    )
    assert count(app, "support_requests") == 0
    # One click replaces it; still nothing is saved until she sends it.
    response = auth.post("/ondersteuning/nieuw", {**named, "privacy_fix": "all"})
    page = response.get_data(as_text=True)
    assert "Wat kan ik doen als [leerling] weer gaat gillen" in page
    assert count(app, "support_requests") == 0
    fixed = {**named, "want_to_know": "Wat kan ik doen als [leerling] weer gaat gillen in de klas?"}
    assert auth.post("/ondersteuning/nieuw", fixed).status_code == 302
    assert "Sanne" not in scalar(app, "SELECT want_to_know FROM support_requests")
    # A false alarm may be sent anyway; the audit log keeps the kinds, never the text.
    assert auth.post("/ondersteuning/nieuw", {**named, "action": "post_anyway"}).status_code == 302
    assert count(app, "support_requests") == 2
    detail = scalar(app, "SELECT detail FROM audit_log WHERE event = 'privacy_warning_overridden'")
    assert detail and "Sanne" not in detail
    # While typing, htmx shows the same panel.
    response = auth.post("/ondersteuning/controle", {"availability": "Bel me op 06-12345678"})
    assert response.status_code == 200 and "<mark>06-12345678" in response.get_data(as_text=True)


def test_an_anonymous_question_stays_anonymous_in_its_request(app, client, auth):
    qid = ask(app, anonymous=True)
    with app.app_context():
        accounts.set_profile(get_db(), user_id(app, "expert"), ["druk-impulsief"], "")
    auth.login("teacher")
    page = client.get(f"/ondersteuning/nieuw?vraag={qid}").get_data(as_text=True)
    assert not re.search(r'id="show_name"[^>]*checked|checked[^>]*id="show_name"', page)
    assert "Voor een observatie moet de expert wel weten op welke school" in page
    response = auth.post(f"/ondersteuning/nieuw?vraag={qid}", FORM)  # no show_name: unticked
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert row(app, request_id)["show_name"] == 0

    # The expert with matching expertise hears of it, without the teacher's name.
    [note] = notes(app, "expert", "support_request")
    assert note["subject"] == f"support:{request_id}"
    assert note["url"] == f"/ondersteuning/{request_id}"
    assert note["title"].startswith("Observatie in de klas: ")
    assert "Juf Anna" not in note["title"] + note["text"]
    assert notes(app, "teacher2", "support_request") == []  # a teacher does not take requests
    outbox = scalar(app, "SELECT body_text FROM outbox WHERE to_addr = 'ib@school.test'")
    assert "Juf Anna" not in outbox and "De Linde" not in outbox

    auth.login("expert")
    for url in ["/ondersteuning", f"/ondersteuning/{request_id}"]:
        page = client.get(url).get_data(as_text=True)
        assert "een leerkracht" in page, url
        assert "Juf Anna" not in page and "juf@school.test" not in page, url
        assert "De Linde" not in page.replace("Ib'er Carla", ""), url
    auth.post(f"/ondersteuning/{request_id}/nemen")
    page = client.get(f"/ondersteuning/{request_id}").get_data(as_text=True)
    assert "Juf Anna" not in page and "juf@school.test" not in page
    auth.login("coordinator")  # the coordinator sees no more of her than the experts
    page = client.get(f"/ondersteuning/{request_id}").get_data(as_text=True)
    assert "Juf Anna" not in page

    # When the expert takes it, she chooses to show her name and school.
    auth.login("teacher")
    page = client.get(f"/ondersteuning/{request_id}").get_data(as_text=True)
    assert "Je bent nog anoniem voor Ib&#39;er Carla" in page and "ib@school.test" in page
    auth.post(f"/ondersteuning/{request_id}/naam", {"show": "1"})
    assert row(app, request_id)["show_name"] == 1
    assert [n["text"] for n in notes(app, "expert", "support_update")] == [
        "De leerkracht laat je nu haar naam en school zien."
    ]
    auth.login("expert")
    page = client.get(f"/ondersteuning/{request_id}").get_data(as_text=True)
    assert "Juf Anna" in page and "De Linde" in page and "juf@school.test" in page


# ---- the expert's work ---------------------------------------------------------------------


def test_experts_see_matching_expertise_first_then_urgency_and_age(app, client, auth):
    with app.app_context():
        accounts.set_profile(get_db(), user_id(app, "expert"), ["angstig-teruggetrokken"], "")
    later = make_request(app, cluster="agressief", urgency="binnen-twee-weken")
    urgent = make_request(app, cluster="agressief", urgency="vandaag")
    mine = make_request(app, cluster="angstig-teruggetrokken", urgency="binnen-twee-weken")
    older = make_request(app, cluster="agressief", urgency="binnen-twee-weken")
    with app.app_context():
        get_db().conn.execute(
            "UPDATE support_requests SET created_at = ? WHERE id = ?",
            (clock.stamp_in(-timedelta(days=3)), older),
        )
    auth.login("expert")
    page = client.get("/ondersteuning").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'href="/ondersteuning/(\d+)"', page)]
    assert order == [mine, urgent, older, later]
    assert "past bij jouw expertise" in page and "vandaag nodig" in page


def test_two_experts_cannot_both_take_a_request(app, client, auth):
    request_id = make_request(app)
    add_expert(app)
    auth.login("expert")
    response = auth.post(f"/ondersteuning/{request_id}/nemen")
    assert (
        response.status_code == 302
        and response.headers["Location"] == f"/ondersteuning/{request_id}"
    )
    login_as(client, auth, "specialist@regio.test")
    response = auth.post(f"/ondersteuning/{request_id}/nemen", follow_redirects=True)
    assert "Een collega heeft deze vraag net genomen" in response.get_data(as_text=True)
    assert row(app, request_id)["taken_by"] == user_id(app, "expert")
    with app.app_context():  # the conditional UPDATE itself refuses a second taker
        assert not data.take(get_db(), request_id, user_id(app, "expert"))
    [note] = notes(app, "teacher", "support_update")
    assert note["text"] == "Ib'er Carla helpt je met je vraag om ondersteuning."
    assert note["url"] == f"/ondersteuning/{request_id}"
    # An expert never takes her own request.
    own = make_request(app, who="expert")
    auth.login("expert")
    assert auth.post(f"/ondersteuning/{own}/nemen").status_code == 403


def test_contact_agreed_moment_and_outcome_reach_the_teacher(app, client, auth):
    qid = ask(app)
    request_id = make_request(app, question_id=qid)
    take(app, request_id)
    auth.login("expert")
    assert auth.post(f"/ondersteuning/{request_id}/contact").status_code == 302
    assert row(app, request_id)["first_contact_at"]

    url = f"/ondersteuning/{request_id}/afspraak"
    response = auth.post(url, {"day": "", "time": "", "action": "post"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vul een datum in, bijvoorbeeld 15-01-2027." in page
    assert "Vul een tijd in, bijvoorbeeld 19:30." in page
    response = auth.post(url, {"day": "31-02-2027", "time": "10:00", "action": "post"})
    assert response.status_code == 400
    response = auth.post(url, {"day": "01-03-2020", "time": "10:00", "action": "post"})
    assert "Kies een moment dat nog moet komen." in response.get_data(as_text=True)
    assert row(app, request_id)["agreed_at"] is None

    day = (clock.now() + timedelta(days=9)).astimezone(clock.AMSTERDAM).date()
    note = "In groep 6, tijdens de rekenles."
    response = auth.post(
        url, {"day": day.isoformat(), "time": "10:30", "note": note, "action": "post"}
    )
    assert response.status_code == 302
    assert row(app, request_id)["agreed_at"] == f"{day.isoformat()}T10:30"
    assert row(app, request_id)["agreed_note"] == note

    url = f"/ondersteuning/{request_id}/uitkomst"
    response = auth.post(url, {"seen": "", "to_try": "kort", "action": "post"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Schrijf op wat je zag." in page
    assert "Schrijf in 10 tot 2000 tekens wat de leerkracht kan proberen." in page
    assert row(app, request_id)["status"] == "genomen"
    assert auth.post(url, OUTCOME).status_code == 302
    saved = row(app, request_id)
    assert saved["status"] == "afgerond" and saved["outcome_try"] == OUTCOME["to_try"]
    assert auth.post(url, OUTCOME).status_code == 302  # once done, nothing changes
    assert "Dit kan niet meer" in client.get(f"/ondersteuning/{request_id}").get_data(as_text=True)

    texts = [n["text"] for n in notes(app, "teacher", "support_update")]
    assert texts[0] == "Ib'er Carla helpt je met je vraag om ondersteuning."
    assert texts[1] == "Ib'er Carla heeft contact met je gehad."
    assert texts[2].startswith("Afspraak voor ondersteuning: ") and "10:30" in texts[2]
    assert texts[3] == "Ib'er Carla schreef op wat er uit kwam."
    auth.login("teacher")
    page = client.get(f"/ondersteuning/{request_id}").get_data(as_text=True)
    assert OUTCOME["seen"] in page and OUTCOME["follow_up"] in page
    assert clock.dag_datum_tijd(f"{day.isoformat()}T10:30") in page
    assert "Zet dit bij mijn vraag" in page


def test_privacy_guard_on_the_outcome(app, client, auth):
    request_id = make_request(app)
    take(app, request_id)
    auth.login("expert")
    named = {**OUTCOME, "seen": "Mohammed Yilmaz liep steeds weg bij de rekenles."}
    response = auth.post(f"/ondersteuning/{request_id}/uitkomst", named)
    assert response.status_code == 200 and "<mark>" in response.get_data(as_text=True)
    assert row(app, request_id)["status"] == "genomen"
    response = auth.post(f"/ondersteuning/{request_id}/uitkomst", {**named, "privacy_fix": "all"})
    assert "[leerling] liep steeds weg" in response.get_data(as_text=True)
    assert row(app, request_id)["outcome_seen"] is None


def test_the_outcome_becomes_an_expert_answer_to_her_question(app, client, auth):
    qid = ask(app)
    request_id = make_request(app, question_id=qid)
    take(app, request_id)
    finish(app, request_id)
    with app.app_context():  # a colleague who follows the question hears of the answer
        get_db().conn.execute(
            "INSERT INTO question_followers (question_id, user_id, created_at) VALUES (?, ?, ?)",
            (qid, user_id(app, "teacher2"), clock.stamp()),
        )
    auth.login("teacher")
    response = auth.post(f"/ondersteuning/{request_id}/bij-vraag")
    assert response.status_code == 302
    answer_id = row(app, request_id)["answer_id"]
    assert response.headers["Location"] == f"/vragen/{qid}#antwoord-{answer_id}"
    with app.app_context():
        [answer] = get_db().query("SELECT * FROM answers WHERE id = ?", [answer_id])
    assert answer["question_id"] == qid and answer["author_id"] == user_id(app, "expert")
    assert answer["kind"] == data.ANSWER_KIND
    assert OUTCOME["seen"] in answer["body"] and OUTCOME["to_try"] in answer["body"]
    assert OUTCOME["follow_up"] not in answer["body"]  # the follow-up is between the two
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Na een observatie in de klas." in page and "Dit hielp het meest" in page
    meta = page.split(f'id="antwoord-{answer_id}"')[1].split("</p>")[0]
    assert '<span class="badge">expert</span>' in meta and "na directe ondersteuning" in meta
    assert len(notes(app, "teacher2", "followed_answer")) == 1
    assert notes(app, "teacher", "answer") == []  # she put it there herself
    # Twice is once.
    auth.post(f"/ondersteuning/{request_id}/bij-vraag")
    assert count(app, "answers") == 1
    # She marks it as the most helpful answer: a resolved case for the next colleague.
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": answer_id})
    assert scalar(app, "SELECT status FROM questions WHERE id = ?", [qid]) == "resolved"


def test_withdraw_and_give_back(app, client, auth):
    qid = ask(app)
    first = make_request(app, question_id=qid)
    auth.login("teacher")
    assert auth.post(f"/ondersteuning/{first}/intrekken").status_code == 302
    assert row(app, first)["status"] == "ingetrokken"
    auth.login("expert")
    assert client.get(f"/ondersteuning/{first}").status_code == 404
    assert f'/ondersteuning/{first}"' not in client.get("/ondersteuning").get_data(as_text=True)
    # After withdrawing she may ask again from the same question.
    auth.login("teacher")
    assert client.get(f"/ondersteuning/nieuw?vraag={qid}").status_code == 200
    second = make_request(app, question_id=qid)
    take(app, second)
    auth.login("expert")
    assert auth.post(f"/ondersteuning/{second}/teruggeven").status_code == 302
    assert (row(app, second)["status"], row(app, second)["taken_by"]) == ("open", None)
    assert notes(app, "teacher", "support_update")[-1]["text"] == (
        "Je vraag om ondersteuning wacht weer op een expert."
    )
    take(app, second)
    auth.login("teacher")
    auth.post(f"/ondersteuning/{second}/intrekken")
    assert row(app, second)["status"] == "ingetrokken"
    assert notes(app, "expert", "support_update")[-1]["text"] == (
        "De leerkracht heeft de vraag om ondersteuning ingetrokken."
    )
    response = auth.post(f"/ondersteuning/{second}/intrekken", follow_redirects=True)
    assert "Dit kan niet meer" in response.get_data(as_text=True)


# ---- escalation ----------------------------------------------------------------------------

MONDAY = datetime(2027, 1, 11, 8, 30, tzinfo=clock.AMSTERDAM)
TUESDAY_10 = datetime(2027, 1, 12, 10, 0, tzinfo=clock.AMSTERDAM)
SATURDAY_10 = datetime(2027, 1, 16, 10, 0, tzinfo=clock.AMSTERDAM)


def test_a_request_nobody_takes_escalates_once_in_school_hours(app):
    with app.app_context():
        accounts.set_profile(get_db(), user_id(app, "expert"), ["druk-impulsief"], "")
    other = add_expert(app)
    waited = make_request(app)  # Monday 08:30: 6,5 + 1,5 = 8 school hours on Tuesday 10:00
    fresh = make_request(app)  # Tuesday 09:00: one school hour
    taken = make_request(app)
    take(app, taken)
    with app.app_context():
        db = get_db()
        for request_id, moment in [
            (waited, MONDAY),
            (fresh, TUESDAY_10 - timedelta(hours=1)),
            (taken, MONDAY),
        ]:
            db.conn.execute(
                "UPDATE support_requests SET created_at = ? WHERE id = ?",
                (clock.stamp(moment), request_id),
            )
        calendar = SchoolCalendar.from_config(app.config)
        assert app.config["SUPPORT_ESCALATE_AFTER_HOURS"] == 8
        # On a Saturday nobody is called, however long it waited.
        assert jobs.run(db, SATURDAY_10, calendar) == {"support_escalated": 0}
        assert jobs.run(db, TUESDAY_10 - timedelta(minutes=1), calendar) == {"support_escalated": 0}
        assert jobs.run(db, TUESDAY_10, calendar) == {"support_escalated": 1}
        assert jobs.run(db, TUESDAY_10 + timedelta(hours=1), calendar) == {"support_escalated": 0}
        escalated = {
            r[0]
            for r in db.execute("SELECT id FROM support_requests WHERE escalated_at IS NOT NULL")
        }
    assert escalated == {waited}
    # The coordinator hears of it, and the expert who had not been told; the one who was
    # told at once is not told twice.
    [note] = notes(app, "coordinator", "support_escalation")
    assert note["subject"] == f"support:{waited}" and note["url"] == f"/ondersteuning/{waited}"
    assert len(notes(app, other, "support_escalation")) == 1
    assert notes(app, "expert", "support_escalation") == []
    assert notes(app, "teacher", "support_escalation") == []


# ---- the coordinator's overview ------------------------------------------------------------


def test_coordinator_overview_hides_small_cells(app, client, auth):
    ids = [make_request(app) for _ in range(6)]  # De Linde: six
    for request_id in ids[:5]:
        take(app, request_id)
        with app.app_context():
            data.record_contact(get_db(), request_id, user_id(app, "expert"))
    make_request(app, who="teacher2", cluster="agressief")  # De Esdoorn: two
    anonymous = make_request(app, who="teacher2", cluster="agressief", show_name=False)
    auth.login("coordinator")
    page = client.get("/ondersteuning/overzicht").get_data(as_text=True)
    rows = {
        m.group(1): m.group(0) for m in re.finditer(r"<tr>\s*<td>([^<]+)</td>.*?</tr>", page, re.S)
    }
    assert "<td>6</td>" in rows["De Linde"] and "<td>5</td>" in rows["De Linde"]
    assert "minder dan 5" in rows["De Esdoorn"] and "<td>2</td>" not in rows["De Esdoorn"]
    assert "<td>6</td>" in rows["Druk, onrustig en impulsief"]
    assert "minder dan 5" in rows["Agressief gedrag"]
    assert "<td>0</td>" in rows["Overig"]
    # The median time to first contact is shown where at least five had contact.
    assert re.search(r"Eerste contact na <strong>[^<]+</strong> schooltijd \(mediaan\)", page)
    # Each waiting request is listed; a teacher who keeps her name is "een leerkracht".
    waiting = page.split('id="waiting-head"')[1]
    assert f"/ondersteuning/{anonymous}" in waiting and f"/ondersteuning/{ids[5]}" in waiting
    assert f'/ondersteuning/{ids[0]}"' not in waiting
    assert "door een leerkracht" in waiting and "door Meester Bas" in waiting
    assert "3 vragen wachten op een expert" in re.sub(r"</?strong>", "", page)


def test_funnel_export_and_forget(app):
    qid = ask(app)
    done = make_request(app, question_id=qid)
    take(app, done)
    finish(app, done)
    running = make_request(app, who="teacher2", cluster="agressief")
    take(app, running)
    make_request(app, cluster="agressief")
    with app.app_context():
        db = get_db()
        data.add_to_question(db, done, user_id(app, "teacher"))
        funnel = data.funnel(db)
        assert (funnel["made"], funnel["taken"], funnel["with_outcome"]) == (3, 2, 1)
        assert funnel["added_to_question"] == 1
        assert funnel["per_cluster"]["agressief"]["made"] == 2
        assert funnel["per_cluster"]["druk-impulsief"]["with_outcome"] == 1
        assert funnel["per_cluster"]["overig"]["made"] == 0

        mine = data.export(db, user_id(app, "teacher"))
        assert len(mine["support_requests_made"]) == 2
        assert mine["support_requests_made"][0]["want_to_know"] == WANT
        assert mine["support_requests_made"][0]["expert"] == "Ib'er Carla"
        work = data.export(db, user_id(app, "expert"))
        assert {r["id"] for r in work["support_requests_taken"]} == {done, running}

        # The expert leaves: the request she had not finished goes back to the others.
        data.forget(db, user_id(app, "expert"))
        assert data.get_request(db, running)["status"] == "open"
        assert data.get_request(db, running)["taken_by"] is None
        assert data.get_request(db, done)["outcome_seen"] == OUTCOME["seen"]  # for the teacher
        # The teacher leaves: her requests keep only what the figures need.
        data.forget(db, user_id(app, "teacher"))
        for r in db.query("SELECT * FROM support_requests WHERE id != ?", [running]):
            assert r["requested_by"] is None and r["want_to_know"] == "" and not r["outcome_seen"]
        assert data.funnel(db)["made"] == 3
        # The answer on the question stays: knowledge the region built on.
        assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 1


# ---- the demo region -----------------------------------------------------------------------


def test_demo_support_loads_relative_to_now(app):
    people = {"ruben": user_id(app, "teacher"), "esther": user_id(app, "teacher2")}
    people["mirjam"] = user_id(app, "expert")
    question_ids = {
        "demo-open-13": ask(app, cluster="agressief"),
        "demo-open-22": ask(app, who="teacher2", title="Jongen staat steeds op tijdens het werk"),
    }
    now = datetime(2027, 3, 10, 12, 0, tzinfo=clock.AMSTERDAM)
    with app.app_context():
        db = get_db()
        assert demo.load(db, ROOT / "content" / "demo", people, question_ids, now) == 2
        waiting, done = list(db.query("SELECT * FROM support_requests ORDER BY id"))
    assert waiting["status"] == "open" and waiting["cluster"] == "agressief"
    assert waiting["question_id"] == question_ids["demo-open-13"] and waiting["show_name"] == 1
    assert waiting["created_at"] == clock.stamp(datetime(2027, 3, 8, 9, 15, tzinfo=clock.AMSTERDAM))
    assert done["status"] == "afgerond" and done["taken_by"] == people["mirjam"]
    assert done["cluster"] == "druk-impulsief"
    assert done["agreed_at"] == "2027-03-02T10:30"
    asked = datetime(2027, 2, 26, 9, 15, tzinfo=clock.AMSTERDAM)
    assert done["created_at"] == clock.stamp(asked)
    assert done["first_contact_at"] == clock.stamp(asked + timedelta(hours=5))
    assert done["outcome_try"].startswith("Geef hem een kaartje")
    assert done["outcome_at"] <= clock.stamp(now)
