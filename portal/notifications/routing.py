"""Who hears of a question: matching expertise first, the region later, experts on escalation."""

from index import SearchIndex

from .. import clock
from ..db import transaction
from . import notify


def colleagues_with_expertise(db, cluster: str, exclude: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT e.user_id FROM user_expertise e JOIN users u ON u.id = e.user_id "
            "WHERE e.cluster = ? AND u.active = 1 AND u.id != ? "
            "AND u.role IN ('teacher', 'expert')",
            [cluster, exclude],
        )
    ]


def answerers_of_similar_cases(db, index: SearchIndex, question: dict, k: int = 3) -> list[int]:
    """Those whose answer helped in the most similar resolved cases."""
    hits = index.search(db.conn, f"{question['title']}\n{question['body']}", k=k, kind="case")
    ids = [int(h.target) for h in hits if h.band]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT a.author_id FROM questions q "  # noqa: S608 # nosec B608
            "JOIN answers a ON a.id = q.best_answer_id "
            f"JOIN users u ON u.id = a.author_id WHERE q.id IN ({marks}) AND u.system = 0 "
            "AND u.active = 1",
            ids,
        )
        if r[0] != question["author_id"]
    ]


def announce(db, index: SearchIndex, question: dict) -> int:
    """Tell the colleagues most likely to help about a new question, first."""
    people = set(colleagues_with_expertise(db, question["cluster"], question["author_id"]))
    people |= set(answerers_of_similar_cases(db, index, question))
    return notify.notify(db, people, "new_question", question)


def invite(db, question: dict, user_id: int) -> int:
    return notify.notify(db, [user_id], "invited", question)


def on_answer(db, question: dict, answer_author: int) -> None:
    """The asker and the followers hear of a new answer."""
    if question["author_id"] != answer_author:
        notify.notify(db, [question["author_id"]], "answer", question)
    followers = [
        r[0]
        for r in db.execute(
            "SELECT user_id FROM question_followers WHERE question_id = ? AND user_id != ?",
            [question["id"], answer_author],
        )
    ]
    # A follower hears of each answer once per question (the unique key), which is enough
    # to bring her back to the thread.
    notify.notify(db, followers, "followed_answer", question)


def toggle_follow(db, question_id: int, user_id: int) -> bool:
    """Follow or unfollow ("ik wil dit ook weten"); return whether she follows now."""
    with transaction(db.conn):
        removed = db.conn.execute(
            "DELETE FROM question_followers WHERE question_id = ? AND user_id = ?",
            (question_id, user_id),
        ).rowcount
        if not removed:
            db.conn.execute(
                "INSERT INTO question_followers (question_id, user_id, created_at) "
                "VALUES (?, ?, ?)",
                (question_id, user_id, clock.stamp()),
            )
    return not removed


def follower_count(db, question_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM question_followers WHERE question_id = ?", [question_id]
    ).fetchone()[0]


def is_following(db, question_id: int, user_id: int) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM question_followers WHERE question_id = ? AND user_id = ?",
            [question_id, user_id],
        ).fetchone()
    )
