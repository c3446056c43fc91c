"""Drafts: a question or answer being written, kept per person until it is posted.

A long question is never lost: the ask and answer forms save what is typed (with every
live search, and on every post), also when the session has just expired; after logging in
she finds her text back. Drafts are personal data: exported and deleted with the account.
"""

import json

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import clock
from ..db import transaction

FIELDS = ("title", "body", "cluster", "grade_band", "anonymous", "kind")
MAX_CHARS = 12000


def save(db, user_id: int, key: str, fields: dict) -> None:
    """Keep what she typed (known fields only, bounded); an empty form removes the draft."""
    kept = {k: str(v)[:MAX_CHARS] for k, v in fields.items() if k in FIELDS and v}
    if not (kept.get("title", "").strip() or kept.get("body", "").strip()):
        return
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO drafts (user_id, key, fields, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, key) DO UPDATE SET fields = excluded.fields, "
            "updated_at = excluded.updated_at",
            (user_id, key[:80], json.dumps(kept, ensure_ascii=False), clock.stamp()),
        )


def get(db, user_id: int, key: str) -> dict | None:
    row = db.execute(
        "SELECT fields, updated_at FROM drafts WHERE user_id = ? AND key = ?", [user_id, key]
    ).fetchone()
    return {**json.loads(row[0]), "updated_at": row[1]} if row else None


def delete(db, user_id: int, key: str) -> None:
    with transaction(db.conn):
        db.conn.execute("DELETE FROM drafts WHERE user_id = ? AND key = ?", (user_id, key))


def for_user(db, user_id: int) -> list[dict]:
    """Her drafts, newest first, with what each is for."""
    return [
        {"key": key, "updated_at": stamp, **json.loads(fields)}
        for key, fields, stamp in db.execute(
            "SELECT key, fields, updated_at FROM drafts WHERE user_id = ? ORDER BY updated_at DESC",
            [user_id],
        )
    ]


# The pages whose text must survive an expired session: endpoint -> the draft's key and
# the page to come back to.
def _ask(view_args):
    return "ask", "/vraag"


def _answer(view_args):
    qid = view_args["question_id"]
    return f"answer:{qid}", f"/vragen/{qid}#beantwoorden"


def _addition(view_args):
    qid = view_args["question_id"]
    return f"addition:{qid}", f"/vragen/{qid}#beantwoorden"


DRAFTABLE = {
    "questions.ask": _ask,
    "questions.answer": _answer,
    "questions.addition": _addition,
}


def from_request(endpoint: str | None, view_args: dict, form) -> tuple[str, str, dict] | None:
    """(key, page, fields) of the text a POST to a draftable page carries, or None."""
    if endpoint not in DRAFTABLE:
        return None
    key, page = DRAFTABLE[endpoint](view_args or {})
    fields = {k: form.get(k, "") for k in FIELDS if form.get(k)}
    if not (fields.get("title") or fields.get("body")):
        return None
    return key, page, fields


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="carried-draft")


def carry(key: str, page: str, fields: dict) -> str:
    """Sign a text that could not be saved yet, so a page can carry it to a later POST.

    Nothing is written before that POST passes its own login and CSRF checks: a forged
    request cannot plant a draft in someone's account.
    """
    return _signer().dumps({"key": key, "page": page, "fields": fields})


def uncarry(raw: str) -> tuple[str, str, dict] | None:
    """(key, page, fields) of a carried text, or None when it is missing, forged or old."""
    if not raw:
        return None
    try:
        data = _signer().loads(raw, max_age=86400)
    except BadSignature:
        return None
    return data["key"], data["page"], data["fields"]
