"""Leerkrachtkringen: starting a circle, meetings in the agenda, cases, steps, sharing lessons."""

import json
import re
from datetime import datetime, timedelta

import icalendar
import pytest

from portal import clock
from portal import demo as portal_demo
from portal.accounts import gdpr
from portal.accounts import users as accounts
from portal.circles import data, jobs, methods, publish
from portal.circles import demo as circles_demo
from portal.db import get_db, get_index
from portal.notifications import notify

from .helpers import USERS, ask, count, scalar, user_id

ROLES = ["anonymous", "teacher", "expert", "parent", "coordinator"]

# Role x route matrix of this feature (format of tests/test_access.py's ROWS). In the
# fixture circle the teacher is a member, the expert is the facilitator and the coordinator
# an organiser outside the circle (she sees members and meetings, never cases or lessons).
# {c} circle, {m} its meeting, {k} a case brought in, {l} a lesson, {s} a method, {p} a step.
ROWS = """
GET  /kringen                                   302 200 200 403 200
GET  /kringen/methoden                          302 200 200 403 200
GET  /kringen/methoden/{s}                      302 200 200 403 200
GET  /kringen/nieuw                             302 403 200 403 200
POST /kringen/nieuw                             401 403 400 403 400
GET  /kringen/{c}                               302 200 200 403 200
GET  /kringen/{c}/bewerken                      302 403 200 403 200
POST /kringen/{c}/bewerken                      401 403 400 403 400
GET  /kringen/{c}/bijeenkomsten/nieuw           302 403 200 403 200
POST /kringen/{c}/bijeenkomsten/nieuw           401 403 400 403 400
GET  /kringen/{c}/bijeenkomsten/{m}/bewerken    302 403 200 403 200
POST /kringen/{c}/bijeenkomsten/{m}/bewerken    401 403 400 403 400
POST /kringen/{c}/bijeenkomsten/{m}/afzeggen    401 403 302 403 302
GET  /kringen/{c}/bijeenkomsten/{m}.ics         302 200 200 403 403
GET  /kringen/{c}/bijeenkomsten/{m}/casus       302 200 403 403 403
POST /kringen/{c}/bijeenkomsten/{m}/casus       401 400 403 403 403
GET  /kringen/{c}/casussen/{k}                  302 200 200 403 403
POST /kringen/{c}/casussen/{k}/stappen/{p}      401 403 302 403 403
POST /kringen/{c}/casussen/{k}/methode          401 403 302 403 403
POST /kringen/{c}/geleerd                       401 400 400 403 403
GET  /kringen/{c}/geleerd/{l}/delen             302 403 200 403 403
POST /kringen/{c}/geleerd/{l}/delen/casus       401 403 400 403 403
POST /kringen/{c}/geleerd/{l}/delen/dossier     401 403 400 403 403
"""
MATRIX = []
for _line in ROWS.strip().splitlines():
    _method, _template, *_codes = _line.split()
    MATRIX.append((_method, _template, dict(zip(ROLES, map(int, _codes), strict=True))))
FORM = {
    "/kringen/{c}/casussen/{k}/stappen/{p}": {"text": "Een leerling gooit zijn tafel om."},
    "/kringen/{c}/casussen/{k}/methode": {"method": "roddelmethode"},
}
EXTRA = ["Juf Fenna", "Meester Gijs", "Juf Hanna", "Meester Ivo", "Juf Jet", "Meester Kees"]
STEP_TEXT = "Groep 7, na de gym. Een jongen schopt tegen een tafel als hij verliest."


@pytest.fixture
def people(app):
    """The fixture accounts plus six more teachers: enough for any circle."""
    with app.app_context():
        db = get_db()
        school = db.execute("SELECT id FROM schools WHERE name = 'De Esdoorn'").fetchone()[0]
        extra = [
            accounts.create_user(db, f"extra{n}@school.test", name, "teacher", school)
            for n, name in enumerate(EXTRA)
        ]
    return {**{key: user_id(app, key) for key in USERS}, "extra": extra}


def _tomorrow(days: int = 1) -> str:
    return (clock.now().astimezone(clock.AMSTERDAM) + timedelta(days=days)).strftime("%Y-%m-%d")


def _circle_form(people, members=None, **fields):
    members = members if members is not None else [people["teacher"], *people["extra"][:3]]
    return {
        "name": "Kring Boosheid",
        "cluster": "agressief",
        "theme": "Wat doe je op het moment zelf?",
        "facilitator": people["expert"],
        "members": members,
        "mode": "fysiek",
        "place": "De Linde, teamkamer",
        **fields,
    }


def _meeting_form(**fields):
    return {
        "day": _tomorrow(14),
        "time": "15:30",
        "minutes": "90",
        "method": "incidentmethode",
        "place": "",
        "agenda": "Kennismaken. Eerste casus met de incidentmethode.",
        **fields,
    }


def _start_circle(auth, people, who="coordinator", **fields) -> int:
    auth.login(who)
    response = auth.post("/kringen/nieuw", _circle_form(people, **fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/kringen/(\d+)/", response.headers["Location"]).group(1))


def _plan(auth, circle_id, **fields) -> int:
    response = auth.post(f"/kringen/{circle_id}/bijeenkomsten/nieuw", _meeting_form(**fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"bijeenkomst-(\d+)", response.headers["Location"]).group(1))


def _bring(auth, circle_id, meeting_id, **fields) -> int:
    auth.login("teacher")
    data_ = {"question": "", "title": "Jongen schopt tegen de tafel na verlies", "summary": "",
             **fields}  # fmt: skip
    response = auth.post(f"/kringen/{circle_id}/bijeenkomsten/{meeting_id}/casus", data_)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def setup(app, auth, people):
    """A circle with a planned meeting, a case brought in and a lesson written down."""
    circle_id = _start_circle(auth, people)
    meeting_id = _plan(auth, circle_id)
    case_id = _bring(auth, circle_id, meeting_id)
    auth.login("teacher")
    response = auth.post(
        f"/kringen/{circle_id}/geleerd",
        {"body": "Een afspraak vooraf werkt beter dan corrigeren op het moment zelf.",
         "case": str(case_id)},
    )  # fmt: skip
    assert response.status_code == 302
    lesson_id = scalar(app, "SELECT max(id) FROM circle_lessons")
    return {"c": circle_id, "m": meeting_id, "k": case_id, "l": lesson_id}


def _ics(text: str):
    cal = icalendar.Calendar.from_ical(text)
    event = next(c for c in cal.walk("VEVENT"))
    return cal, event


# ---- the role x route matrix --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "template", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX]
)
def test_role_matrix(app, client, auth, setup, method, template, expected):
    url = template.format(s="incidentmethode", p="inbreng", **setup)
    for role in ROLES:
        if role == "anonymous":
            auth.logout()
        else:
            auth.login(role)
        get = method == "GET"
        response = client.get(url) if get else auth.post(url, FORM.get(template, {}))
        assert response.status_code == expected[role], f"{role} {method} {url}"


def test_a_teacher_outside_the_circle_finds_nothing(app, client, auth, setup, people):
    auth.login("teacher2")  # not a member: every page of the circle is a 404
    for method, template, _ in MATRIX:
        if "{c}" not in template:
            continue
        url = template.format(s="incidentmethode", p="inbreng", **setup)
        response = client.get(url) if method == "GET" else auth.post(url, FORM.get(template))
        assert response.status_code == 404, f"{method} {url}"
    assert "Kring Boosheid" not in client.get("/kringen").get_data(as_text=True)
    # Ids of another circle's meeting, case or lesson do not work in her own circle's URLs.
    own = _start_circle(auth, people, members=people["extra"][2:6], facilitator=people["teacher2"])
    auth.login("teacher2")
    for url in [
        f"/kringen/{own}/bijeenkomsten/{setup['m']}.ics",
        f"/kringen/{own}/bijeenkomsten/{setup['m']}/bewerken",
        f"/kringen/{own}/casussen/{setup['k']}",
    ]:
        assert client.get(url).status_code == 404, url
    assert auth.post(f"/kringen/{own}/geleerd/{setup['l']}/delen/casus").status_code == 404


def test_the_coordinator_sees_the_circle_but_not_what_is_said(client, auth, setup):
    auth.login("coordinator")
    page = client.get(f"/kringen/{setup['c']}").get_data(as_text=True)
    assert "Kring Boosheid" in page and "Juf Fenna" in page and "Kennismaken" in page
    assert "Jongen schopt tegen de tafel" not in page
    assert "Een afspraak vooraf werkt beter" not in page
    assert "1 casus ingebracht" in page
    assert client.get(f"/kringen/{setup['c']}/casussen/{setup['k']}").status_code == 403
    overview = client.get("/kringen").get_data(as_text=True)
    assert "Alle kringen in de regio" in overview or "Mijn kringen" in overview
    assert "Kring Boosheid" in overview


# ---- starting a circle --------------------------------------------------------------------


def test_starting_a_circle_validates_in_dutch_and_changes_nothing(app, client, auth, people):
    auth.login("coordinator")
    few = [people["teacher"], *people["extra"][:2]]
    cases_ = [
        ({"members": few}, "Kies 4 tot 8 leden (nu 3)."),
        ({"members": [people["expert"], people["teacher"], *people["extra"][:3]]},
         "De begeleider staat ook bij de leden"),
        ({"name": ""}, "Geef de kring een naam."),
        ({"cluster": ""}, "Kies over welk soort gedrag de kring gaat."),
        ({"facilitator": "0"}, "Kies wie de kring begeleidt."),
        ({"mode": "online", "place": "in de aula"}, "Die begint met https://."),
    ]  # fmt: skip
    for fields, message in cases_:
        response = auth.post("/kringen/nieuw", _circle_form(people, **fields))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        assert message in page.replace("&#39;", "'"), (fields, message)
        assert 'class="error-summary"' in page
        assert count(app, "circles") == 0 and count(app, "circle_members") == 0
    # Nothing typed is lost: the name and the chosen members are still there.
    response = auth.post("/kringen/nieuw", _circle_form(people, members=few, name="Kring Rust"))
    page = response.get_data(as_text=True)
    assert 'value="Kring Rust"' in page
    assert f'value="{people["extra"][0]}" id="members-{people["extra"][0]}" checked' in page
    # Nine members is too many.
    nine = [people["teacher"], people["teacher2"], *people["extra"], people["coordinator"]]
    response = auth.post("/kringen/nieuw", _circle_form(people, members=nine))
    assert response.status_code == 400 and count(app, "circles") == 0
    circle_id = _start_circle(auth, people, mode="online", place="https://meet.example/kring")
    assert count(app, "circle_members") == 4
    with app.app_context():
        circle = data.get_circle(get_db(), circle_id)
    assert circle["facilitator_id"] == people["expert"] and circle["mode"] == "online"
    assert scalar(app, "SELECT count(*) FROM audit_log WHERE event = 'circle_created'") == 1


def test_an_expert_starts_a_circle_and_edits_its_members(app, client, auth, people):
    auth.login("teacher")
    assert client.get("/kringen/nieuw").status_code == 403
    auth.login("expert")
    page = client.get("/kringen/nieuw").get_data(as_text=True)
    assert f'<option selected value="{people["expert"]}">' in page  # she leads it herself
    circle_id = _start_circle(auth, people, who="expert")
    new_members = [people["teacher2"], *people["extra"][2:6]]
    response = auth.post(f"/kringen/{circle_id}/bewerken", _circle_form(people, new_members))
    assert response.status_code == 302
    with app.app_context():
        ids = {m["id"] for m in data.members(get_db(), circle_id)}
    assert ids == set(new_members)
    response = auth.post(f"/kringen/{circle_id}/bewerken", _circle_form(people, new_members[:2]))
    assert response.status_code == 400
    with app.app_context():
        assert len(data.members(get_db(), circle_id)) == 5  # unchanged
    auth.login("teacher")  # removed from the circle: it is gone for her
    assert client.get(f"/kringen/{circle_id}").status_code == 404


# ---- meetings, notifications, the agenda item ----------------------------------------------


def test_meetings_notify_members_with_an_agenda_item(app, client, auth, people, setup):
    circle_id, meeting_id = setup["c"], setup["m"]
    inside = {people["teacher"], *people["extra"][:3], people["expert"]}
    with app.app_context():
        db = get_db()
        rows = list(db.query("SELECT * FROM notifications WHERE kind = 'circle_meeting'"))
        assert {r["user_id"] for r in rows} == inside
        assert {r["subject"] for r in rows} == {f"meeting:{meeting_id}:0"}
        assert rows[0]["url"] == f"/kringen/{circle_id}#bijeenkomst-{meeting_id}"
        mails = list(db.query("SELECT * FROM outbox WHERE attachments IS NOT NULL"))
    assert len(mails) == len(inside)  # circle_meeting mails at once by default
    attachment = json.loads(mails[0]["attachments"])[0]
    assert attachment["name"] == "bijeenkomst.ics" and attachment["type"] == "text/calendar"
    cal, event = _ics(attachment["text"])
    assert str(cal["METHOD"]) == "REQUEST"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART").strftime("%Y-%m-%d %H:%M") == f"{_tomorrow(14)} 15:30"
    assert event.decoded("DTSTART").utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert "\r\n" in attachment["text"] and "VTIMEZONE" in attachment["text"]
    assert all(len(line.encode()) <= 75 for line in attachment["text"].split("\r\n"))
    uid = str(event["UID"])

    # Moved: everyone hears of it again, and the agenda item is the same one, updated.
    auth.login("coordinator")
    response = auth.post(
        f"/kringen/{circle_id}/bijeenkomsten/{meeting_id}/bewerken",
        _meeting_form(time="16:00"),
    )
    assert response.status_code == 302
    assert scalar(app, "SELECT count(*) FROM notifications WHERE subject = ?",
                  (f"meeting:{meeting_id}:1",)) == len(inside)  # fmt: skip
    auth.login("teacher")
    response = client.get(f"/kringen/{circle_id}/bijeenkomsten/{meeting_id}.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    _, event = _ics(response.get_data(as_text=True))
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").strftime("%H:%M") == "16:00"

    # The same data again changes nothing and tells nobody.
    auth.login("coordinator")
    auth.post(
        f"/kringen/{circle_id}/bijeenkomsten/{meeting_id}/bewerken", _meeting_form(time="16:00")
    )
    assert scalar(app, "SELECT sequence FROM circle_meetings WHERE id = ?", (meeting_id,)) == 1

    # Cancelled: a CANCEL for the same item, with a higher sequence.
    response = auth.post(f"/kringen/{circle_id}/bijeenkomsten/{meeting_id}/afzeggen")
    assert response.status_code == 302
    with app.app_context():
        row = (
            get_db()
            .execute(
                "SELECT attachments FROM outbox WHERE dedupe_key = ?",
                (f"circle_meeting:{people['teacher']}:meeting:{meeting_id}:2",),
            )
            .fetchone()
        )
    cal, event = _ics(json.loads(row[0])[0]["text"])
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2 and str(event["UID"]) == uid
    auth.login("teacher")
    page = client.get(f"/kringen/{circle_id}").get_data(as_text=True)
    assert "gaat niet door" in page
    notes = client.get("/meldingen").get_data(as_text=True)
    assert "Bijeenkomst van je leerkrachtkring gaat niet door" in notes


def test_a_meeting_needs_a_moment_ahead_and_says_so_in_dutch(app, auth, setup):
    auth.login("coordinator")
    before = count(app, "circle_meetings"), count(app, "notifications")
    url = f"/kringen/{setup['c']}/bijeenkomsten/nieuw"
    yesterday = _tomorrow(-1)
    for fields, message in [
        ({"day": yesterday}, "Dit moment is al voorbij."),
        ({"day": "31-02-2027"}, "Vul een datum in"),
        ({"time": "half vier"}, "Vul een tijd in"),
        ({"minutes": "10"}, "Een bijeenkomst duurt 30 tot 240 minuten."),
        ({"method": "bestaat-niet"}, "Kies een van de intervisiemethoden uit de lijst."),
    ]:
        response = auth.post(url, _meeting_form(**fields))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        assert message.lower() in page.lower(), (fields, message)
    assert (count(app, "circle_meetings"), count(app, "notifications")) == before
    # Typed Dutch dates work without a date picker.
    _plan(auth, setup["c"], day=datetime.strptime(_tomorrow(3), "%Y-%m-%d").strftime("%d-%m-%Y"))


def test_the_daily_digest_includes_circle_meetings(app, auth, people, setup):
    with app.app_context():
        db = get_db()
        notify.set_prefs(db, people["teacher"], {"circle_meeting": "daily"})
    auth.login("coordinator")
    _plan(auth, setup["c"], day=_tomorrow(21), agenda="Tweede bijeenkomst")
    with app.app_context():
        db = get_db()
        own = db.execute(
            "SELECT count(*) FROM outbox WHERE to_addr = ? AND dedupe_key LIKE 'circle_meeting:%'",
            (USERS["teacher"][0],),
        ).fetchone()[0]
        assert own == 1  # only the first meeting's (before she chose daily)
        assert notify.queue_digests(db) >= 1
        digest = db.execute(
            "SELECT body_text FROM outbox WHERE dedupe_key LIKE ?",
            (f"digest:{people['teacher']}:%",),
        ).fetchone()[0]
    assert "Kring Boosheid" in digest and "Nieuwe bijeenkomst van je leerkrachtkring" in digest


def test_the_reminder_job_reminds_once_the_day_before(app, auth, people, setup):
    auth.login("coordinator")
    meeting_id = _plan(auth, setup["c"], day=_tomorrow(1), time="15:30")
    inside = 5
    today = clock.now().astimezone(clock.AMSTERDAM).date()
    morning = datetime.combine(today, datetime.min.time(), clock.AMSTERDAM) + timedelta(hours=10)
    night = morning - timedelta(hours=5)
    with app.app_context():
        db = get_db()
        assert jobs.run(db, night)["circle_reminders"] == 0  # nobody is mailed at 5 in the night
        first = jobs.run(db, morning)
        again = jobs.run(db, morning + timedelta(hours=2))
    assert first == {"circle_reminders": inside, "circle_meetings_reminded": 1}
    assert again == {"circle_reminders": 0, "circle_meetings_reminded": 0}
    subject = f"meeting:{meeting_id}:0:herinnering"
    assert scalar(app, "SELECT count(*) FROM notifications WHERE subject = ?", (subject,)) == 5
    assert "Morgen" in scalar(app, "SELECT text FROM notifications WHERE subject = ?", (subject,))
    # The meeting in two weeks is not due yet; a moved meeting is reminded again.
    auth.post(
        f"/kringen/{setup['c']}/bijeenkomsten/{meeting_id}/bewerken",
        _meeting_form(day=_tomorrow(1), time="16:00"),
    )
    with app.app_context():
        assert jobs.run(get_db(), morning)["circle_meetings_reminded"] == 1
        # A cancelled meeting is not reminded.
        get_db().conn.execute("UPDATE circle_meetings SET cancelled_at = 'x', sequence = 9")
        assert jobs.run(get_db(), morning)["circle_reminders"] == 0


# ---- cases and their steps ----------------------------------------------------------------


def test_bringing_in_a_case_goes_through_the_privacy_guard(app, client, auth, setup):
    url = f"/kringen/{setup['c']}/bijeenkomsten/{setup['m']}/casus"
    auth.login("teacher")
    before = count(app, "circle_cases")
    fields = {"question": "", "title": "Daan schopt tegen de tafel als hij verliest",
              "summary": "Hij zit in groep 7 op De Linde."}  # fmt: skip
    response = auth.post(url, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Let op: is hier een kind" in page
    assert count(app, "circle_cases") == before  # warned, nothing saved
    assert 'value="Daan schopt tegen de tafel' in page  # nothing typed is lost
    response = auth.post(url, {**fields, "privacy_fix": "all"})
    page = response.get_data(as_text=True)
    assert "[leerling] schopt" in page and "[school]" in page and count(app, "circle_cases") == 1
    response = auth.post(url, {**fields, "title": "[leerling] schopt tegen de tafel",
                               "summary": "Groep 7."})  # fmt: skip
    assert response.status_code == 302 and count(app, "circle_cases") == before + 1
    # "Post anyway" is hers to choose inside the circle, and it is logged (kinds only).
    response = auth.post(url, {**fields, "action": "post_anyway"})
    assert response.status_code == 302
    assert scalar(app, "SELECT detail FROM audit_log WHERE event = 'privacy_warning_overridden'"
                  ) == "name,school"  # fmt: skip


def test_a_member_brings_in_one_of_her_own_questions(app, client, auth, setup):
    own = ask(app, who="teacher", title="Leerling in groep 6 slaat als hij boos wordt")
    other = ask(app, who="teacher2", title="Een vraag van een collega over boosheid")
    url = f"/kringen/{setup['c']}/bijeenkomsten/{setup['m']}/casus"
    auth.login("teacher")
    page = client.get(url).get_data(as_text=True)
    assert "Leerling in groep 6 slaat" in page and "Een vraag van een collega" not in page
    response = auth.post(url, {"question": str(other), "title": ""})
    assert response.status_code == 400
    assert "Kies een van je eigen vragen." in response.get_data(as_text=True)
    response = auth.post(url, {"question": str(own), "title": "", "summary": ""})
    assert response.status_code == 302
    with app.app_context():
        case = data.get_case(
            get_db(), setup["c"], int(response.headers["Location"].rsplit("/")[-1])
        )
    assert case["question_id"] == own and case["title"].startswith("Leerling in groep 6")
    assert case["summary"].startswith("Hij kan niet wachten")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/vragen/{own}"' in page


def test_the_facilitator_records_the_case_step_by_step(app, client, auth, setup):
    base = f"/kringen/{setup['c']}/casussen/{setup['k']}"
    method = methods.get("incidentmethode")
    auth.login("teacher")
    assert auth.post(f"{base}/stappen/inbreng", {"text": STEP_TEXT}).status_code == 403
    auth.login("expert")
    page = client.get(base).get_data(as_text=True)
    assert "0 van 9 stappen vastgelegd" in page
    assert f"Stap 1: {method.steps[0].title}" in page and method.steps[0].record in page
    response = auth.post(f"{base}/stappen/keuze", {"text": "De groep koos de tafel."})
    assert response.status_code == 302 and "stap=inbreng" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Opgeslagen: Een incident kiezen." in page and "Stap 2: Het incident" in page
    # With htmx the next step's form comes back in place, without a page load.
    response = auth.post(
        f"{base}/stappen/inbreng", {"text": STEP_TEXT}, headers={"HX-Request": "true"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert 'id="recorder"' in fragment and "2 van 9 stappen vastgelegd" in fragment
    assert "Stap 3: De vraag scherp maken" in fragment
    # A name in a step: warned, nothing saved until it is fixed or judged a false alarm.
    response = auth.post(f"{base}/stappen/vraag", {"text": "Wat doe ik als Daan weer boos wordt?"})
    assert response.status_code == 200 and "Let op" in response.get_data(as_text=True)
    with app.app_context():
        steps = data.get_case(get_db(), setup["c"], setup["k"])["steps"]
    assert set(steps) == {"keuze", "inbreng"} and steps["inbreng"] == STEP_TEXT
    for key in method.keys[2:]:
        assert auth.post(f"{base}/stappen/{key}", {"text": f"Wat er bij {key} gezegd is."}
                         ).status_code == 302  # fmt: skip
    page = client.get(base).get_data(as_text=True)
    assert "9 van 9 stappen vastgelegd" in page and "Wat de inbrenger meeneemt" in page
    # An empty text clears a step; an unknown step does not exist.
    auth.post(f"{base}/stappen/kern", {"text": ""})
    assert "8 van 9" in client.get(base).get_data(as_text=True)
    assert auth.post(f"{base}/stappen/bestaat-niet", {"text": "x"}).status_code == 404
    # Members read what was recorded.
    auth.login("teacher")
    page = client.get(base).get_data(as_text=True)
    assert STEP_TEXT in page and 'id="vastleggen"' not in page


def test_the_method_of_a_case_changes_only_before_anything_is_recorded(app, client, auth, setup):
    base = f"/kringen/{setup['c']}/casussen/{setup['k']}"
    auth.login("expert")
    auth.post(f"{base}/methode", {"method": "roddelmethode"})
    assert scalar(app, "SELECT method FROM circle_cases WHERE id = ?", (setup["k"],)) == (
        "roddelmethode"
    )
    assert "De groep praat, de inbrenger luistert" in client.get(base).get_data(as_text=True)
    auth.post(f"{base}/stappen/inbreng", {"text": STEP_TEXT})
    auth.post(f"{base}/methode", {"method": "incidentmethode"})
    assert scalar(app, "SELECT method FROM circle_cases WHERE id = ?", (setup["k"],)) == (
        "roddelmethode"
    )


# ---- what the circle learned, shared with the region ----------------------------------------


def test_a_lesson_is_published_as_a_resolved_case_that_search_finds(app, client, auth, setup):
    share = f"/kringen/{setup['c']}/geleerd/{setup['l']}/delen"
    auth.login("expert")
    page = client.get(share).get_data(as_text=True)
    assert "Jongen schopt tegen de tafel na verlies" in page  # the case's title to start from
    fields = {
        "cluster": "agressief",
        "title": "Jongen op De Linde schopt tegen de tafel na verlies",
        "body": "Een jongen in groep 7 schopt tegen een tafel als zijn team verliest.",
        "answer": "Een afspraak vooraf werkt beter dan corrigeren op het moment zelf: "
        "een rustplek en een teken.",
    }
    questions = count(app, "questions")
    response = auth.post(f"{share}/casus", fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "niemand herkenbaar" in page
    assert "toch plaatsen" not in page  # no "post anyway" for what goes to the region
    assert count(app, "questions") == questions and count(app, "search_docs") == scalar(
        app, "SELECT count(*) FROM search_docs"
    )
    response = auth.post(f"{share}/casus", {**fields, "privacy_fix": "all"})
    assert "[school]" in response.get_data(as_text=True) and count(app, "questions") == questions
    response = auth.post(f"{share}/casus", {**fields, "title": fields["title"].replace(
        " op De Linde", "")})  # fmt: skip
    assert response.status_code == 302
    question_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        db = get_db()
        q = next(iter(db.query("SELECT * FROM questions WHERE id = ?", [question_id])))
        assert q["status"] == "resolved" and q["best_answer_id"]
        assert publish.LABEL in q["body"]
        author = accounts.get_user(db, q["author_id"])
        assert author["system"] and author["name"] == "Geleerd in de kring"
        answer = db.execute("SELECT author_id, body FROM answers WHERE id = ?",
                            (q["best_answer_id"],)).fetchone()  # fmt: skip
        assert answer[0] == user_id(app, "expert") and "rustplek" in answer[1]
        assert db.execute(
            "SELECT 1 FROM search_docs WHERE kind = 'case' AND target = ?", (str(question_id),)
        ).fetchone()
        hits = get_index().search(db.conn, "jongen schopt tafel verliest team", k=5, kind="case")
        assert str(question_id) in [h.target for h in hits]
        lesson = data.get_lesson(db, setup["c"], setup["l"])
    assert lesson["published_as"] == "case" and lesson["question_id"] == question_id
    # Found in the region's search of resolved cases, by a colleague outside the circle.
    auth.login("teacher2")
    page = client.get("/casussen?zoek=schopt+tegen+de+tafel").get_data(as_text=True)
    assert f'href="/vragen/{question_id}"' in page
    assert "geleerd in een leerkrachtkring" in client.get(f"/vragen/{question_id}").text
    # Members hear of it; a second publication is refused.
    assert scalar(app, "SELECT count(*) FROM notifications WHERE kind = 'circle_published'") == 4
    auth.login("expert")
    assert auth.post(f"{share}/casus", fields).status_code == 302
    assert count(app, "questions") == questions + 1


def test_a_lesson_is_proposed_as_a_dossier_addition(app, client, auth, setup):
    share = f"/kringen/{setup['c']}/geleerd/{setup['l']}/delen/dossier"
    auth.login("expert")
    text = "Maak met een leerling die snel boos wordt vooraf een plan voor het moment zelf."
    assert auth.post(share, {"target": "", "text": text}).status_code == 400
    assert auth.post(share, {"target": "agressief#bestaat-niet", "text": text}).status_code == 400
    response = auth.post(
        share, {"target": "agressief#wat-kun-je-doen", "text": text + " Bel 06-12345678."}
    )
    assert response.status_code == 400 and count(app, "dossier_versions") == 0
    response = auth.post(share, {"target": "agressief#wat-kun-je-doen", "text": text})
    assert response.status_code == 302
    with app.app_context():
        db = get_db()
        version = db.execute("SELECT * FROM dossier_versions").fetchone()
    markdown = version[2]
    before_tools = markdown.split("## Wat kun je doen", 1)[1].split("### Voor de hele groep")[0]
    assert f"{publish.DOSSIER_MARK} {text}" in before_tools
    assert version[4] == "proposed"
    # The coordinator decides in the kennisbank's own review.
    auth.login("coordinator")
    assert "agressief" in client.get("/kennisbank/beheer").get_data(as_text=True).lower()
    assert scalar(app, "SELECT count(*) FROM notifications WHERE kind = 'circle_published' "
                  "AND user_id = ?", (user_id(app, "coordinator"),)) == 1  # fmt: skip
    response = auth.post(f"/kennisbank/voorstellen/{version[0]}/goedkeuren")
    assert response.status_code == 302
    assert "Geleerd in de kring:" in client.get("/kennisbank/agressief").get_data(as_text=True)
    auth.login("teacher")
    assert "staat in het dossier" in client.get(f"/kringen/{setup['c']}").get_data(as_text=True)


def test_writing_a_lesson_validates_and_stays_in_the_circle(app, client, auth, setup):
    auth.login("teacher")
    url = f"/kringen/{setup['c']}/geleerd"
    before = count(app, "circle_lessons")
    response = auth.post(url, {"body": "kort"})
    assert response.status_code == 400 and "Schrijf 20 tot 2000 tekens." in response.get_data(
        as_text=True
    )
    response = auth.post(url, {"body": "Daan rustig laten afkoelen helpt het meest."})
    assert response.status_code == 200 and "Let op" in response.get_data(as_text=True)
    assert count(app, "circle_lessons") == before
    auth.login("parent")
    assert client.get("/casussen").status_code == 200
    assert "afspraak vooraf" not in client.get("/casussen").get_data(as_text=True)


# ---- methods, personal data, the demo ------------------------------------------------------


def test_method_pages_show_steps_and_sources(client, auth):
    auth.login("teacher")
    page = client.get("/kringen/methoden").get_data(as_text=True)
    assert "Incidentmethode" in page and "Roddelmethode" in page
    page = client.get("/kringen/methoden/incidentmethode").get_data(as_text=True)
    assert "Wat zou jij doen?" in page and "De begeleider schrijft op:" in page
    assert 'id="bron-1"' in page and "Hendriksen" in page and 'href="#bron-1"' in page
    assert "<h2>Tips voor de begeleider</h2>" in page
    assert client.get("/kringen/methoden/bestaat-niet").status_code == 404


def test_export_and_forget(app, auth, people, setup):
    with app.app_context():
        db = get_db()
        mine = data.export(db, people["teacher"])
        assert [c["role"] for c in mine["circles"]] == ["lid"]
        assert mine["cases_brought_in"][0]["title"].startswith("Jongen schopt")
        assert mine["lessons_written"][0]["body"].startswith("Een afspraak vooraf")
        assert data.export(db, people["expert"])["circles"][0]["role"] == "begeleider"
        data.forget(db, people["teacher"])
        assert data.export(db, people["teacher"]) == {
            "circles": [], "cases_brought_in": [], "lessons_written": []
        }  # fmt: skip
        # What the circle recorded stays, without her.
        case = data.get_case(db, setup["c"], setup["k"])
        assert case["brought_by"] is None and case["title"].startswith("Jongen schopt")
        data.forget(db, people["expert"])
        assert data.get_circle(db, setup["c"])["facilitator_id"] is None


def test_the_account_export_and_deletion_include_the_circles(app, people, setup):
    with app.app_context():
        db = get_db()
        mine = gdpr.export(db, people["teacher"])
        assert mine["cases_brought_in"][0]["title"].startswith("Jongen schopt")
        assert [c["role"] for c in mine["circles"]] == ["lid"]
        gdpr.delete_account(db, people["teacher"])
        member = "SELECT count(*) FROM circle_members WHERE user_id = ?"
        assert not scalar(app, member, [people["teacher"]])
        case = data.get_case(db, setup["c"], setup["k"])
        assert case["brought_by"] is None and case["title"].startswith("Jongen schopt")


def test_the_demo_region_has_a_circle_with_published_lessons(app):
    with app.app_context():
        db = get_db()
        result = portal_demo.create(db, get_index(), app.config["DEMO_DIR"])
        assert result["circles"] == 1
        circle = db.execute("SELECT id FROM circles").fetchone()[0]
        assert len(data.members(db, circle)) == 6
        meetings = data.meetings(db, circle)
        assert len(meetings) == 3 and sum(m["starts_at"] > clock.local_stamp(clock.now())
                                          for m in meetings) == 1  # fmt: skip
        cases_ = data.cases(db, circle)
        assert len(cases_) == 2 and len(cases_[0]["steps"]) == 9
        assert cases_[1]["question_id"] is not None
        lessons = data.lessons(db, circle)
        assert len(lessons) == 6
        assert sorted(str(lesson["published_as"]) for lesson in lessons) == [
            "None", "None", "case", "case", "dossier", "dossier",
        ]  # fmt: skip
        for lesson in lessons:
            if lesson["published_as"] == "case":
                assert db.execute(
                    "SELECT 1 FROM questions q JOIN search_docs d ON d.target = CAST(q.id AS TEXT)"
                    " AND d.kind = 'case' WHERE q.id = ? AND q.status = 'resolved'",
                    (lesson["question_id"],),
                ).fetchone()
        proposed = db.execute("SELECT slug FROM dossier_versions WHERE status = 'proposed'")
        assert sorted(r[0] for r in proposed) == ["agressief", "samenwerken-met-ouders"]
        # Loading again within the same run writes nothing twice.
        people = {
            u["email"].split("@")[0]: u["id"]
            for u in accounts.list_users(db)
            if u["email"].endswith(portal_demo.DOMAIN)
        }
        again = circles_demo.load(db, app.config["DEMO_DIR"], people, {}, clock.now())
        assert again == 0 and len(data.all_circles(db)) == 1
