"""The demo region: fictional schools and people, a year and a half of questions, activities.

Everything comes from ``content/demo`` (format in content/README.md); dates there are
relative to today, so the demo always looks alive.
"""

import json
from datetime import timedelta
from functools import cache
from pathlib import Path

from index import SearchIndex

from . import clock
from .accounts import users
from .activities import data as activities
from .circles import demo as circles_demo
from .db import transaction
from .questions import cases
from .settings import ROOT
from .support import demo as support_demo

PASSWORD = "demo-wachtwoord"  # noqa: S105 - the published password of demo accounts
DOMAIN = "demo.leer-kracht.nl"
DEMO_DIR = ROOT / "content" / "demo"


@cache
def region(demo_dir: Path = DEMO_DIR) -> dict:
    return json.loads((Path(demo_dir) / "region.json").read_text(encoding="utf-8"))


def school_names(demo_dir: Path = DEMO_DIR) -> list[str]:
    """The demo region's schools (also used to measure the privacy guard without a database)."""
    return [s["name"] for s in region(demo_dir)["schools"]]


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def create(db, index: SearchIndex, demo_dir: Path) -> dict:
    """Fill an empty database with the demo region."""
    demo_dir = Path(demo_dir)
    info = region(demo_dir)
    school_ids = {s["name"]: users.create_school(db, s["name"], s["kind"]) for s in info["schools"]}
    people = {}
    for p in info["people"]:
        people[p["local"]] = users.create_user(
            db,
            f"{p['local']}@{DOMAIN}",
            p["name"],
            p["role"],
            school_ids.get(p["school"]),
            PASSWORD,
        )
        if p.get("expertise") or p.get("topics"):
            users.set_profile(db, people[p["local"]], p.get("expertise", []), p.get("topics", ""))
    now = clock.now()
    resolved = _lines(demo_dir / "cases.jsonl")
    open_items = _lines(demo_dir / "open_questions.jsonl")
    with transaction(db.conn):
        ids = {item["ref"]: _question(db, item, people, now) for item in resolved + open_items}
    docs = []
    for item in resolved:
        question = cases.get_question(db, ids[item["ref"]])
        docs.append(cases.case_doc(question, cases.answer_body(db, question["best_answer_id"])))
    index.write_docs(db.conn, docs, index.embed_docs(docs))
    for item in resolved:
        if item.get("helped"):
            boost = cases.HELPED_BOOST[item["helped"]]
            index.set_boost(db.conn, "case", str(ids[item["ref"]]), boost)
    index.refresh(db.conn)
    for item in _activities(demo_dir):
        start = (now + timedelta(days=item["days_from_now"])).astimezone(clock.AMSTERDAM)
        hour, minute = map(int, item.get("start", "19:30").split(":"))
        activities.create(
            db,
            people["coordinator"],
            **{**item, "starts_at": clock.local_stamp(start.replace(hour=hour, minute=minute))},
        )
    circles = circles_demo.load(db, demo_dir, people, ids, now)
    requests = support_demo.load(db, demo_dir, people, ids, now)
    return {
        "schools": len(school_ids),
        "users": len(people),
        "cases": len(resolved),
        "open": len(open_items),
        "circles": circles,
        "support": requests,
    }


def _question(db, item: dict, people: dict, now) -> int:
    """Write one demo question with its answers at the times the demo file gives."""
    asked = now - timedelta(days=item.get("asked_days_ago", 1), hours=len(item["title"]) % 7)
    first_answer = asked + timedelta(hours=item.get("first_answer_hours", 3))
    question_id = db.conn.execute(
        "INSERT INTO questions (ref, author_id, cluster, title, body, anonymous, grade_band, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item["ref"],
            people[item["asker"]],
            item["cluster"],
            item["title"],
            item["body"],
            int(bool(item.get("anonymous"))),
            item.get("grade_band"),
            clock.stamp(asked),
        ),
    ).lastrowid
    answer_ids = []
    for n, answer in enumerate(item.get("answers", [])):
        at = min(first_answer + timedelta(hours=5 * n), now - timedelta(minutes=5))
        answer_ids.append(
            db.conn.execute(
                "INSERT INTO answers (question_id, author_id, kind, body, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    question_id,
                    people[answer["by"]],
                    answer["kind"],
                    answer["body"],
                    clock.stamp(at),
                ),
            ).lastrowid
        )
    if item.get("escalated"):
        db.conn.execute(
            "UPDATE questions SET escalated_at = ?, broadcast_at = ? WHERE id = ?",
            (clock.stamp(asked + timedelta(days=1)), clock.stamp(asked), question_id),
        )
    if "best" in item and answer_ids:
        resolved = asked + timedelta(days=item.get("resolved_after_days", 3))
        db.conn.execute(
            "UPDATE questions SET status = 'resolved', best_answer_id = ?, resolved_at = ?, "
            "helped = ?, feedback_asked_at = ? WHERE id = ?",
            (
                answer_ids[item["best"]],
                clock.stamp(min(resolved, now)),
                item.get("helped"),
                clock.stamp(min(resolved, now)) if item.get("helped") else None,
                question_id,
            ),
        )
    return question_id


def _activities(demo_dir: Path) -> list[dict]:
    path = demo_dir / "activities.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
