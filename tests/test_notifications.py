"""Routing, notifications, mail through a real SMTP server (aiosmtpd), escalation, jobs."""

import email.policy
import os
import subprocess
import sys
from datetime import datetime
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from portal import clock
from portal.db import get_db, get_index
from portal.notifications import jobs, routing, schooltime
from portal.questions import cases

from .helpers import USERS, answer, ask, free_port, user_id

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        parsed = message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"


def start_smtp():
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    return inbox, controller


@pytest.fixture
def smtp():
    inbox, controller = start_smtp()
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(app, smtp):
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_TLS="none", SMTP_SENDER="portal@regio.test"
    )
    return app


def set_expertise(app, who, *clusters):
    with app.app_context():
        db = get_db()
        db.conn.executemany(
            "INSERT INTO user_expertise (user_id, cluster) VALUES (?, ?)",
            [(user_id(app, who), c) for c in clusters],
        )


def run_jobs(app, when=None):
    with app.app_context():
        return jobs.run(get_db(), get_index(), when)


def notifications(app, who):
    with app.app_context():
        return [
            (r[0], r[1])
            for r in get_db().execute(
                "SELECT kind, question_id FROM notifications WHERE user_id = ? ORDER BY id",
                [user_id(app, who)],
            )
        ]


def test_matching_expertise_hears_first_and_gets_mail(mail_app, smtp, client, auth):
    set_expertise(mail_app, "expert", "druk-impulsief")
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {
            "title": "Leerling in groep 6 roept steeds door de instructie",
            "body": "Hij wacht nooit op zijn beurt; ik heb al beurtkaartjes geprobeerd.",
            "cluster": "druk-impulsief",
            "action": "post",
        },
    )
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    assert notifications(mail_app, "expert") == [("new_question", qid)]
    assert notifications(mail_app, "teacher2") == []
    assert smtp.messages == []  # a web request never talks SMTP
    result = run_jobs(mail_app)
    assert result["mail_sent"] == 1
    ((to, msg),) = smtp.messages
    assert to == [USERS["expert"][0]]
    assert msg["Subject"] == "Leer-Kracht: Nieuwe vraag die bij jouw ervaring past"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert (
        f"http://portal.test/vragen/{qid}" in text
        and f'href="http://portal.test/vragen/{qid}"' in html
    )
    assert "Leerling in groep 6 roept steeds door de instructie" in text
    assert "beurtkaartjes" not in text  # only the title, never the description
    assert run_jobs(mail_app)["mail_sent"] == 0  # idempotent


def test_a_failing_smtp_server_loses_no_mail(app, client, auth):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_TLS="none")  # nothing listens
    qid = ask(app)
    answer(app, qid)  # answers via the data layer do not notify: use the route
    auth.login("teacher2")
    auth.post(
        f"/vragen/{qid}/antwoord",
        {"kind": "idea", "body": "Probeer een time-timer en korte taken.", "action": "post"},
    )
    result = run_jobs(app)
    assert result["mail_failed"] == 1
    with app.app_context():
        db = get_db()
        attempts, next_at, error = db.execute(
            "SELECT attempts, next_attempt_at, last_error FROM outbox"
        ).fetchone()
        assert attempts == 1 and next_at > clock.stamp() and "Error" in error
    # Later the server is back and the retry time has come: the mail goes out once.
    inbox, controller = start_smtp()
    try:
        app.config["SMTP_PORT"] = inbox.port
        with app.app_context():
            get_db().conn.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
        assert run_jobs(app)["mail_sent"] == 1
        assert run_jobs(app)["mail_sent"] == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert inbox.messages[0][1]["Subject"] == "Leer-Kracht: Antwoord op jouw vraag"


def at(text: str) -> datetime:
    """A moment in Amsterdam time, as a teacher reads the clock."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=clock.AMSTERDAM)


def test_escalation_counts_school_hours_only(app):
    qid = ask(app)
    with app.app_context():
        # Posted on Friday 20 November 2026 at 14:00 (13:00 UTC): one school hour is left that
        # day, then the weekend does not count, nor the evenings and nights.
        get_db().conn.execute(
            "UPDATE questions SET created_at = '2026-11-20T13:00:00Z' WHERE id = ?", [qid]
        )
    assert run_jobs(app, at("2026-11-23 08:00"))["broadcast"] == 0  # 1 school hour
    assert run_jobs(app, at("2026-11-23 11:45"))["broadcast"] == 1  # 1 + 3.25 >= 4
    assert run_jobs(app, at("2026-11-24 13:45"))["escalated"] == 0  # 1 + 6.5 + 5.25 = 12.75
    assert run_jobs(app, at("2026-11-24 14:15"))["escalated"] == 1  # 13.25 school hours
    assert ("escalation", qid) in notifications(app, "expert")
    assert notifications(app, "coordinator") == []
    assert run_jobs(app, at("2026-11-26 13:45"))["coordinator"] == 0  # 25.75 h
    assert run_jobs(app, at("2026-11-26 14:15"))["coordinator"] == 1  # 26.25 h: second step
    assert ("escalation", qid) in notifications(app, "coordinator")
    again = run_jobs(app, at("2026-11-27 11:00"))
    assert again["escalated"] == again["coordinator"] == 0
    assert notifications(app, "expert").count(("escalation", qid)) == 1


def test_school_hours_follow_the_school_day_and_the_calendar():
    calendar = schooltime.SchoolCalendar.from_config(
        {"SCHOOL_DAY": "08:30-15:00", "SCHOOL_REGION": "midden", "SCHOOL_HOLIDAYS": "2027-03-10"}
    )
    # A Friday afternoon after school until Monday morning: nothing.
    assert calendar.hours_between(at("2026-11-20 15:30"), at("2026-11-23 08:30")) == 0
    # The Christmas holiday 2026 (19 December - 3 January): Friday 12:00-15:00 and Monday
    # 08:30-12:00 only.
    assert calendar.hours_between(at("2026-12-18 12:00"), at("2027-01-04 12:00")) == 6.5
    assert calendar.day_off(at("2026-12-24 10:00").date()) == "Kerstvakantie"
    # Koningsdag, Ascension Day and a region's own day off are no school days.
    assert "Koningsdag" in calendar.day_off(at("2027-04-27 10:00").date())
    assert calendar.hours_between(at("2027-05-05 15:00"), at("2027-05-07 08:30")) == 0
    assert calendar.day_off(at("2027-03-10 10:00").date()) == "vrije dag van de regio"
    # Across the change to summer time (28 March 2027) a school day is still 6.5 hours;
    # Good Friday and Easter Monday around it are public holidays.
    assert calendar.hours_between(at("2027-03-25 08:30"), at("2027-03-30 15:00")) == 13
    # The regions differ: the spring holiday 2027 of noord is not that of zuid.
    noord = schooltime.SchoolCalendar.from_config({"SCHOOL_REGION": "noord"})
    zuid = schooltime.SchoolCalendar.from_config({"SCHOOL_REGION": "zuid"})
    spring = [at(f"2027-02-{d} 10:00").date() for d in range(15, 27)]
    assert [noord.is_school_day(d) for d in spring] != [zuid.is_school_day(d) for d in spring]


def test_unanswered_queue_for_experts(app, client, auth):
    qid = ask(app)
    run_jobs(app, at("2099-01-05 12:00"))
    auth.login("expert")
    assert f"/vragen/{qid}" in client.get("/vragen/onbeantwoord").get_data(as_text=True)


def test_reminders_then_an_expert_may_close(app, client, auth):
    qid = ask(app)
    aid = answer(app, qid)
    with app.app_context():
        get_db().conn.execute("UPDATE answers SET created_at = '2026-11-01T10:00:00Z'")
    assert run_jobs(app, at("2026-11-02 10:00"))["reminded"] == 0
    assert run_jobs(app, at("2026-11-05 10:00"))["reminded"] == 1
    assert run_jobs(app, at("2026-11-06 10:00"))["reminded"] == 0
    assert run_jobs(app, at("2026-11-09 10:00"))["reminded"] == 1
    assert [k for k, _ in notifications(app, "teacher")] == ["reminder", "reminder_again"]
    auth.login("expert")
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "namens de vraagsteller" in page
    assert auth.post(f"/vragen/{qid}/sluiten", {"answer_id": aid}).status_code == 302
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "gekozen door een expert namens de vraagsteller" in page and "opgelost" in page


def test_feedback_a_week_later_weighs_in_ranking(app, client, auth):
    first = ask(
        app,
        title="Jongen slaat klasgenoten op het plein",
        body="Tijdens het buitenspelen slaat hij anderen als hij verliest.",
    )
    second = ask(
        app,
        title="Jongen slaat medeleerlingen op het schoolplein",
        body="Tijdens het buitenspelen slaat hij als hij verliest.",
    )
    auth.login("teacher")
    for qid in (first, second):
        best = answer(
            app, qid, body="Spreek vooraf af wat hij doet als hij boos wordt: naar de bank."
        )
        auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": best})
    with app.app_context():
        get_db().conn.execute("UPDATE questions SET resolved_at = '2026-11-01T10:00:00Z'")
    assert run_jobs(app, at("2026-11-09 10:00"))["feedback"] == 2
    assert run_jobs(app, at("2026-11-10 10:00"))["feedback"] == 0

    def ranking():
        with app.app_context():
            hits = get_index().search(
                get_db().conn,
                "hij slaat andere kinderen als hij verliest bij buitenspelen",
                k=2,
                kind="case",
            )
        return [int(h.target) for h in hits]

    top = ranking()[0]
    other = second if top == first else first
    assert auth.post(f"/vragen/{top}/geholpen", {"helped": "nee"}).status_code == 302
    assert auth.post(f"/vragen/{other}/geholpen", {"helped": "ja"}).status_code == 302
    assert ranking()[0] == other
    assert "Volgens de vraagsteller: het hielp." in client.get(f"/vragen/{other}").get_data(
        as_text=True
    )


def test_follow_and_invite(app, client, auth):
    qid = ask(app)
    auth.login("expert")
    auth.post(f"/vragen/{qid}/volgen")
    assert "1 collega wil dit ook weten" in client.get(f"/vragen/{qid}").get_data(as_text=True)
    auth.login("teacher")
    auth.post(f"/vragen/{qid}/uitnodigen", {"user_id": user_id(app, "teacher2")})
    assert ("invited", qid) in notifications(app, "teacher2")
    auth.login("teacher2")
    auth.post(
        f"/vragen/{qid}/antwoord",
        {"kind": "experience", "body": "Bij mij hielp een vaste plek vooraan.", "action": "post"},
    )
    assert ("followed_answer", qid) in notifications(app, "expert")
    assert ("answer", qid) in notifications(app, "teacher")


def test_badge_and_notifications_page(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    auth.post(
        f"/vragen/{qid}/antwoord",
        {"kind": "idea", "body": "Geef hem korte opdrachten met een timer.", "action": "post"},
    )
    auth.login("teacher")
    badge = client.get("/meldingen/aantal")
    assert len(badge.data) < 600 and 'hx-trigger="every 60s"' in badge.get_data(as_text=True)
    assert 'aria-label="1 ongelezen"' in badge.get_data(as_text=True)
    assert "Antwoord op jouw vraag" in client.get("/meldingen").get_data(as_text=True)
    auth.post("/meldingen/gelezen")
    assert "ongelezen" not in client.get("/meldingen/aantal").get_data(as_text=True)


def test_daily_digest_is_one_mail_per_day(mail_app, smtp, client, auth):
    auth.login("expert")
    auth.post(
        "/account/profiel",
        {"cluster": ["druk-impulsief"], "topics": "ADHD", "mode_new_question": "daily"},
    )
    for i in range(3):
        auth.login("teacher")
        auth.post(
            "/vraag",
            {
                "title": f"Vraag {i}: leerling is erg druk in de klas",
                "body": "Hij zit geen minuut stil en stoort anderen.",
                "cluster": "druk-impulsief",
                "action": "post_anyway",
            },
        )
    result = run_jobs(mail_app)
    assert result["digests"] == 1 and result["mail_sent"] == 1
    assert run_jobs(mail_app)["digests"] == 0
    ((to, msg),) = smtp.messages
    assert msg["Subject"] == "Leer-Kracht: je overzicht (3 meldingen)"


def test_jobs_from_two_processes_send_nothing_twice(app, smtp):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_TLS="none")
    set_expertise(app, "expert", "druk-impulsief")
    with app.app_context():
        db = get_db()
        for i in range(6):
            qid = cases.create_question(
                db,
                user_id(app, "teacher"),
                "druk-impulsief",
                f"Vraag {i} over een drukke leerling",
                "Een leerling die steeds door de klas loopt en roept.",
            )
            routing.announce(db, get_index(), cases.get_question(db, qid))
        db.conn.execute("UPDATE questions SET created_at = '2026-01-05T08:00:00Z'")
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(app.config["DATA_DIR"]),
        "PORTAL_SECRET_KEY": "x",
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": str(smtp.port),
        "PORTAL_SMTP_TLS": "none",
    }
    flask = str(Path(sys.executable).parent / "flask")
    procs = [
        subprocess.Popen(
            [flask, "--app", "wsgi", "jobs", "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-2000:]
    with app.app_context():
        db = get_db()
        outbox = db.execute("SELECT count(*), count(sent_at) FROM outbox").fetchone()
        notes = db.execute("SELECT kind, count(*) FROM notifications GROUP BY kind").fetchall()
    # Six new questions to the one expert, plus the broadcast to the rest of the region.
    assert ("new_question", 6) in notes
    assert outbox[0] == outbox[1] == len(smtp.messages)
    sent = [(tuple(to), m.get_body(("plain",)).get_content()) for to, m in smtp.messages]
    assert len(sent) == len(set(sent))  # no mail twice, though two processes ran at once


def test_region_insights_and_expertise_map(app, client, auth):
    set_expertise(app, "expert", "agressief")
    qids = [ask(app, title=f"Vraag {n} over een leerling die slaat") for n in range(5)]
    answer(app, qids[0])
    helped = [
        "wat-kun-je-doen",
        "wat-zie-je-in-de-klas",
        "wat-zeg-je",
        "per-leeftijd",
        "misverstanden",
    ]
    askers = ["teacher", "teacher2", "expert", "teacher", "teacher2"]
    for who, section in zip(askers, helped, strict=True):
        auth.login(who)
        auth.post("/vraag/helpt", {"hit": f"dossier:agressief#{section}"})
    auth.login("coordinator")
    html = client.get("/beheer/inzicht").get_data(as_text=True)
    assert "Vragen gesteld" in html and ">5</text>" in html  # the funnel's first bar
    assert "50%" in html  # five "Dit helpt mij" for five posted questions
    assert "Agressief gedrag — 1 persoon" in html and "gat" in html
