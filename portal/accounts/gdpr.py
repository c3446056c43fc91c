"""AVG/GDPR: export a person's data, delete an account, de-identify old questions.

Knowledge stays: questions and answers of a deleted account remain, without any link to
the person ("een oud-account").
"""

from datetime import timedelta

import privacy
from index import SearchIndex

from .. import clock
from ..circles import data as circles
from ..db import transaction
from ..questions.cases import answer_body, case_doc
from ..support import data as support
from .users import create_user, get_user, user_by_email

# Feature data modules with export(db, user_id) -> dict and forget(db, user_id).
PERSONAL_DATA = (support, circles)
FORMER_EMAIL = "oud-account@leer-kracht.invalid"
FORMER_NAME = "Oud-account"
# Why a coordinator deletes an account (the audit log keeps the key, never free text).
DELETE_REASONS = {
    "verzoek": "De persoon vroeg erom",
    "vertrokken": "Werkt niet meer in de regio",
    "dubbel": "Dubbel account",
    "anders": "Andere reden",
}


def former_account(db) -> int:
    """The system account that inherits the questions and answers of deleted accounts."""
    row = user_by_email(db, FORMER_EMAIL)
    if row:
        return row["id"]
    return create_user(db, FORMER_EMAIL, FORMER_NAME, "teacher", system=True)


# Columns that point at a person without being about her (set to NULL on deletion).
UNLINKED_COLUMNS = (
    ("questions", "best_chosen_by"),
    ("dossier_versions", "proposed_by"),
    ("dossier_versions", "decided_by"),
    ("activities", "created_by"),
)


def export(db, user_id: int) -> dict:
    """Everything the portal holds about a person, as JSON-ready data."""
    user = get_user(db, user_id)
    rows = lambda sql, params=(user_id,): [dict(r) for r in db.query(sql, list(params))]  # noqa: E731
    return {
        "exported_at": clock.stamp(),
        "account": {
            k: user[k]
            for k in ("email", "name", "role", "school_name", "created_at", "active", "topics")
        },
        "expertise": [
            r["cluster"] for r in rows("SELECT cluster FROM user_expertise WHERE user_id = ?")
        ],  # fmt: skip
        "notification_settings": rows(
            "SELECT kind, mode FROM notification_prefs WHERE user_id = ? ORDER BY kind"
        ),
        "questions": rows(
            "SELECT id, cluster, title, body, status, anonymous, grade_band, created_at, "
            "resolved_at FROM questions WHERE author_id = ? ORDER BY id"
        ),
        "additions_to_own_questions": rows(
            "SELECT a.question_id, a.body, a.created_at FROM question_additions a "
            "JOIN questions q ON q.id = a.question_id WHERE q.author_id = ? ORDER BY a.id"
        ),
        "answers": rows(
            "SELECT id, question_id, kind, body, created_at FROM answers WHERE author_id = ? "
            "ORDER BY id"
        ),
        "drafts": rows("SELECT key, fields, updated_at FROM drafts WHERE user_id = ? ORDER BY key"),
        "following": rows(
            "SELECT question_id, created_at FROM question_followers WHERE user_id = ? "
            "ORDER BY question_id"
        ),
        "suggestions_that_helped": rows(
            "SELECT kind, target, created_at FROM suggestion_helped WHERE user_id = ? ORDER BY id"
        ),
        "notifications": rows(
            "SELECT kind, title, text, created_at, read_at FROM notifications "
            "WHERE user_id = ? ORDER BY id"
        ),
        "mails": rows(
            "SELECT subject, body_text, created_at, sent_at FROM outbox WHERE to_addr = ? "
            "COLLATE NOCASE ORDER BY id",
            (user["email"],),
        ),
        "identity_reveals_made": rows(
            "SELECT question_id, reason, created_at FROM identity_reveals "
            "WHERE coordinator_id = ? ORDER BY id"
        ),
        "security_events": rows("SELECT at, event FROM audit_log WHERE actor_id = ? ORDER BY id"),
        # The features with tables of their own say what they hold about her.
        **{
            key: value
            for feature in PERSONAL_DATA
            for key, value in feature.export(db, user_id).items()
        },  # fmt: skip
    }


def delete_account(db, user_id: int) -> None:
    """Delete an account; its questions and answers stay as knowledge, unlinked.

    Everything else about her goes: her mail (sent or queued: nothing more is sent to her),
    drafts, notifications, follows, expertise and settings (the last ones by ON DELETE
    CASCADE).
    """
    user = get_user(db, user_id)
    if user is None or user["system"]:
        raise ValueError("no such account")
    former = former_account(db)
    with transaction(db.conn):
        for feature in PERSONAL_DATA:
            feature.forget(db, user_id)
        db.conn.execute(
            "UPDATE questions SET author_id = ?, anonymous = 1 WHERE author_id = ?",
            (former, user_id),
        )
        db.conn.execute("UPDATE answers SET author_id = ? WHERE author_id = ?", (former, user_id))
        db.conn.execute("UPDATE suggestion_helped SET user_id = NULL WHERE user_id = ?", (user_id,))
        db.conn.execute("UPDATE audit_log SET actor_id = NULL WHERE actor_id = ?", (user_id,))
        db.conn.execute(
            "UPDATE audit_log SET subject = 'user:deleted' WHERE subject = ?", (f"user:{user_id}",)
        )
        db.conn.execute("UPDATE invitations SET invited_by = NULL WHERE invited_by = ?", (user_id,))
        db.conn.execute("DELETE FROM invitations WHERE email = ?", (user["email"],))
        db.conn.execute("DELETE FROM outbox WHERE to_addr = ? COLLATE NOCASE", (user["email"],))
        db.conn.execute("DELETE FROM form_keys WHERE user_id = ?", (user_id,))
        # What she did for others stays, without her: who chose a best answer, proposed or
        # decided a dossier edit, planned an activity.
        for table, column in UNLINKED_COLUMNS:
            db.conn.execute(
                f"UPDATE {table} SET {column} = NULL WHERE {column} = ?",  # noqa: S608 # nosec B608 - constants
                (user_id,),
            )
        db.conn.execute("DELETE FROM users WHERE id = ?", (user_id,))


def retention(
    db, index: SearchIndex, open_days: int, resolved_days: int, schools=(), dry_run=False
) -> dict:
    """De-identify old questions: scrub residual names, unlink authors, drop raw threads.

    Open questions older than ``open_days`` and resolved cases older than ``resolved_days``
    are handled once each. A resolved case keeps its question and its most helpful answer
    (the knowledge); the other answers (the raw thread) are removed.
    """
    cutoff = lambda days: clock.stamp_in(-timedelta(days=days))  # noqa: E731
    old_open = list(
        db.query(
            "SELECT * FROM questions WHERE status = 'open' AND deidentified_at IS NULL "
            "AND created_at < ?",
            [cutoff(open_days)],
        )
    )
    old_resolved = list(
        db.query(
            "SELECT * FROM questions WHERE status = 'resolved' AND deidentified_at IS NULL "
            "AND resolved_at < ?",
            [cutoff(resolved_days)],
        )
    )
    result = {"open": len(old_open), "resolved": len(old_resolved), "answers_removed": 0}
    if dry_run or not (old_open or old_resolved):
        return result
    former = former_account(db)
    docs = []
    for q in old_resolved:
        best = privacy.scrub(answer_body(db, q["best_answer_id"]), schools)
        scrubbed = {
            **q,
            "title": privacy.scrub(q["title"], schools),
            "body": privacy.scrub(q["body"], schools),
        }
        docs.append((q, scrubbed, best, case_doc(scrubbed, best)))
    vectors = index.embed_docs([d for *_, d in docs]) if docs else []
    stamp = clock.stamp()
    with transaction(db.conn):
        for q in old_open:
            db.conn.execute(
                "UPDATE questions SET title = ?, body = ?, author_id = ?, anonymous = 1, "
                "deidentified_at = ? WHERE id = ?",
                (
                    privacy.scrub(q["title"], schools),
                    privacy.scrub(q["body"], schools),
                    former,
                    stamp,
                    q["id"],
                ),
            )
            db.conn.execute(
                "UPDATE answers SET author_id = ? WHERE question_id = ?", (former, q["id"])
            )
        for q, scrubbed, best, _ in docs:
            removed = db.conn.execute(
                "DELETE FROM answers WHERE question_id = ? AND id != ?",
                (q["id"], q["best_answer_id"]),
            ).rowcount
            result["answers_removed"] += removed
            db.conn.execute(
                "UPDATE answers SET body = ?, author_id = ? WHERE id = ?",
                (best, former, q["best_answer_id"]),
            )
            db.conn.execute(
                "UPDATE questions SET title = ?, body = ?, author_id = ?, anonymous = 1, "
                "deidentified_at = ? WHERE id = ?",
                (scrubbed["title"], scrubbed["body"], former, stamp, q["id"]),
            )
        if docs:
            index.write_docs(db.conn, [d for *_, d in docs], vectors)
    index.refresh(db.conn)
    return result
