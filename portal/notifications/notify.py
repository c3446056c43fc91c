"""Notifications in the portal and by e-mail (through an outbox sent by `flask jobs run`).

A web request only writes rows: a notification, and for those who want mail at once, an
outbox row. Mails are Dutch, plain text and HTML, carry no pupil details beyond the
question's title, and link into the portal (login required).
"""

import json
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template

from .. import clock
from ..db import transaction

KINDS = {
    "new_question": "Nieuwe vraag die bij jouw ervaring past",
    "new_question_region": "Nieuwe vraag in de regio",
    "invited": "Een collega vraagt jou om te antwoorden",
    "answer": "Antwoord op jouw vraag",
    "followed_answer": "Antwoord op een vraag die je volgt",
    "escalation": "Vraag zonder antwoord (escalatie)",
    "reminder": "Herinnering: kies het meest behulpzame antwoord",
    "reminder_again": "Tweede herinnering: kies het meest behulpzame antwoord",
    "feedback": "Heeft het geholpen?",
    "circle_meeting": "Bijeenkomst van je leerkrachtkring",
    "circle_published": "Geleerd in de kring",
    "support_request": "Vraag om directe ondersteuning in de klas",
    "support_update": "Nieuws over je vraag om ondersteuning",
    "support_escalation": "Vraag om ondersteuning wacht te lang",
}
# What each role can ever receive, read from every notify() call (routing.py, jobs.py,
# circles/, support/): only these are offered in her settings, and only these can be set.
# A new kind goes into KINDS and here (tests/test_pages.py checks both).
_COLLEAGUE = (
    "new_question",  # routing.announce: teachers and experts with matching expertise
    "new_question_region",  # jobs: every teacher and expert after the broadcast delay
    "invited",  # "Vraag een collega": teachers and experts
    "answer",  # the asker, a teacher or expert
    "followed_answer",  # "Ik wil dit ook weten": staff
    "reminder",  # the asker
    "reminder_again",  # the asker
    "feedback",  # the asker
    "circle_meeting",  # circle members and facilitator: teachers and experts
    "circle_published",  # circle members
    "support_update",  # the teacher who asked for support; the expert who took it
)
KINDS_FOR_ROLE = {
    "teacher": _COLLEAGUE,
    "expert": (*_COLLEAGUE, "escalation", "support_request", "support_escalation"),
    # Followed questions, escalation's second step, dossier proposals from circles.
    "coordinator": ("followed_answer", "escalation", "circle_published", "support_escalation"),
    # Parent partners read; nothing in the portal is sent to them.
    "parent": (),
}
MODES = {"immediate": "meteen", "daily": "dagelijks overzicht", "never": "nooit"}
# Defaults: what matters to the person at once; the region's flow once a day.
DEFAULT_MODES = {
    "new_question": "immediate",
    "new_question_region": "daily",
    "invited": "immediate",
    "answer": "immediate",
    "followed_answer": "immediate",
    "escalation": "immediate",
    "reminder": "immediate",
    "reminder_again": "immediate",
    "feedback": "immediate",
    "circle_meeting": "immediate",
    "circle_published": "daily",
    "support_request": "immediate",
    "support_update": "immediate",
    "support_escalation": "immediate",
}


def kinds_for(role: str | None) -> dict[str, str]:
    """The kinds a role can receive, with their labels, in the order of KINDS."""
    allowed = KINDS_FOR_ROLE.get(role or "", ())
    return {kind: label for kind, label in KINDS.items() if kind in allowed}


def _role(db, user_id: int) -> str | None:
    row = db.execute("SELECT role FROM users WHERE id = ?", [user_id]).fetchone()
    return row[0] if row else None


def _modes(db, user_id: int) -> dict[str, str]:
    """How she gets every kind: what she chose, else the default."""
    stored = dict(
        db.execute("SELECT kind, mode FROM notification_prefs WHERE user_id = ?", [user_id])
    )
    return {kind: stored.get(kind, DEFAULT_MODES[kind]) for kind in KINDS}


def prefs(db, user_id: int) -> dict[str, str]:
    """Her settings: the mode of each kind her role can receive (nothing else is offered)."""
    allowed = kinds_for(_role(db, user_id))
    return {kind: mode for kind, mode in _modes(db, user_id).items() if kind in allowed}


def set_prefs(db, user_id: int, modes: dict[str, str]) -> None:
    """Store her choices; a kind her role cannot receive is ignored."""
    allowed = kinds_for(_role(db, user_id))
    with transaction(db.conn):
        for kind, mode in modes.items():
            if kind in allowed and mode in MODES:
                db.conn.execute(
                    "INSERT INTO notification_prefs (user_id, kind, mode) VALUES (?, ?, ?) "
                    "ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode",
                    (user_id, kind, mode),
                )


def notify(
    db,
    user_ids,
    kind: str,
    question: dict | None = None,
    text: str | None = None,
    about: dict | None = None,
) -> int:
    """Notify people, once per person, kind and question (or subject).

    ``question`` is a question row; ``about`` describes anything else: {"subject": a stable
    key such as "meeting:5", "title", "url" (a path), optional "attachments" for the mail}.
    Runs inside the caller's transaction when there is one; returns how many were new.
    """
    text = text or KINDS[kind]
    if question is not None:
        about = {"subject": None, "title": question["title"], "url": f"/vragen/{question['id']}"}
    created = 0
    stamp = clock.stamp()
    with transaction(db.conn):
        for user_id in set(user_ids):
            user = db.execute(
                "SELECT id, email, name, active, system FROM users WHERE id = ?", [user_id]
            ).fetchone()
            if user is None or not user[3] or user[4]:
                continue
            cur = db.conn.execute(
                "INSERT OR IGNORE INTO notifications (user_id, kind, question_id, subject, title, "
                "url, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    kind,
                    question["id"] if question is not None else None,
                    about["subject"],
                    about["title"],
                    about["url"],
                    text,
                    stamp,
                ),
            )
            if not cur.rowcount:
                continue
            created += 1
            if _modes(db, user_id).get(kind) == "immediate":
                key = about["subject"] or question["id"]
                _queue_notification_mail(
                    db,
                    user,
                    [(about["title"], about["url"], text)],
                    f"{kind}:{user_id}:{key}",
                    about.get("attachments"),
                )
    return created


def queue_mail(db, to_addr: str, subject: str, template: str, context: dict, dedupe_key: str,
               attachments: list[dict] | None = None) -> None:  # fmt: skip
    """Put one mail (text and HTML from ``template``.txt/.html) in the outbox.

    A web request never talks SMTP: `jobs run` sends the outbox (notifications/mail.py).
    """
    context = {
        **context,
        "base": current_app.config["BASE_URL"].rstrip("/"),
        "region": current_app.config["REGION_NAME"],
    }
    db.conn.execute(
        "INSERT OR IGNORE INTO outbox (dedupe_key, to_addr, subject, body_text, body_html, "
        "created_at, next_attempt_at, message_id, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            dedupe_key,
            to_addr,
            subject,
            render_template(f"{template}.txt", **context),
            render_template(f"{template}.html", **context),
            clock.stamp(),
            clock.stamp(),
            make_msgid(domain=urlsplit(context["base"]).hostname or "leer-kracht.local"),
            json.dumps(attachments) if attachments else None,
        ),
    )


def _queue_notification_mail(db, user, items, dedupe_key: str, attachments=None) -> None:
    base = current_app.config["BASE_URL"].rstrip("/")
    entries = [{"title": title, "text": text, "url": base + url} for title, url, text in items]
    subject = (
        f"Leer-Kracht: {entries[0]['text']}"
        if len(entries) == 1
        else f"Leer-Kracht: je overzicht ({len(entries)} meldingen)"
    )
    queue_mail(
        db, user[1], subject, "mail/notification", {"name": user[2], "entries": entries},
        dedupe_key, attachments,
    )  # fmt: skip


def queue_digests(db) -> int:
    """One mail per person with the day's notifications of kinds set to 'daily'."""
    day = clock.stamp()[:10]
    queued = 0
    users = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT user_id FROM notifications "
            "WHERE digest_sent_at IS NULL AND read_at IS NULL"
        )
    ]
    for user_id in users:
        daily = [k for k, m in _modes(db, user_id).items() if m == "daily"]
        if not daily:
            continue
        marks = ",".join("?" * len(daily))
        rows = list(
            db.query(
                "SELECT n.id, n.text, n.title, n.url FROM notifications n "  # noqa: S608 # nosec B608
                f"WHERE n.user_id = ? AND n.digest_sent_at IS NULL AND n.read_at IS NULL "
                f"AND n.kind IN ({marks}) ORDER BY n.id",
                [user_id, *daily],
            )
        )
        if not rows:
            continue
        user = db.execute(
            "SELECT id, email, name FROM users WHERE id = ? AND active = 1", [user_id]
        ).fetchone()
        if user is None:
            continue
        with transaction(db.conn):
            _queue_notification_mail(
                db,
                user,
                [(r["title"], r["url"], r["text"]) for r in rows],
                f"digest:{user_id}:{day}",
            )
            db.conn.executemany(
                "UPDATE notifications SET digest_sent_at = ? WHERE id = ?",
                [(clock.stamp(), r["id"]) for r in rows],
            )
        queued += 1
    return queued


def for_user(db, user_id: int, limit: int = 100) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            [user_id, limit],
        )
    )


def open_one(db, user_id: int, notification_id: int) -> str | None:
    """Mark one of her notifications read; return where it leads (None: not hers)."""
    with transaction(db.conn):
        row = db.conn.execute(
            "UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ? AND user_id = ? "
            "RETURNING url",
            (clock.stamp(), notification_id, user_id),
        ).fetchone()
    return row[0] if row else None


def mark_all_read(db, user_id: int) -> None:
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
            (clock.stamp(), user_id),
        )


def unread_count(db, user_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", [user_id]
    ).fetchone()[0]
