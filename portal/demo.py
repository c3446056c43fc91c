"""The demo region: fictional schools, one account per role, cases and open questions."""

import json
from pathlib import Path

from . import accounts, cases
from .db import transaction

PASSWORD = "demo-wachtwoord"  # noqa: S105 - the published password of demo accounts
DOMAIN = "demo.leer-kracht.nl"

# (local part, name, role, school index or None)
ACCOUNTS = [
    ("coordinator", "Coördinator Demo", "coordinator", None),
    ("leerkracht", "Juf Demo", "teacher", 0),
    ("collega", "Meester Demo", "teacher", 1),
    ("expert", "Ib'er Demo", "expert", 3),
    ("ouder", "Ouderpartner Demo", "parent", None),
]


# The demo region's schools, also used to measure the privacy guard without a database.
SCHOOLS = (
    "Basisschool De Regenboog",
    "Basisschool De Vlonder",
    "Kindcentrum De Wilgenhoek",
    "SBO De Uiterwaard",
    "SO De Kribbe",
)


def create(db, index, demo_dir: Path) -> dict:
    """Fill an empty database with the demo region."""
    region = json.loads((demo_dir / "region.json").read_text(encoding="utf-8"))
    school_ids = [accounts.create_school(db, s["name"], s["kind"]) for s in region["schools"]]
    user_ids = {}
    for local, name, role, school in ACCOUNTS:
        user_ids[local] = accounts.create_user(
            db,
            f"{local}@{DOMAIN}",
            name,
            role,
            school_ids[school] if school is not None else None,
            PASSWORD,
        )
    with open(demo_dir / "cases.jsonl", encoding="utf-8") as fh:
        resolved = cases.parse_import(fh)
    imported = cases.import_cases(db, index, resolved)["imported"]

    # Open questions: the demo teacher has one with answers, so she can mark the most
    # helpful answer at once; the others come from colleagues and wait for answers.
    askers = ["leerkracht", "collega", "expert"]
    answerers = ["collega", "expert", "leerkracht"]
    opened = 0
    with open(demo_dir / "open_questions.jsonl", encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    items.sort(key=lambda q: -len(q.get("answers", [])))
    for i, item in enumerate(items):
        asker = askers[i % len(askers)]
        qid = cases.create_question(
            db, user_ids[asker], item["cluster"], item["title"], item["body"]
        )
        with transaction(db.conn):
            db.conn.execute("UPDATE questions SET ref = ? WHERE id = ?", (item.get("ref"), qid))
        helpers = [a for a in answerers if a != asker]
        for j, ans in enumerate(item.get("answers", [])):
            cases.add_answer(
                db, qid, user_ids[helpers[j % len(helpers)]], ans.get("kind", "idea"), ans["body"]
            )
        opened += 1
    _activities(db, user_ids["coordinator"])
    # Expertise, so routing and the coordinator's expertise map have something to show.
    with transaction(db.conn):
        db.conn.executemany(
            "INSERT INTO user_expertise (user_id, cluster) VALUES (?, ?)",
            [
                (user_ids["expert"], "angstig-teruggetrokken"),
                (user_ids["expert"], "agressief"),
                (user_ids["collega"], "druk-impulsief"),
                (user_ids["collega"], "agressief"),
                (user_ids["leerkracht"], "informatieverwerking-sociaal"),
            ],
        )
    return {
        "schools": len(school_ids),
        "users": len(user_ids),
        "cases": imported,
        "open": opened,
    }


def _activities(db, coordinator_id: int) -> None:
    """One parent evening ahead, one parent-to-parent meeting behind us with a summary."""
    from datetime import datetime, timedelta

    ahead = (datetime.now() + timedelta(days=21)).strftime("%Y-%m-%dT19:30")
    behind = (datetime.now() - timedelta(days=30)).strftime("%Y-%m-%dT20:00")
    rows = [
        (
            "Thema-avond: angst en somberheid bij kinderen",
            "ouderavond",
            "angstig-teruggetrokken",
            ahead,
            "SBO De Uiterwaard, aula",
            0,
            "Een orthopedagoog vertelt wat angst bij kinderen is en hoe je thuis en op school "
            "samen kunt helpen. Daarna praten ouders en leerkrachten in kleine groepjes.",
            None,
        ),
        (
            "Ouders voor ouders: als je kind steeds boos wordt",
            "ouders-voor-ouders",
            "agressief",
            behind,
            "online",
            1,
            "Ouders met ervaring delen wat hen hielp, onder leiding van een ouderpartner.",
            "Negen ouders waren erbij. Tips die bleven hangen: vaste afkoelplek thuis en op "
            "school dezelfde woorden geven, en samen met de leerkracht kleine successen vieren.",
        ),
    ]
    with transaction(db.conn):
        db.conn.executemany(
            "INSERT INTO activities (title, kind, cluster, starts_at, place, online, description, "
            "summary, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, coordinator_id) for r in rows],
        )
