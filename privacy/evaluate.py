"""Measure the guard on a labelled JSONL set: recall per kind, false alarms on clean texts."""

import json
from pathlib import Path

from .guard import scan


def evaluate(path: Path, schools=()) -> dict:
    """Measure the guard on a labelled JSONL set: recall per kind, false alarms on clean texts.

    A finding counts as found when the guard reports the same kind over an overlapping span.
    An age counts only in a text whose labels name a school: the guard's kind is an exact age
    together with the school ("de jongen van 7 op De Regenboog"); alone it is what every
    question says, and the guard leaves it (a set may label it anyway: counted apart).
    """
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    per_kind: dict[str, dict[str, int]] = {}
    clean = clean_alarms = 0
    ages_without_school = 0
    for row in rows:
        got = scan(row["text"], schools)
        clean += not row["findings"]
        clean_alarms += not row["findings"] and bool(got)
        if not any(f["kind"] == "school" for f in row["findings"]):
            ages_without_school += sum(f["kind"] == "age" for f in row["findings"])
            row = {**row, "findings": [f for f in row["findings"] if f["kind"] != "age"]}
        for f in row["findings"]:
            stats = per_kind.setdefault(f["kind"], {"labelled": 0, "found": 0, "false": 0})
            stats["labelled"] += 1
            stats["found"] += any(
                g.kind == f["kind"] and g.start < f["end"] and f["start"] < g.end for g in got
            )
        for g in got:
            if not any(
                f["kind"] == g.kind and g.start < f["end"] and f["start"] < g.end
                for f in row["findings"]
            ):
                per_kind.setdefault(g.kind, {"labelled": 0, "found": 0, "false": 0})["false"] += 1
    for stats in per_kind.values():
        stats["recall"] = stats["found"] / stats["labelled"] if stats["labelled"] else None
    return {
        "texts": len(rows),
        "clean_texts": clean,
        "false_alarm_rate": clean_alarms / clean if clean else 0.0,
        "ages_without_school": ages_without_school,
        "kinds": per_kind,
    }
