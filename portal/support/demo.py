"""Load the demo region's support (content/demo; format in content/README.md)."""

import json
from datetime import timedelta
from pathlib import Path

from .. import clock
from ..db import transaction
from ..questions import cases
from . import data

AGREED_AT = (10, 30)  # the demo's agreed moments: half past ten, Amsterdam time
ASKED_AT = (9, 15)  # requests are made in the morning, during school


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _row(db, item: dict, people: dict, question_ids: dict, now) -> dict:
    """One support_requests row from a demo line; moments relative to ``now``."""
    question_id = question_ids.get(item.get("question_ref"))
    question = cases.get_question(db, question_id) if question_id else None
    day = (now - timedelta(days=item.get("requested_days_ago", 1))).astimezone(clock.AMSTERDAM)
    created = min(day.replace(hour=ASKED_AT[0], minute=ASKED_AT[1], second=0, microsecond=0), now)
    row = {
        "requested_by": people[item["requested_by"]],
        "question_id": question_id,
        "dossier": item.get("dossier"),
        "cluster": item.get("cluster") or (question["cluster"] if question else "overig"),
        "kind": item["kind"],
        "channel": item["channel"],
        "want_to_know": item["want_to_know"],
        "availability": item["availability"],
        "urgency": item["urgency"],
        # An anonymous question stays anonymous in its request, as in the portal.
        "show_name": int(item.get("show_name", not (question and question["anonymous"]))),
        "status": "open",
        "created_at": clock.stamp(created),
    }
    if item.get("taken_by"):
        contact = created + timedelta(hours=item.get("first_contact_hours") or 1)
        row.update(
            status="genomen",
            taken_by=people[item["taken_by"]],
            taken_at=clock.stamp(created + timedelta(minutes=30)),
            first_contact_at=clock.stamp(min(contact, now)),
        )
        if item.get("agreed_in_days") is not None:
            day = (now + timedelta(days=item["agreed_in_days"])).astimezone(clock.AMSTERDAM)
            agreed = day.replace(hour=AGREED_AT[0], minute=AGREED_AT[1], second=0, microsecond=0)
            row.update(agreed_at=clock.local_stamp(agreed), agreed_note=item.get("agreed_note"))
        outcome = item.get("outcome")
        if outcome:
            agreed_at = clock.parse(row["agreed_at"]) if row.get("agreed_at") else contact
            at = clock.stamp(min(agreed_at + timedelta(hours=4), now))
            row.update(
                status="afgerond",
                outcome_seen=outcome["seen"],
                outcome_try=outcome["try"],
                outcome_follow_up=outcome.get("follow_up"),
                outcome_at=at,
                closed_at=at,
            )
    return row


def load(db, demo_dir, people: dict, question_ids: dict, now) -> int:
    """Write the demo support; return how many were written."""
    items = _lines(Path(demo_dir) / "support.jsonl")
    with transaction(db.conn):
        for item in items:
            data.insert_demo(db, _row(db, item, people, question_ids, now))
    return len(items)
