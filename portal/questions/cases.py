"""Questions, answers and resolved cases: data access and indexing."""

from index import SearchIndex, ranking
from index.documents import case_document

from .. import clock
from ..db import transaction

CLUSTERS = {
    "druk-impulsief": "Druk, onrustig en impulsief",
    "informatieverwerking-sociaal": "Informatieverwerking, communicatie en sociaal gedrag",
    "angstig-teruggetrokken": "Angstig, teruggetrokken en somber",
    "agressief": "Agressief gedrag",
    "overig": "Overig",
}
ANSWER_KINDS = {"idea": "Een idee", "source": "Een bron", "experience": "Eigen ervaring"}
# (min, max) characters per field.
LIMITS = {"title": (10, 160), "body": (20, 5000), "answer": (10, 5000)}


class CaseError(ValueError):
    """A request that cannot be honoured; the message is Dutch, status the HTTP code."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---- reading ------------------------------------------------------------------------------

QUESTION_SELECT = """
SELECT q.*, u.name AS author_name, u.system AS author_system, s.name AS school_name,
       s.kind AS school_kind,
       (SELECT count(*) FROM answers a WHERE a.question_id = q.id) AS answer_count
FROM questions q
JOIN users u ON u.id = q.author_id
LEFT JOIN schools s ON s.id = u.school_id
"""


def hide_asker(row: dict, viewer_id: int | None) -> dict:
    """An anonymous question as others see it: no name and no school of the asker in it.

    Applied before anything reaches a template, so no page, fragment or mail can show the
    identity by mistake; the coordinator sees it only after a logged reveal.
    """
    if row.get("anonymous") and row.get("author_id") != viewer_id:
        return {**row, "author_name": None, "school_name": None, "author_id": None}
    return row


def get_question(db, question_id: int) -> dict | None:
    rows = list(db.query(QUESTION_SELECT + "WHERE q.id = ?", [question_id]))
    return rows[0] if rows else None


def get_answers(db, question_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT a.*, u.name AS author_name, u.system AS author_system, "
            "u.role AS author_role, s.name AS school_name, "
            "EXISTS (SELECT 1 FROM support_requests r WHERE r.answer_id = a.id) AS from_support "
            "FROM answers a JOIN users u ON u.id = a.author_id "
            "LEFT JOIN schools s ON s.id = u.school_id WHERE a.question_id = ? "
            "ORDER BY a.created_at, a.id",
            [question_id],
        )
    )


def list_questions(
    db, status: str, cluster: str | None = None, limit=50, offset=0, exclude_author=None
) -> list[dict]:
    """Open questions unanswered first, then newest; resolved cases newest first."""
    where, params = "WHERE q.status = ?", [status]
    if cluster in CLUSTERS:
        where += " AND q.cluster = ?"
        params.append(cluster)
    if exclude_author is not None:
        where += " AND q.author_id != ?"
        params.append(exclude_author)
    order = (
        "ORDER BY answer_count > 0, q.created_at DESC, q.id DESC"
        if status == "open"
        else "ORDER BY q.resolved_at DESC, q.id DESC"
    )
    return list(
        db.query(f"{QUESTION_SELECT} {where} {order} LIMIT ? OFFSET ?", [*params, limit, offset])
    )


def by_ids(db, ids: list[int]) -> list[dict]:
    """Questions by id, in the order given (a search's ranking)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in db.query(f"{QUESTION_SELECT} WHERE q.id IN ({marks})", ids)}  # noqa: S608 # nosec B608 - only '?' marks
    return [rows[i] for i in ids if i in rows]


def by_author(db, author_id: int) -> list[dict]:
    """A teacher's own questions, newest first (Mijn vragen)."""
    return list(
        db.query(
            f"{QUESTION_SELECT} WHERE q.author_id = ? ORDER BY q.created_at DESC, q.id DESC",  # noqa: S608 # nosec B608 - constant
            [author_id],
        )
    )


def escalated_unanswered(db) -> list[dict]:
    """Escalated questions that still have no answer, oldest first."""
    return list(
        db.query(
            f"{QUESTION_SELECT} WHERE q.status = 'open' AND q.escalated_at IS NOT NULL "  # noqa: S608 # nosec B608 - constant
            "AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id) "
            "ORDER BY q.created_at"
        )
    )


def count_questions(db, status: str, cluster: str | None = None) -> int:
    if cluster in CLUSTERS:
        return db.execute(
            "SELECT count(*) FROM questions WHERE status = ? AND cluster = ?", [status, cluster]
        ).fetchone()[0]
    return db.execute("SELECT count(*) FROM questions WHERE status = ?", [status]).fetchone()[0]


def region_figures(db) -> dict:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "open": one("SELECT count(*) FROM questions WHERE status = 'open'"),
        "unanswered": one(
            "SELECT count(*) FROM questions q WHERE status = 'open' AND NOT EXISTS "
            "(SELECT 1 FROM answers a WHERE a.question_id = q.id)"
        ),
        "resolved": one("SELECT count(*) FROM questions WHERE status = 'resolved'"),
        "helped": one("SELECT count(*) FROM suggestion_helped"),
    }


# ---- writing ------------------------------------------------------------------------------


def _check_length(field: str, text: str, label: str) -> str:
    text = (text or "").strip()
    low, high = LIMITS[field]
    if len(text) < low:
        raise CaseError(f"{label} is te kort (minstens {low} tekens).")
    if len(text) > high:
        raise CaseError(f"{label} is te lang (hoogstens {high} tekens).")
    return text


GRADE_BANDS = ("1-2", "3-4", "5-6", "7-8")


def posted_before(db, form_key: str | None, user_id: int) -> str | None:
    """Where a form with this one-time key led the first time it was posted (or None)."""
    if not form_key:
        return None
    row = db.execute(
        "SELECT result FROM form_keys WHERE key = ? AND user_id = ?", [form_key, user_id]
    ).fetchone()
    return row[0] if row else None


def _remember_form_key(db, form_key: str | None, user_id: int, result: str) -> None:
    """Inside the transaction that wrote the post: a retry finds it instead of posting twice."""
    if form_key:
        db.conn.execute(
            "INSERT OR IGNORE INTO form_keys (key, user_id, result, created_at) "
            "VALUES (?, ?, ?, ?)",
            (form_key[:64], user_id, result, clock.stamp()),
        )


def create_question(
    db,
    author_id: int,
    cluster: str,
    title: str,
    body: str,
    anonymous: bool = False,
    grade_band: str | None = None,
    form_key: str | None = None,
) -> int:
    if cluster not in CLUSTERS:
        raise CaseError("Kies over welk soort gedrag je vraag gaat.")
    title = _check_length("title", title, "Je korte vraag")
    body = _check_length("body", body, "Je beschrijving")
    grade_band = grade_band if grade_band in GRADE_BANDS else None
    with transaction(db.conn):
        cur = db.conn.execute(
            "INSERT INTO questions (author_id, cluster, title, body, anonymous, grade_band, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (author_id, cluster, title, body, int(bool(anonymous)), grade_band, clock.stamp()),
        )
        _remember_form_key(db, form_key, author_id, f"/vragen/{cur.lastrowid}")
        db.conn.execute("DELETE FROM drafts WHERE user_id = ? AND key = 'ask'", (author_id,))
    return cur.lastrowid


def add_answer(
    db, question_id: int, author_id: int, kind: str, body: str, form_key: str | None = None
) -> int:
    question = get_question(db, question_id)
    if question is None:
        raise CaseError("Deze vraag bestaat niet (meer).", 404)
    if question["author_id"] == author_id:
        raise CaseError("Je eigen vraag vul je aan met 'Vul je vraag aan'.", 400)
    if kind not in ANSWER_KINDS:
        raise CaseError("Kies wat je antwoord biedt: een idee, een bron of eigen ervaring.")
    body = _check_length("answer", body, "Je antwoord")
    with transaction(db.conn):
        cur = db.conn.execute(
            "INSERT INTO answers (question_id, author_id, kind, body, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (question_id, author_id, kind, body, clock.stamp()),
        )
        _remember_form_key(
            db, form_key, author_id, f"/vragen/{question_id}#antwoord-{cur.lastrowid}"
        )
        db.conn.execute(
            "DELETE FROM drafts WHERE user_id = ? AND key = ?",
            (author_id, f"answer:{question_id}"),
        )
    return cur.lastrowid


def add_addition(db, question_id: int, user_id: int, body: str) -> int:
    """The asker adds to her own question: shown under it, dated, never an answer."""
    question = get_question(db, question_id)
    if question is None:
        raise CaseError("Deze vraag bestaat niet (meer).", 404)
    if question["author_id"] != user_id:
        raise CaseError("Alleen wie de vraag stelde, kan haar aanvullen.", 403)
    body = _check_length("answer", body, "Je aanvulling")
    with transaction(db.conn):
        cur = db.conn.execute(
            "INSERT INTO question_additions (question_id, body, created_at) VALUES (?, ?, ?)",
            (question_id, body, clock.stamp()),
        )
        db.conn.execute(
            "DELETE FROM drafts WHERE user_id = ? AND key = ?",
            (user_id, f"addition:{question_id}"),
        )
    return cur.lastrowid


def record_reveal(db, question_id: int, coordinator_id: int, reason: str) -> int:
    """Keep why a coordinator saw who asked an anonymous question."""
    with transaction(db.conn):
        return db.conn.execute(
            "INSERT INTO identity_reveals (question_id, coordinator_id, reason, created_at) "
            "VALUES (?, ?, ?, ?)",
            (question_id, coordinator_id, reason.strip(), clock.stamp()),
        ).lastrowid


def get_additions(db, question_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM question_additions WHERE question_id = ? ORDER BY created_at, id",
            [question_id],
        )
    )


def mark_best(
    db,
    index: SearchIndex,
    question_id: int,
    answer_id: int,
    user_id: int,
    chosen_by: int | None = None,
) -> None:
    """Mark the most helpful answer: the question becomes a resolved case and is indexed."""
    question = get_question(db, question_id)
    if question is None:
        raise CaseError("Deze vraag bestaat niet (meer).", 404)
    if question["author_id"] != user_id:
        raise CaseError(
            "Alleen wie de vraag stelde, kan het meest behulpzame antwoord kiezen.", 403
        )
    answer = db.execute(
        "SELECT id FROM answers WHERE id = ? AND question_id = ?", [answer_id, question_id]
    ).fetchone()
    if answer is None:
        raise CaseError("Dit antwoord hoort niet bij deze vraag.", 404)
    question = {**question, "best_answer_id": answer_id, "status": "resolved"}
    doc = case_doc(question, answer_body(db, answer_id))
    # Embed before taking the write lock; then the state change and the index entry are
    # written in one transaction, so they cannot disagree after a crash.
    vectors = index.embed_docs([doc])
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE questions SET status = 'resolved', best_answer_id = ?, "
            "resolved_at = coalesce(resolved_at, ?), best_chosen_by = ? WHERE id = ?",
            (answer_id, clock.stamp(), chosen_by, question_id),
        )
        index.write_docs(db.conn, [doc], vectors)
    index.refresh(db.conn)


def answer_body(db, answer_id: int) -> str:
    return db.execute("SELECT body FROM answers WHERE id = ?", [answer_id]).fetchone()[0]


def can_edit(question: dict, user) -> bool:
    """The asker edits her own question; the coordinator moderates every question."""
    return user.role == "coordinator" or (
        user.role in ("teacher", "expert") and question["author_id"] == user.id
    )


def update_question(db, index: SearchIndex, question_id: int, title: str, body: str) -> None:
    """Edit a question; a resolved case is re-indexed in the same transaction."""
    question = get_question(db, question_id)
    if question is None:
        raise CaseError("Deze vraag bestaat niet (meer).", 404)
    title = _check_length("title", title, "Je korte vraag")
    body = _check_length("body", body, "Je beschrijving")
    doc = vectors = None
    if question["status"] == "resolved":
        doc = case_doc(
            {**question, "title": title, "body": body}, answer_body(db, question["best_answer_id"])
        )
        vectors = index.embed_docs([doc])
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE questions SET title = ?, body = ? WHERE id = ?", (title, body, question_id)
        )
        if doc is not None:
            index.write_docs(db.conn, [doc], vectors)
    index.refresh(db.conn)


def delete_question(db, index: SearchIndex, question_id: int) -> None:
    """Delete a question with its answers; it leaves the index in the same transaction."""
    if get_question(db, question_id) is None:
        raise CaseError("Deze vraag bestaat niet (meer).", 404)
    with transaction(db.conn):
        db.conn.execute("UPDATE questions SET best_answer_id = NULL WHERE id = ?", (question_id,))
        db.conn.execute("DELETE FROM answers WHERE question_id = ?", (question_id,))
        db.conn.execute("DELETE FROM questions WHERE id = ?", (question_id,))
        index.remove(db.conn, "case", [str(question_id)])
    index.refresh(db.conn)


# "Heeft het geholpen?" weighs in ranking (index/ranking.py).
HELPED_BOOST = ranking.FEEDBACK_BOOST
HELPED_LABELS = {"ja": "het hielp", "deels": "het hielp een beetje", "nee": "het hielp niet"}


def set_helped(db, index: SearchIndex, question_id: int, value: str) -> None:
    with transaction(db.conn):
        db.conn.execute("UPDATE questions SET helped = ? WHERE id = ?", (value, question_id))
        index.set_boost(db.conn, "case", str(question_id), HELPED_BOOST[value])


def record_helped(
    db, index: SearchIndex, user_id: int, kind: str, target: str, asked: str = ""
) -> bool:
    """Count that a suggestion answered a teacher's question (nothing is posted).

    Once per teacher and suggestion: returns False when she had said so already. ``asked``
    (her question, already scrubbed of personal data) joins the suggestion's query memory,
    so the next teacher who asks the same finds it sooner; it is stored without her name.
    """
    if kind not in ("case", "dossier") or not target or len(target) > 200:
        raise CaseError("Onbekende suggestie.")
    if not index.has(db.conn, kind, target):
        raise CaseError("Deze suggestie bestaat niet (meer).", 404)
    with transaction(db.conn):
        new = db.conn.execute(
            "INSERT OR IGNORE INTO suggestion_helped (user_id, kind, target, created_at) "
            "VALUES (?, ?, ?, ?)",
            (user_id, kind, target, clock.stamp()),
        ).rowcount
    if new and asked.strip():
        index.add_memory(db.conn, kind, target, asked)
    return bool(new)


# ---- the index's view of a case -----------------------------------------------------------


def case_doc(question: dict, best_answer: str):
    """What the index knows of a resolved case: question and the answer that helped."""
    return case_document(
        question["id"],
        question["title"],
        question["body"],
        best_answer,
        question.get("ref"),
        question.get("cluster"),
    )


def all_case_docs(db) -> list:
    rows = db.query(
        "SELECT q.id, q.ref, q.cluster, q.title, q.body, a.body AS best FROM questions q "
        "JOIN answers a ON a.id = q.best_answer_id WHERE q.status = 'resolved' ORDER BY q.id"
    )
    return [case_doc(r, r["best"]) for r in rows]
