"""Sending the mail outbox through the region's SMTP server, with retries and backoff."""

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app

from .. import clock
from ..db import transaction

MAX_ATTEMPTS = 8


def send_outbox(db, limit: int = 100) -> dict:
    """Send due mails with retries and backoff; a failing SMTP server loses no mail.

    Each row is claimed with a short lock first, so several processes never send twice.
    """
    config = current_app.config
    host = config.get("SMTP_HOST")
    result = {"sent": 0, "failed": 0, "skipped": 0}
    if not host:
        result["skipped"] = db.execute(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
        ).fetchone()[0]
        return result
    stamp = clock.stamp()
    due = [
        r[0]
        for r in db.execute(
            "SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
            "AND attempts < ? AND (locked_until IS NULL OR locked_until < ?) ORDER BY id LIMIT ?",
            [stamp, MAX_ATTEMPTS, stamp, limit],
        )
    ]
    for mail_id in due:
        lock = clock.stamp_in(timedelta(minutes=5))
        with transaction(db.conn):
            claimed = db.conn.execute(
                "UPDATE outbox SET locked_until = ? WHERE id = ? AND sent_at IS NULL "
                "AND (locked_until IS NULL OR locked_until < ?)",
                (lock, mail_id, clock.stamp()),
            ).rowcount
        if not claimed:
            continue
        row = db.execute(
            "SELECT to_addr, subject, body_text, body_html, attempts FROM outbox WHERE id = ?",
            [mail_id],
        ).fetchone()
        try:
            _smtp_send(config, *row[:4])
        except (OSError, smtplib.SMTPException) as exc:
            attempts = row[4] + 1
            wait = timedelta(minutes=2 ** min(attempts, 10))
            with transaction(db.conn):
                db.conn.execute(
                    "UPDATE outbox SET attempts = ?, next_attempt_at = ?, locked_until = NULL, "
                    "last_error = ? WHERE id = ?",
                    (
                        attempts,
                        clock.stamp_in(wait),
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


def _smtp_send(config, to_addr, subject, body_text, body_html) -> None:
    msg = EmailMessage()
    msg["From"] = config.get("SMTP_SENDER", "leer-kracht@localhost")
    msg["To"] = to_addr
    msg["Subject"] = subject
    msg.set_content(body_text)
    msg.add_alternative(body_html, subtype="html")
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
