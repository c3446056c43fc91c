"""The audit log: security-relevant events, by whom, on what (ids and kinds only)."""

from flask_login import current_user

from ..db import get_db, transaction


def audit(event: str, subject: str | None = None, detail: str | None = None, actor_id=None):
    """Record a security-relevant event (ids and kinds only, no personal data)."""
    if actor_id is None and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    db = get_db()
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO audit_log (actor_id, event, subject, detail) VALUES (?, ?, ?, ?)",
            (actor_id, event, subject, detail),
        )
