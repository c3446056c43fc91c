"""Load the demo region's circles (content/demo/circles.json; format in content/README.md).

Meetings are planned ``days_from_now`` from ``now`` at their ``start`` (Amsterdam time).
Lessons of past meetings with a ``publish_as`` are published the way a facilitator would
(a resolved case, or a proposed dossier addition waiting for the coordinator), so the demo
shows the whole road from a case in the circle to what the region finds.
"""

import json
from datetime import timedelta
from pathlib import Path

from flask import current_app

import privacy

from .. import clock
from ..accounts.users import school_names
from ..db import get_index
from . import data, publish


def load(db, demo_dir, people: dict, question_ids: dict, now) -> int:
    """Write the demo circles; return how many were written (a circle already there is kept)."""
    path = Path(demo_dir) / "circles.json"
    if not path.exists():
        return 0
    existing = {r[0] for r in db.execute("SELECT name FROM circles")}
    schools = school_names(db)
    written = 0
    for item in json.loads(path.read_text(encoding="utf-8")):
        if item["name"] in existing:
            continue
        facilitator = people[item["facilitator"]]
        circle_id = data.create_circle(
            db,
            people.get("coordinator", facilitator),
            [people[m] for m in item.get("members", [])],
            name=item["name"],
            cluster=item.get("cluster"),
            theme=item.get("theme", ""),
            facilitator_id=facilitator,
            mode=item.get("mode", "fysiek"),
            place=item.get("place", ""),
        )
        circle = data.get_circle(db, circle_id)
        for meeting in item.get("meetings", []):
            _meeting(db, circle, meeting, people, question_ids, now, schools)
        existing.add(item["name"])
        written += 1
    return written


def _meeting(db, circle, meeting, people, question_ids, now, schools) -> None:
    hour, minute = map(int, meeting.get("start", "15:30").split(":"))
    day = (now + timedelta(days=meeting["days_from_now"])).astimezone(clock.AMSTERDAM)
    start = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    method = meeting.get("method") or "incidentmethode"
    meeting_id = data.create_meeting(
        db,
        circle["id"],
        clock.local_stamp(start),
        int(meeting.get("minutes", 90)),
        meeting.get("place", ""),
        meeting.get("agenda", ""),
        method,
    )
    case_ids = []
    for case in meeting.get("cases", []):
        case_id = data.add_case(
            db,
            meeting_id,
            people[case["brought_by"]],
            method,
            case["title"],
            case.get("summary", ""),
            question_ids.get(case.get("question_ref")),
        )
        for key, text in case.get("steps", {}).items():
            data.save_step(db, case_id, key, text)
        case_ids.append(case_id)
    for lesson in meeting.get("lessons", []):
        # A meeting with one case: what it learned belongs to that case.
        case_id = case_ids[0] if len(case_ids) == 1 else None
        lesson_id = data.add_lesson(
            db,
            circle["id"],
            circle["facilitator_id"],
            lesson["text"],
            meeting_id=meeting_id,
            case_id=case_id,
        )
        target = lesson.get("publish_as")
        if target and start < now:
            _publish(db, circle, lesson_id, target, schools)


def _publish(db, circle, lesson_id: int, target: str, schools) -> None:
    """Publish as a facilitator would, scrubbed of anything the privacy guard finds."""
    lesson = data.get_lesson(db, circle["id"], lesson_id)
    text = privacy.scrub(lesson["body"], schools)
    if target == "case":
        case = data.get_case(db, circle["id"], lesson["case_id"]) if lesson["case_id"] else None
        if case is None:
            return  # a case needs a question: a lesson without one stays in the circle
        start = publish.default_case_text(case)
        publish.as_case(
            db,
            get_index(),
            circle,
            lesson,
            circle["facilitator_id"],
            circle["cluster"] or "overig",
            privacy.scrub(start["title"], schools),
            privacy.scrub(start["body"], schools)[: publish.BODY_MAX],
            text,
        )
    elif target.startswith("dossier:"):
        publish.as_dossier(
            db,
            current_app.config["DOSSIER_DIR"],
            circle,
            lesson,
            circle["facilitator_id"],
            target.removeprefix("dossier:"),
            text,
        )
