"""Notifications in the portal and by e-mail (through an outbox sent by `flask jobs run`).

A web request only writes rows: a notification, and for those who want mail at once, an
outbox row. Mails are Dutch, plain text and HTML, carry no pupil details beyond the
question's title, and link into the portal (login required).
"""

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
}


def prefs(db, user_id: int) -> dict[str, str]:
    stored = dict(
        db.execute("SELECT kind, mode FROM notification_prefs WHERE user_id = ?", [user_id])
    )
    return {kind: stored.get(kind, DEFAULT_MODES[kind]) for kind in KINDS}


def set_prefs(db, user_id: int, modes: dict[str, str]) -> None:
    with transaction(db.conn):
        for kind, mode in modes.items():
            if kind in KINDS and mode in MODES:
                db.conn.execute(
                    "INSERT INTO notification_prefs (user_id, kind, mode) VALUES (?, ?, ?) "
                    "ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode",
                    (user_id, kind, mode),
                )


def notify(db, user_ids, kind: str, question: dict, text: str | None = None) -> int:
    """Notify people about a question, once per person, kind and question.

    Runs inside the caller's transaction when there is one; returns how many were new.
    """
    text = text or KINDS[kind]
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
                "INSERT OR IGNORE INTO notifications (user_id, kind, question_id, text, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (user_id, kind, question["id"], text, stamp),
            )
            if not cur.rowcount:
                continue
            created += 1
            if prefs(db, user_id).get(kind) == "immediate":
                _queue_mail(
                    db, user, kind, [(question, text)], f"{kind}:{user_id}:{question['id']}"
                )
    return created


def _queue_mail(db, user, kind: str, items: list[tuple[dict, str]], dedupe_key: str) -> None:
    base = current_app.config["BASE_URL"].rstrip("/")
    entries = [
        {"title": q["title"], "text": text, "url": f"{base}/vragen/{q['id']}"} for q, text in items
    ]
    subject = (
        f"Leer-Kracht: {entries[0]['text']}"
        if len(entries) == 1
        else f"Leer-Kracht: je overzicht ({len(entries)} meldingen)"
    )
    context = {
        "name": user[2],
        "entries": entries,
        "base": base,
        "region": current_app.config["REGION_NAME"],
    }
    db.conn.execute(
        "INSERT OR IGNORE INTO outbox (dedupe_key, to_addr, subject, body_text, body_html, "
        "created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            dedupe_key,
            user[1],
            subject,
            render_template("mail/notification.txt", **context),
            render_template("mail/notification.html", **context),
            clock.stamp(),
            clock.stamp(),
        ),
    )


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
        daily = [k for k, m in prefs(db, user_id).items() if m == "daily"]
        if not daily:
            continue
        marks = ",".join("?" * len(daily))
        rows = list(
            db.query(
                "SELECT n.id, n.text, q.id AS qid, q.title FROM notifications n "  # noqa: S608 # nosec B608
                "JOIN questions q ON q.id = n.question_id WHERE n.user_id = ? "
                f"AND n.digest_sent_at IS NULL AND n.read_at IS NULL AND n.kind IN ({marks}) "
                "ORDER BY n.id",
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
            _queue_mail(
                db,
                user,
                "digest",
                [({"id": r["qid"], "title": r["title"]}, r["text"]) for r in rows],
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
            "SELECT n.*, q.title FROM notifications n JOIN questions q ON q.id = n.question_id "
            "WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?",
            [user_id, limit],
        )
    )


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
