"""Importing resolved cases from a JSONL file: validate every line, then all or nothing."""

import json
from collections.abc import Callable, Iterable

import privacy
from index import SearchIndex
from index.documents import case_document

from .. import clock
from ..accounts.users import import_account
from ..db import transaction
from .cases import ANSWER_KINDS, CLUSTERS, LIMITS


class ImportError_(ValueError):
    """A line of an import file is malformed; the message names the line (English)."""


def parse_import(lines: Iterable[str]) -> list[dict]:
    """Validate every line of a JSONL file before anything is written."""
    cases, refs = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportError_(f"line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise ImportError_(f"line {number}: expected a JSON object")
        problem = _import_problem(obj, refs)
        if problem:
            raise ImportError_(f"line {number}: {problem}")
        if obj.get("ref"):
            refs.add(obj["ref"])
        cases.append(obj)
    return cases


def _import_problem(obj: dict, refs: set) -> str | None:
    ref = obj.get("ref")
    if ref is not None and (not isinstance(ref, str) or not ref.strip() or len(ref) > 100):
        return "'ref' must be a non-empty string of at most 100 characters"
    if ref in refs:
        return f"duplicate ref {ref!r}"
    if obj.get("cluster") not in CLUSTERS:
        return f"'cluster' must be one of {', '.join(CLUSTERS)}"
    for key in ("title", "body"):
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"'{key}' must be a non-empty string"
        if len(value) > LIMITS[key][1]:
            return f"'{key}' is longer than {LIMITS[key][1]} characters"
    answers = obj.get("answers")
    if not isinstance(answers, list) or not answers:
        return "'answers' must be a non-empty list"
    for i, ans in enumerate(answers):
        if (
            not isinstance(ans, dict)
            or not isinstance(ans.get("body"), str)
            or not ans["body"].strip()
        ):
            return f"answers[{i}] must be an object with a non-empty 'body'"
        if ans.get("kind", "idea") not in ANSWER_KINDS:
            return f"answers[{i}].kind must be one of {', '.join(ANSWER_KINDS)}"
    best = obj.get("best")
    if not isinstance(best, int) or isinstance(best, bool) or not 0 <= best < len(answers):
        return f"'best' must be the index of one of the {len(answers)} answers"
    return None


def _case_fields(case: dict):
    yield "title", case["title"]
    yield "body", case["body"]
    for i, ans in enumerate(case["answers"]):
        yield f"answers[{i}]", ans["body"]


def privacy_findings(cases: list[dict], schools=()) -> list[tuple]:
    """Return (case number, field, finding) for everything the privacy guard finds."""
    # scan_all, not scan: scan() stops at MAX_SCAN_CHARS (it is the live warning), so a
    # name after the first 20,000 characters of a long case would let the import through.
    return [
        (number, field, f)
        for number, case in enumerate(cases, start=1)
        for field, text in _case_fields(case)
        for f in privacy.scan_all(text, schools)
    ]


def scrub_cases(cases: list[dict], schools=()) -> list[dict]:
    """Return the cases with every privacy finding replaced by its placeholder."""
    return [
        {
            **c,
            "title": privacy.scrub(c["title"], schools),
            "body": privacy.scrub(c["body"], schools),
            "answers": [{**a, "body": privacy.scrub(a["body"], schools)} for a in c["answers"]],
        }
        for c in cases
    ]


def import_cases(
    db, index: SearchIndex, cases: list[dict], progress: Callable[[int], None] | None = None
) -> dict:
    """Import parsed resolved cases in one transaction; skip refs that already exist."""
    existing = {r[0] for r in db.execute("SELECT ref FROM questions WHERE ref IS NOT NULL")}
    new = [c for c in cases if not c.get("ref") or c["ref"] not in existing]
    author = import_account(db)
    docs = [
        case_document(
            "", c["title"], c["body"], c["answers"][c["best"]]["body"], c.get("ref"), c["cluster"]
        )
        for c in new
    ]
    vectors = index.embed_docs(docs, progress)
    stamp = clock.stamp()
    with transaction(db.conn):
        for case, doc in zip(new, docs, strict=True):
            qid = db.conn.execute(
                "INSERT INTO questions (ref, author_id, cluster, title, body, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (case.get("ref"), author, case["cluster"], doc.title, case["body"].strip(), stamp),
            ).lastrowid
            best_id = None
            for i, ans in enumerate(case["answers"]):
                aid = db.conn.execute(
                    "INSERT INTO answers (question_id, author_id, kind, body, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (qid, author, ans.get("kind", "idea"), ans["body"].strip(), stamp),
                ).lastrowid
                if i == case["best"]:
                    best_id = aid
            db.conn.execute(
                "UPDATE questions SET status = 'resolved', best_answer_id = ?, resolved_at = ? "
                "WHERE id = ?",
                (best_id, stamp, qid),
            )
            doc.target = str(qid)
        index.write_docs(db.conn, docs, vectors)
    index.refresh(db.conn)
    return {"imported": len(new), "skipped": len(cases) - len(new)}
