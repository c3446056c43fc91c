"""The themes in the region's questions, computed in `jobs run` and kept for the page.

Each question is embedded once (again only when its text changes or the model does), with
its best dossier match; the themes are recomputed when questions were added or changed.
"""

import hashlib
import json
import re

import numpy as np

from index import SearchIndex
from index.themes import centred, find_themes

from .. import clock
from ..db import transaction

MIN_CELL = 5  # no figure shows fewer questions than this (small numbers point at people)
REFRESH_AFTER_NEW = 5  # recompute the themes when this many questions changed


def _questions(db) -> list[dict]:
    """The questions teachers asked (not cases imported from elsewhere)."""
    return list(
        db.query(
            "SELECT q.id, q.title, q.body, q.cluster, q.created_at, u.school_id "
            "FROM questions q JOIN users u ON u.id = q.author_id "
            "WHERE (q.ref IS NULL OR u.system = 0) AND q.title != '' ORDER BY q.id"
        )
    )


# Who and which grade a question is about says nothing about its theme, and sentence
# embeddings weigh it heavily ("Meisje groep 4 ..."): left out of the text that is clustered.
_NOT_A_THEME = re.compile(
    r"\b(meisjes?|jongens?|leerlingen|leerling|kinderen|kind|kleuters?|"
    r"(in )?(groep|gr\.?) ?\d(/\d)?|mijn|hele)\b",
    re.IGNORECASE,
)


def theme_text(title: str, body: str) -> str:
    """The part of a question that says what it is about, for clustering."""
    return re.sub(r"\s+", " ", _NOT_A_THEME.sub(" ", f"{title}. {body[:400]}")).strip()


def _hash(q: dict) -> str:
    return hashlib.sha256(f"{q['title']}\n{q['body']}".encode()).hexdigest()[:16]


def refresh_vectors(db, index: SearchIndex) -> int:
    """Embed the questions that are new or changed; return how many were (re)embedded."""
    model = index.encoders.model_id
    known = {
        r[0]: (r[1], r[2])
        for r in db.execute("SELECT question_id, model, text_hash FROM question_vectors")
    }
    todo = [q for q in _questions(db) if known.get(q["id"]) != (model, _hash(q))]
    for start in range(0, len(todo), 32):
        batch = todo[start : start + 32]
        texts = [theme_text(q["title"], q["body"]) for q in batch]
        themed = index.embed_queries(texts)
        rows = []
        for q, text, tv in zip(batch, texts, themed, strict=True):
            # The best dossier section, found as the ask page finds it (one embedding each).
            hits = index.search(db.conn, text, k=1, kind="dossier", vectors=tv)
            best = hits[0] if hits else None
            rows.append(
                (
                    q["id"],
                    model,
                    _hash(q),
                    np.asarray(tv.main, dtype=np.float32).tobytes(),
                    None if tv.second is None else np.asarray(tv.second, np.float32).tobytes(),
                    best.target if best else None,
                    best.band if best else None,
                    clock.stamp(),
                )
            )
        with transaction(db.conn):
            db.conn.executemany(
                "INSERT OR REPLACE INTO question_vectors (question_id, model, text_hash, vector, "
                "second, dossier_target, dossier_band, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    return len(todo)


def compute(db, index: SearchIndex) -> dict:
    """Find the themes now and keep them; return what was kept."""
    model = index.encoders.model_id
    questions = {q["id"]: q for q in _questions(db)}
    rows = [
        r
        for r in db.execute(
            "SELECT question_id, vector, dossier_band, second FROM question_vectors "
            "WHERE model = ?",
            [model],
        )
        if r[0] in questions
    ]
    ids = [r[0] for r in rows]
    vectors = _features(rows) if rows else None
    texts = [theme_text(questions[i]["title"], questions[i]["body"]) for i in ids]
    found = find_themes(vectors, texts, min_size=MIN_CELL) if rows else []
    covered = {r[0]: r[2] is not None for r in rows}
    themes = []
    for theme in found:
        members = [ids[i] for i in theme.members]
        clusters: dict[str, int] = {}
        for qid in members:
            clusters[questions[qid]["cluster"]] = clusters.get(questions[qid]["cluster"], 0) + 1
        themes.append(
            {
                "words": theme.words,
                "size": len(members),
                "questions": members,
                "examples": [questions[ids[i]]["title"] for i in theme.examples],
                "covered_share": sum(covered[q] for q in members) / len(members),
                "clusters": dict(sorted(clusters.items(), key=lambda kv: -kv[1])),
            }
        )
    with transaction(db.conn):
        db.conn.execute(
            "INSERT INTO insight_themes (computed_at, model, questions, themes) "
            "VALUES (?, ?, ?, ?)",
            (clock.stamp(), model, len(rows), json.dumps(themes, ensure_ascii=False)),
        )
        db.conn.execute(
            "DELETE FROM insight_themes WHERE id NOT IN "
            "(SELECT id FROM insight_themes ORDER BY id DESC LIMIT 5)"
        )
    return latest(db)


def _features(rows) -> np.ndarray:
    """Both encoders' vectors, each centred on the corpus, side by side (equal weight)."""
    parts = [np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])]
    if all(r[3] is not None for r in rows):
        parts.append(np.stack([np.frombuffer(r[3], dtype=np.float32) for r in rows]))
    return np.hstack([centred(p) for p in parts]) / np.sqrt(len(parts))


def latest(db) -> dict | None:
    """The themes found last, or None when they were never computed."""
    row = db.execute(
        "SELECT computed_at, model, questions, themes FROM insight_themes ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {
        "computed_at": row[0],
        "model": row[1],
        "questions": row[2],
        "themes": json.loads(row[3]),
    }


def run(db, index: SearchIndex) -> dict:
    """The jobs step: embed what is new, recompute the themes when enough changed."""
    changed = refresh_vectors(db, index)
    last = latest(db)
    stale = last is None or last["model"] != index.encoders.model_id
    if stale or changed >= REFRESH_AFTER_NEW or (changed and _older_than_a_day(last)):
        compute(db, index)
        return {"insight_questions_embedded": changed, "insight_themes": 1}
    return {"insight_questions_embedded": changed, "insight_themes": 0}


def _older_than_a_day(last: dict) -> bool:
    return clock.hours_between(last["computed_at"], clock.stamp()) >= 24
