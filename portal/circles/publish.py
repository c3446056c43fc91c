"""Share what a circle learned with the region: as a resolved case or a dossier proposal.

Only the facilitator publishes, and only text in which the privacy guard finds nothing (the
views check that first). Everything not published stays inside the circle.

A published case is asked by a system account, "Geleerd in de kring", and answered by the
facilitator: the case belongs to no single member (nobody in the circle becomes its asker,
gets its reminders or its "Heeft het geholpen?"), and who brought the case in stays inside
the circle. The facilitator's answer is the lesson, marked as the most helpful answer, so it
becomes a resolved case and is indexed for search like every other one.
"""

import re

from index import SearchIndex

from ..accounts import users
from ..db import transaction
from ..kennisbank import dossiers, store
from ..notifications.notify import notify
from ..questions import cases
from . import data

CIRCLE_EMAIL = "kring@leer-kracht.invalid"
CIRCLE_AUTHOR = "Geleerd in de kring"
LABEL = "*Geleerd in de kring: leerkrachten bespraken deze situatie samen (intervisie).*"
DOSSIER_MARK = "**Geleerd in de kring:**"
# Room in the question's body for the label.
BODY_MAX = cases.LIMITS["body"][1] - len(LABEL) - 2
PARAGRAPH_MAX = 1200


class PublishError(ValueError):
    """A lesson that cannot be published; the message is Dutch."""


def circle_account(db) -> int:
    """The system account that asks the cases circles publish."""
    row = users.user_by_email(db, CIRCLE_EMAIL)
    if row:
        return row["id"]
    return users.create_user(db, CIRCLE_EMAIL, CIRCLE_AUTHOR, "expert", system=True)


def default_case_text(case: dict | None) -> dict:
    """What the publish form starts with: the case's title, situation and question."""
    if not case:
        return {"title": "", "body": ""}
    steps = case["steps"]
    parts = [steps.get("inbreng") or case.get("summary") or ""]
    if steps.get("vraag"):
        parts.append(f"De vraag: {steps['vraag']}")
    return {"title": case["title"], "body": "\n\n".join(p for p in parts if p.strip())}


def as_case(
    db,
    index: SearchIndex,
    circle: dict,
    lesson: dict,
    facilitator_id: int,
    cluster: str,
    title: str,
    body: str,
    answer: str,
) -> int:
    """Publish a lesson as a resolved case; return the question id."""
    if lesson["published_at"]:
        raise PublishError("Dit is al gedeeld met de regio.")
    author = circle_account(db)
    # One transaction: the question, the answer, the lesson's mark and the index entry are
    # all there or none is (cases' functions join it). Embedding one document inside it
    # holds the write lock for a few milliseconds more; publishing is rare.
    with transaction(db.conn):
        question_id = cases.create_question(
            db, author, cluster, title, f"{body.strip()}\n\n{LABEL}", anonymous=False
        )
        answer_id = cases.add_answer(db, question_id, facilitator_id, "experience", answer)
        if not data.claim_publication(db, lesson["id"], "case", answer, question_id=question_id):
            raise PublishError("Dit is al gedeeld met de regio.")
        cases.mark_best(db, index, question_id, answer_id, author)
        _tell_members(db, circle, lesson["id"], facilitator_id, title, f"/vragen/{question_id}")
    return question_id


def paragraph(text: str) -> str:
    """The lesson as one short paragraph of the dossier, marked as coming from a circle."""
    return f"{DOSSIER_MARK} {' '.join(text.split())}"


def append_to_section(markdown: str, anchor: str, text: str) -> str:
    """Add a paragraph at the end of the own text of the heading with this anchor.

    For a section with sub-headings that is just before the first one: the paragraph is
    about the whole section, not about its last sub-section. Raises PublishError when the
    dossier has no heading with that anchor.
    """
    lines = markdown.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":  # skip the front matter
        start = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0) + 1
    heading = re.compile(r"^#{2,4}[ \t]+(.+?)[ \t]*$")
    found = [i for i in range(start, len(lines)) if heading.match(lines[i])]
    at = next(
        (i for i in found if dossiers.slugify(heading.match(lines[i]).group(1)) == anchor), None
    )
    if at is None:
        raise PublishError("Dit onderdeel staat niet (meer) in het dossier.")
    end = next((i for i in found if i > at), len(lines))
    head, rest = lines[:end], lines[end:]
    while len(head) > at + 1 and not head[-1].strip():
        head.pop()
    while rest and not rest[0].strip():
        rest.pop(0)
    return "\n".join([*head, "", text, "", *rest])


def section_choices(conn, directory) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(dossier title, [("slug#anchor", "section"), ...]), ...] for a grouped select."""
    return [
        (d.title, [(f"{d.slug}#{s.anchor}", s.heading) for s in d.sections])
        for d in store.effective(conn, directory)
    ]


def as_dossier(
    db, directory, circle: dict, lesson: dict, facilitator_id: int, target: str, text: str
) -> int:
    """Propose the lesson as an addition to a dossier section; return the version id.

    The coordinator decides in the kennisbank's review, like every proposed edit.
    """
    if lesson["published_at"]:
        raise PublishError("Dit is al gedeeld met de regio.")
    slug, _, anchor = target.partition("#")
    dossier = store.get(db.conn, directory, slug)
    if dossier is None or not anchor:
        raise PublishError("Kies een dossier en een onderdeel.")
    new_text = append_to_section(dossier.markdown, anchor, paragraph(text))
    try:
        new_problems = set(dossiers.problems(dossiers.parse_text(slug, new_text)))
    except ValueError as exc:
        raise PublishError("Zo past de tekst niet in het dossier.") from exc
    added = new_problems - set(dossiers.problems(dossier))
    if added:
        raise PublishError("Zo past de tekst niet in het dossier: " + " ".join(sorted(added)))
    section = next((s.heading for s in dossier.sections if s.anchor == anchor), anchor)
    note = f"Geleerd in de kring '{circle['name']}': aanvulling voor '{section}'."
    with transaction(db.conn):
        version_id = store.propose(db, slug, new_text, note, facilitator_id)
        if not data.claim_publication(
            db, lesson["id"], "dossier", text, dossier_version_id=version_id
        ):
            raise PublishError("Dit is al gedeeld met de regio.")
        _tell_members(
            db,
            circle,
            lesson["id"],
            facilitator_id,
            f"Voorstel voor {dossier.title}",
            f"/kringen/{circle['id']}#geleerd",
        )
        coordinators = [
            r[0]
            for r in db.execute(
                "SELECT id FROM users WHERE role = 'coordinator' AND active = 1 AND system = 0"
            )
        ]
        notify(
            db,
            coordinators,
            "circle_published",
            text="Voorstel uit een leerkrachtkring voor de kennisbank",
            about={
                "subject": f"lesson:{lesson['id']}",
                "title": f"{dossier.title}: {section}",
                "url": f"/kennisbank/voorstellen/{version_id}",
            },
        )
    return version_id


def _tell_members(db, circle, lesson_id, facilitator_id, title, url) -> None:
    others = [u for u in data.inside_ids(db, circle) if u != facilitator_id]
    notify(
        db,
        others,
        "circle_published",
        about={"subject": f"lesson:{lesson_id}", "title": title, "url": url},
    )
