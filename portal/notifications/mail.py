"""Sending the mail outbox through the region's SMTP server, with retries and backoff.

Delivery is at least once: a mail is marked sent after the SMTP server accepted it, so a
`jobs run` killed between those two moments sends it again after its lock expires. Every
mail carries the Message-ID it got when it was queued, the same on a resend, so mail
programs show one message. A failing server never loses mail: it is retried, ever more
slowly (at most every MAX_BACKOFF), and stuck mail shows in `ops check` and on Beheer.
"""

import json
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app

from .. import clock
from ..db import transaction

MAX_BACKOFF = timedelta(hours=6)
# After this many failed attempts a mail counts as failing in `ops check` (it is still
# retried, every MAX_BACKOFF, for as long as it takes).
MAX_ATTEMPTS = 8
STUCK_AFTER = timedelta(hours=1)
LOCK = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes, then every six hours for as long as it takes."""
    return min(timedelta(minutes=2 ** min(attempts, 12)), MAX_BACKOFF)


def send_outbox(db, limit: int = 100) -> dict:
    """Send due mails with retries and backoff; a failing SMTP server loses no mail.

    Each row is claimed with a short lock first, so several processes never send twice.
    """
    config = current_app.config
    result = {"sent": 0, "failed": 0, "skipped": 0}
    if not config.get("SMTP_HOST"):
        result["skipped"] = db.execute(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
        ).fetchone()[0]
        return result
    stamp = clock.stamp()
    due = [
        r[0]
        for r in db.execute(
            "SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
            "AND (locked_until IS NULL OR locked_until < ?) ORDER BY id LIMIT ?",
            [stamp, stamp, limit],
        )
    ]
    for mail_id in due:
        with transaction(db.conn):
            claimed = db.conn.execute(
                "UPDATE outbox SET locked_until = ? WHERE id = ? AND sent_at IS NULL "
                "AND (locked_until IS NULL OR locked_until < ?)",
                (clock.stamp_in(LOCK), mail_id, clock.stamp()),
            ).rowcount
        if not claimed:
            continue
        row = db.execute(
            "SELECT to_addr, subject, body_text, body_html, attempts, message_id, attachments "
            "FROM outbox WHERE id = ?",
            [mail_id],
        ).fetchone()
        try:
            _smtp_send(config, *row[:4], message_id=row[5], attachments=row[6])
        except (OSError, smtplib.SMTPException) as exc:
            attempts = row[4] + 1
            with transaction(db.conn):
                db.conn.execute(
                    "UPDATE outbox SET attempts = ?, next_attempt_at = ?, locked_until = NULL, "
                    "last_error = ? WHERE id = ?",
                    (
                        attempts,
                        clock.stamp_in(backoff(attempts)),
                        f"{type(exc).__name__}: {exc}"[:300],
                        mail_id,
                    ),
                )
            current_app.logger.warning("mail %s not sent (attempt %s): %s", mail_id, attempts, exc)
            result["failed"] += 1
            continue
        with transaction(db.conn):
            db.conn.execute(
                "UPDATE outbox SET sent_at = ?, locked_until = NULL, attempts = attempts + 1 "
                "WHERE id = ?",
                (clock.stamp(), mail_id),
            )
        result["sent"] += 1
    return result


def stuck(db) -> dict:
    """Mail that waits longer than STUCK_AFTER: how many, since when, the last error."""
    row = db.execute(
        "SELECT count(*), min(created_at), max(attempts) FROM outbox "
        "WHERE sent_at IS NULL AND created_at < ?",
        [clock.stamp_in(-STUCK_AFTER)],
    ).fetchone()
    error = db.execute(
        "SELECT last_error FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return {
        "count": row[0],
        "oldest": row[1],
        "attempts": row[2] or 0,
        "last_error": error[0] if error else None,
    }


def _smtp_send(
    config, to_addr, subject, body_text, body_html, message_id=None, attachments=None
) -> None:
    msg = EmailMessage()
    msg["From"] = config.get("SMTP_SENDER", "leer-kracht@localhost")
    msg["To"] = to_addr
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(body_text)
    msg.add_alternative(body_html, subtype="html")
    for part in json.loads(attachments) if attachments else []:
        maintype, _, subtype = part["type"].partition("/")
        msg.add_attachment(
            part["text"].encode("utf-8"), maintype=maintype, subtype=subtype, filename=part["name"]
        )
    port = int(config.get("SMTP_PORT", 25))
    tls = str(config.get("SMTP_TLS", "starttls")).lower()
    timeout = 20
    if tls == "ssl":
        smtp = smtplib.SMTP_SSL(
            config["SMTP_HOST"], port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(config["SMTP_HOST"], port, timeout=timeout)
    with smtp:
        if tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        smtp.send_message(msg)
