"""An anonymous question never names its asker, on any path it travels.

Pages and fragments for every other role, mails in the outbox and digests, notifications,
other people's exports, the search CLI. The one place her name may stand is the list of
colleagues to invite, which is the same whoever asked (leaving her out would give her away).
"""

import json
import re
from datetime import timedelta

from portal import clock
from portal.accounts import users as accounts
from portal.db import get_db
from portal.notifications.schooltime import SchoolCalendar

from .helpers import ANSWER, USERS, AuthActions, scalar, user_id
from .test_notifications import run_jobs, set_expertise

NAME, EMAIL = USERS["teacher"][1], USERS["teacher"][0]
SCHOOL = "Basisschool Het Kompas"  # hers alone, so any mention of it points at her
TITLE = "Een leerling in groep 5 zegt niets meer sinds de herfstvakantie"
BODY = "Ze zat altijd vooraan en deed mee. Nu kijkt ze naar de grond en praat ze niet meer."


def _leaks(text: str) -> list[str]:
    # The invite list (a <select> of every colleague) is the same for every question.
    text = re.sub(r"<select[^>]*name=\"user_id\".*?</select>", "", text, flags=re.S)
    return [word for word in (NAME, SCHOOL, EMAIL) if word in text]


def _anonymous_question_travels(app, client, auth) -> int:
    with app.app_context():
        db = get_db()
        school = accounts.create_school(db, SCHOOL)
        db.conn.execute("UPDATE users SET school_id = ? WHERE email = ?", [school, EMAIL])
    set_expertise(app, "expert", "angstig-teruggetrokken")
    set_expertise(app, "teacher2", "angstig-teruggetrokken")
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {
            "title": TITLE,
            "body": BODY,
            "cluster": "angstig-teruggetrokken",
            "grade_band": "5-6",
            "anonymous": "y",
            "action": "post",
        },
    )
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    # Her own follow-up, before anyone answered.
    addition = {"body": "Aanvulling: thuis praat ze wel gewoon, zegt moeder.", "action": "post"}
    assert auth.post(f"/vragen/{qid}/aanvulling", addition).status_code == 302
    # Two school days later nobody answered: the region, the experts and the coordinator hear
    # of it; digests go out. Counted in school hours, so whatever day and hour the test runs
    # (a Thursday morning plus three days is a Sunday with only 12.9 school hours behind it).
    calendar = SchoolCalendar.from_config(app.config)
    start = later = clock.now()
    while calendar.hours_between(start, later) < 2 * float(app.config["ESCALATE_AFTER_HOURS"]):
        later += timedelta(days=1)
    run_jobs(app, later)
    with app.app_context():
        get_db().conn.execute("UPDATE notification_prefs SET mode = 'daily'")
    auth.login("teacher2")
    assert auth.post(f"/vragen/{qid}/antwoord", {"kind": "idea", "body": ANSWER}).status_code == 302
    run_jobs(app, later)
    # She marks the answer: her question becomes a resolved case for everyone.
    auth.login("teacher")
    best = scalar(app, "SELECT id FROM answers WHERE question_id = ?", [qid])
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": best})
    run_jobs(app, later + timedelta(days=8))  # the feedback question, more digests
    return qid


def test_no_page_or_fragment_names_the_anonymous_asker(app, client, auth):
    qid = _anonymous_question_travels(app, client, auth)
    pages = [
        "/",
        "/vragen",
        f"/vragen/{qid}",
        "/casussen",
        "/casussen?zoek=niets+meer+herfstvakantie",
        "/vragen/onbeantwoord",
        "/meldingen",
        "/meldingen/aantal",
        "/mijn-vragen",
        "/beheer/inzicht",
    ]  # (Beheer's list of accounts names everyone, whatever they asked)
    for who in ("teacher2", "expert", "coordinator", "parent"):
        auth.login(who)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue  # not for this role (the access matrix covers that)
            assert not _leaks(response.get_data(as_text=True)), (who, url)
        if who in ("teacher2", "expert"):
            # The suggestions fragment while typing a similar question.
            fragment = auth.post(
                "/vraag",
                {"title": "Leerling zegt niets meer in de klas", "body": BODY},
                headers={"HX-Request": "true"},
            ).get_data(as_text=True)
            assert TITLE in fragment or "zegt niets meer" in fragment
            assert not _leaks(fragment), who
    # The coordinator sees no name before the logged reveal ...
    auth.login("coordinator")
    assert not _leaks(client.get(f"/vragen/{qid}").get_data(as_text=True))
    bad = auth.post(f"/vragen/{qid}/wie-vroeg", {"reason": "kort"})
    assert bad.status_code == 400 and not _leaks(bad.get_data(as_text=True))
    # ... and only after it.
    shown = auth.post(f"/vragen/{qid}/wie-vroeg", {"reason": "Zorgmelding, overleg met de ib'er"})
    assert NAME in shown.get_data(as_text=True)


def test_the_invite_list_does_not_depend_on_who_asked(app, client, auth):
    qid = _anonymous_question_travels(app, client, auth)
    auth.login("teacher2")
    auth.post(
        "/vraag",
        {"title": "Een andere vraag over een stille leerling", "body": BODY,
         "cluster": "angstig-teruggetrokken", "action": "post"},
    )  # fmt: skip
    other = scalar(app, "SELECT max(id) FROM questions")
    auth.login("expert")

    def invite_list(question_id):
        html = client.get(f"/vragen/{question_id}").get_data(as_text=True)
        found = re.search(r"<select[^>]*name=\"user_id\".*?</select>", html, flags=re.S)
        return found.group(0) if found else ""

    with app.app_context():
        get_db().conn.execute("UPDATE questions SET status = 'open' WHERE id = ?", [qid])
    assert invite_list(qid) == invite_list(other)


def test_no_mail_notification_export_or_cli_output_names_her(app, client, auth, runner):
    qid = _anonymous_question_travels(app, client, auth)
    with app.app_context():
        db = get_db()
        mails = db.execute(
            "SELECT to_addr, subject, body_text, body_html FROM outbox WHERE to_addr != ?",
            [EMAIL],
        ).fetchall()
        notes = db.execute(
            "SELECT title, text FROM notifications WHERE user_id != ?",
            [user_id(app, "teacher")],
        ).fetchall()
    assert len(mails) >= 3  # announcements, the escalation, digests
    for row in mails:
        assert not _leaks(" ".join(row)), row[0]
    assert notes and not [n for n in notes if _leaks(" ".join(filter(None, n)))]
    # Other people's exports (what they may take with them) hold her question, not her.
    for who in ("teacher2", "expert"):
        client_auth = AuthActions(client)
        client_auth.login(who)
        export = client_auth.post("/account/gegevens.json").get_data(as_text=True)
        assert str(qid) in export or TITLE in export or json.loads(export)
        assert not _leaks(export), who
    result = runner.invoke(args=["search", "leerling zegt niets meer sinds de vakantie"])
    assert result.exit_code == 0 and not _leaks(result.output)
