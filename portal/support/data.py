"""Direct support: requests for an observation, a consultation or coaching, and their outcome.

A request belongs to the teacher who made it. Experts see open requests (with matching
expertise first) and the ones they took; the coordinator sees all of them, never more of
the teacher than the experts do. Every state change is a conditional UPDATE, so two
experts cannot both take a request and a repeated click changes nothing twice.
"""

import statistics

from .. import clock
from ..db import transaction
from ..notifications import notify
from ..questions import cases
from ..questions.cases import CLUSTERS

KINDS = {
    "observatie": "Observatie in de klas",
    "consultatie": "Consultatie",
    "coaching": "Coaching",
}
KIND_HINTS = {
    "observatie": "een expert komt in je klas kijken en bespreekt daarna met je wat ze zag",
    "consultatie": "een gesprek met een expert: op school, aan de telefoon of met video",
    "coaching": "een expert begeleidt je een paar weken, met een paar korte gesprekken",
}
CHANNELS = {"op-school": "Op school", "telefoon": "Telefoon", "video": "Video"}
URGENCIES = {
    "vandaag": "Vandaag",
    "deze-week": "Deze week",
    "binnen-twee-weken": "Binnen twee weken",
}
STATUSES = {
    "open": "Wacht op een expert",
    "genomen": "Genomen door een expert",
    "afgerond": "Afgerond",
    "ingetrokken": "Ingetrokken",
}
# (min, max) characters of each text; min 0 means it may stay empty.
LIMITS = {
    "want_to_know": (20, 2000),
    "availability": (5, 500),
    "note": (0, 500),
    "seen": (10, 2000),
    "to_try": (10, 2000),
    "follow_up": (0, 1000),
}
# How an outcome starts when it becomes an answer to the question.
ANSWER_INTRO = {
    "observatie": "Na een observatie in de klas.",
    "consultatie": "Na een gesprek met de leerkracht.",
    "coaching": "Uit een coachingstraject met de leerkracht.",
}
# Answers have three kinds (questions.cases.ANSWER_KINDS); an outcome is advice to try.
ANSWER_KIND = "idea"
# Figures about fewer requests than this could point at a teacher or a pupil.
SMALL = 5


class SupportError(ValueError):
    """A request that cannot be honoured; the message is Dutch, status the HTTP code."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---- reading ------------------------------------------------------------------------------

REQUEST_SELECT = """
SELECT r.*, u.name AS requester_name, u.email AS requester_email, u.school_id,
       s.name AS school_name, t.name AS taker_name, t.email AS taker_email,
       ts.name AS taker_school, q.title AS question_title, q.body AS question_body,
       q.anonymous AS question_anonymous, q.author_id AS question_author
FROM support_requests r
LEFT JOIN users u ON u.id = r.requested_by
LEFT JOIN schools s ON s.id = u.school_id
LEFT JOIN users t ON t.id = r.taken_by
LEFT JOIN schools ts ON ts.id = t.school_id
LEFT JOIN questions q ON q.id = r.question_id
"""


def get_request(db, request_id: int) -> dict | None:
    rows = list(db.query(REQUEST_SELECT + "WHERE r.id = ?", [request_id]))
    return rows[0] if rows else None


def hide_requester(row: dict, viewer_id: int | None) -> dict:
    """A request as others see it while the teacher keeps her name to herself.

    Applied before anything reaches a template: experts and the coordinator read "een
    leerkracht", without name, school or e-mail, until she shows them.
    """
    if not row.get("show_name") and row.get("requested_by") != viewer_id:
        return {
            **row,
            "requester_name": None,
            "requester_email": None,
            "school_name": None,
            "school_id": None,
        }
    return row


def title_of(row: dict) -> str:
    """What a notification about a request says it is about (no name of the teacher)."""
    kind = KINDS.get(row["kind"], row["kind"])
    if row.get("question_title"):
        return f"{kind}: {row['question_title']}"
    return f"{kind} ({CLUSTERS.get(row['cluster'], row['cluster'])})"


def for_question(db, question_id: int, user_id: int) -> dict | None:
    """Her latest request made from this question (withdrawn ones do not count)."""
    rows = list(
        db.query(
            REQUEST_SELECT + "WHERE r.question_id = ? AND r.requested_by = ? "
            "AND r.status != 'ingetrokken' ORDER BY r.id DESC LIMIT 1",
            [question_id, user_id],
        )
    )
    return rows[0] if rows else None


def by_requester(db, user_id: int) -> list[dict]:
    """Her own requests, newest first."""
    return list(
        db.query(
            REQUEST_SELECT + "WHERE r.requested_by = ? ORDER BY r.created_at DESC, r.id DESC",
            [user_id],
        )
    )


def open_requests(db, expert_id: int | None = None, limit: int = 200) -> list[dict]:
    """Open requests: for an expert her expertise first, then urgency, then the oldest.

    Without ``expert_id`` (the coordinator) the most urgent and oldest come first.
    ``matches`` says whether the request's cluster is one of the expert's expertise.
    """
    return list(
        db.query(
            "SELECT x.*, EXISTS (SELECT 1 FROM user_expertise e WHERE e.user_id = ? "  # noqa: S608 # nosec B608 - constants
            f"AND e.cluster = x.cluster) AS matches FROM ({REQUEST_SELECT} "
            "WHERE r.status = 'open' AND (r.requested_by IS NULL OR r.requested_by != ?)) x "
            "ORDER BY matches DESC, CASE x.urgency WHEN 'vandaag' THEN 0 "
            "WHEN 'deze-week' THEN 1 ELSE 2 END, x.created_at, x.id LIMIT ?",
            [expert_id or 0, expert_id or 0, limit],
        )
    )


def taken_by(db, expert_id: int, limit: int = 50) -> list[dict]:
    """What an expert took: the ones still running first, then the finished ones."""
    return list(
        db.query(
            REQUEST_SELECT + "WHERE r.taken_by = ? AND r.status IN ('genomen', 'afgerond') "
            "ORDER BY r.status = 'afgerond', coalesce(r.outcome_at, r.taken_at) DESC LIMIT ?",
            [expert_id, limit],
        )
    )


def in_progress(db, limit: int = 200) -> list[dict]:
    """Requests an expert took and has not finished yet, oldest first (the coordinator)."""
    return list(
        db.query(
            REQUEST_SELECT + "WHERE r.status = 'genomen' ORDER BY r.taken_at, r.id LIMIT ?",
            [limit],
        )
    )


def waited_hours(calendar, row: dict, now) -> float:
    """School hours a request has waited (for an expert), or waited until it was taken."""
    return calendar.hours_between(row["created_at"], row.get("taken_at") or now)


# ---- writing ------------------------------------------------------------------------------


def _text(field: str, text: str | None, label: str) -> str:
    text = (text or "").strip()
    low, high = LIMITS[field]
    if len(text) < low:
        raise SupportError(f"{label} is te kort (minstens {low} tekens).")
    if len(text) > high:
        raise SupportError(f"{label} is te lang (hoogstens {high} tekens).")
    return text


def _choice(value: str, options: dict, message: str) -> str:
    if value not in options:
        raise SupportError(message)
    return value


def _remember_form_key(db, form_key: str | None, user_id: int, result: str) -> None:
    """Inside the transaction that wrote the request: a retry finds it (cases.posted_before)."""
    if form_key:
        db.conn.execute(
            "INSERT OR IGNORE INTO form_keys (key, user_id, result, created_at) "
            "VALUES (?, ?, ?, ?)",
            (form_key[:64], user_id, result, clock.stamp()),
        )


def experts_for(db, cluster: str, exclude: int | None) -> list[int]:
    """Experts to tell of a new request: those with this expertise, else every expert."""
    matching = [
        r[0]
        for r in db.execute(
            "SELECT u.id FROM user_expertise e JOIN users u ON u.id = e.user_id "
            "WHERE e.cluster = ? AND u.role = 'expert' AND u.active = 1 AND u.system = 0 "
            "AND u.id != ?",
            [cluster, exclude or 0],
        )
    ]
    return matching or people(db, ("expert",), exclude)


def people(db, roles: tuple[str, ...], exclude: int | None = None) -> list[int]:
    marks = ",".join("?" * len(roles))
    return [
        r[0]
        for r in db.execute(
            f"SELECT id FROM users WHERE role IN ({marks}) AND active = 1 AND system = 0 "  # noqa: S608 # nosec B608 - only '?' marks
            "AND id != ?",
            [*roles, exclude or 0],
        )
    ]


def _about(row: dict, step: str | None = None) -> dict:
    """What a notification is about: the request, once per person and step."""
    subject = f"support:{row['id']}" + (f":{step}" if step else "")
    return {"subject": subject, "title": title_of(row), "url": f"/ondersteuning/{row['id']}"}


def create_request(
    db,
    user_id: int,
    *,
    kind: str,
    channel: str,
    want_to_know: str,
    availability: str,
    urgency: str,
    cluster: str,
    show_name: bool,
    question_id: int | None = None,
    dossier: str | None = None,
    form_key: str | None = None,
) -> int:
    """Store a request and tell the experts with matching expertise, in one transaction."""
    _choice(kind, KINDS, "Kies wat voor ondersteuning je wilt.")
    _choice(channel, CHANNELS, "Kies hoe je de expert wilt spreken.")
    _choice(urgency, URGENCIES, "Kies hoe snel je hulp nodig hebt.")
    _choice(cluster, CLUSTERS, "Kies over welk soort gedrag het gaat.")
    if kind == "observatie" and channel != "op-school":
        raise SupportError("Voor een observatie komt de expert naar je klas: kies 'Op school'.")
    want_to_know = _text("want_to_know", want_to_know, "Wat je wilt weten")
    availability = _text("availability", availability, "Wanneer je kunt")
    if question_id is not None:
        question = cases.get_question(db, question_id)
        if question is None or question["author_id"] != user_id:
            raise SupportError("Deze vraag is niet van jou.", 404)
    with transaction(db.conn):
        request_id = db.conn.execute(
            "INSERT INTO support_requests (requested_by, question_id, dossier, cluster, kind, "
            "channel, want_to_know, availability, urgency, show_name, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                question_id,
                dossier,
                cluster,
                kind,
                channel,
                want_to_know,
                availability,
                urgency,
                int(bool(show_name)),
                clock.stamp(),
            ),
        ).lastrowid
        _remember_form_key(db, form_key, user_id, f"/ondersteuning/{request_id}")
        row = get_request(db, request_id)
        notify.notify(db, experts_for(db, cluster, user_id), "support_request", about=_about(row))
    return request_id


def _tell_requester(db, row: dict, step: str, text: str) -> None:
    if row["requested_by"]:
        notify.notify(
            db, [row["requested_by"]], "support_update", text=text, about=_about(row, step)
        )


def take(db, request_id: int, expert_id: int) -> bool:
    """An expert takes an open request; False when it was not open any more (or her own)."""
    stamp = clock.stamp()
    with transaction(db.conn):
        taken = db.conn.execute(
            "UPDATE support_requests SET status = 'genomen', taken_by = ?, taken_at = ? "
            "WHERE id = ? AND status = 'open' AND (requested_by IS NULL OR requested_by != ?)",
            (expert_id, stamp, request_id, expert_id),
        ).rowcount
        if taken:
            row = get_request(db, request_id)
            _tell_requester(
                db,
                row,
                f"genomen:{stamp}",
                f"{row['taker_name']} helpt je met je vraag om ondersteuning.",
            )
    return bool(taken)


def release(db, request_id: int, expert_id: int) -> bool:
    """The expert gives a request back: it is open for the other experts again."""
    stamp = clock.stamp()
    with transaction(db.conn):
        released = db.conn.execute(
            "UPDATE support_requests SET status = 'open', taken_by = NULL, taken_at = NULL, "
            "agreed_at = NULL, agreed_note = NULL WHERE id = ? AND taken_by = ? "
            "AND status = 'genomen'",
            (request_id, expert_id),
        ).rowcount
        if released:
            row = get_request(db, request_id)
            _tell_requester(
                db,
                row,
                f"teruggegeven:{stamp}",
                "Je vraag om ondersteuning wacht weer op een expert.",
            )
            notify.notify(
                db,
                experts_for(db, row["cluster"], row["requested_by"]),
                "support_request",
                about=_about(row, f"open:{stamp}"),
            )
    return bool(released)


def record_contact(db, request_id: int, expert_id: int) -> bool:
    """The expert had first contact with the teacher (counted for the coordinator)."""
    with transaction(db.conn):
        done = db.conn.execute(
            "UPDATE support_requests SET first_contact_at = ? WHERE id = ? AND taken_by = ? "
            "AND status = 'genomen' AND first_contact_at IS NULL",
            (clock.stamp(), request_id, expert_id),
        ).rowcount
        if done:
            row = get_request(db, request_id)
            _tell_requester(db, row, "contact", f"{row['taker_name']} heeft contact met je gehad.")
    return bool(done)


def agree(db, request_id: int, expert_id: int, moment: str, note: str = "") -> bool:
    """Record the moment agreed (Amsterdam wall-clock, clock.local_stamp) and how or where."""
    note = _text("note", note, "De toelichting")
    with transaction(db.conn):
        done = db.conn.execute(
            "UPDATE support_requests SET agreed_at = ?, agreed_note = ?, "
            "first_contact_at = coalesce(first_contact_at, ?) "
            "WHERE id = ? AND taken_by = ? AND status = 'genomen'",
            (moment, note or None, clock.stamp(), request_id, expert_id),
        ).rowcount
        if done:
            row = get_request(db, request_id)
            when = clock.dag_datum_tijd(moment)
            _tell_requester(db, row, f"afspraak:{moment}", f"Afspraak voor ondersteuning: {when}.")
    return bool(done)


def record_outcome(
    db, request_id: int, expert_id: int, seen: str, to_try: str, follow_up: str = ""
) -> bool:
    """The expert writes down the outcome for the teacher; the request is done."""
    seen = _text("seen", seen, "Wat je zag")
    to_try = _text("to_try", to_try, "Wat de leerkracht kan proberen")
    follow_up = _text("follow_up", follow_up, "Het vervolg")
    stamp = clock.stamp()
    with transaction(db.conn):
        done = db.conn.execute(
            "UPDATE support_requests SET outcome_seen = ?, outcome_try = ?, "
            "outcome_follow_up = ?, outcome_at = ?, closed_at = ?, status = 'afgerond', "
            "first_contact_at = coalesce(first_contact_at, ?) "
            "WHERE id = ? AND taken_by = ? AND status = 'genomen'",
            (seen, to_try, follow_up or None, stamp, stamp, stamp, request_id, expert_id),
        ).rowcount
        if done:
            row = get_request(db, request_id)
            _tell_requester(db, row, "uitkomst", f"{row['taker_name']} schreef op wat er uit kwam.")
    return bool(done)


def withdraw(db, request_id: int, user_id: int) -> bool:
    """The teacher withdraws a request that is not done yet; the expert who took it hears."""
    with transaction(db.conn):
        row = get_request(db, request_id)
        done = db.conn.execute(
            "UPDATE support_requests SET status = 'ingetrokken', closed_at = ? "
            "WHERE id = ? AND requested_by = ? AND status IN ('open', 'genomen')",
            (clock.stamp(), request_id, user_id),
        ).rowcount
        if done and row["taken_by"]:
            notify.notify(
                db,
                [row["taken_by"]],
                "support_update",
                text="De leerkracht heeft de vraag om ondersteuning ingetrokken.",
                about=_about(row, "ingetrokken"),
            )
    return bool(done)


def set_show_name(db, request_id: int, user_id: int, show: bool) -> bool:
    """The teacher shows (or hides again) her name and school to the experts."""
    stamp = clock.stamp()
    with transaction(db.conn):
        done = db.conn.execute(
            "UPDATE support_requests SET show_name = ? WHERE id = ? AND requested_by = ? "
            "AND status IN ('open', 'genomen') AND show_name != ?",
            (int(show), request_id, user_id, int(show)),
        ).rowcount
        row = get_request(db, request_id)
        if done and show and row["taken_by"]:
            notify.notify(
                db,
                [row["taken_by"]],
                "support_update",
                text="De leerkracht laat je nu haar naam en school zien.",
                about=_about(row, f"naam:{stamp}"),
            )
    return bool(done)


def answer_text(row: dict) -> str:
    """The outcome as an answer to the question: what was seen and what to try."""
    return (
        f"*{ANSWER_INTRO.get(row['kind'], '')}*\n\n"
        f"**Wat ik zag**\n{row['outcome_seen']}\n\n"
        f"**Wat je kunt proberen**\n{row['outcome_try']}"
    )


def add_to_question(db, request_id: int, user_id: int) -> int:
    """Put the outcome under the teacher's question as the expert's answer; return its id.

    Checked and written in one transaction, so a double click adds it once.
    """
    with transaction(db.conn):
        row = get_request(db, request_id)
        if row is None or row["requested_by"] != user_id:
            raise SupportError("Deze vraag om ondersteuning is niet van jou.", 403)
        if row["answer_id"]:
            return row["answer_id"]
        if row["status"] != "afgerond" or not row["outcome_seen"]:
            raise SupportError("Er is nog geen uitkomst om bij je vraag te zetten.")
        if not row["question_id"] or row["question_author"] != user_id:
            raise SupportError("Deze vraag om ondersteuning hoort niet bij een vraag van jou.")
        if not row["taken_by"]:
            raise SupportError("De expert heeft geen account meer; de uitkomst blijft hier staan.")
        try:
            answer_id = cases.add_answer(
                db, row["question_id"], row["taken_by"], ANSWER_KIND, answer_text(row)
            )
        except cases.CaseError as exc:
            raise SupportError(str(exc), exc.status) from None
        db.conn.execute(
            "UPDATE support_requests SET answer_id = ? WHERE id = ? AND answer_id IS NULL",
            (answer_id, request_id),
        )
        followers = [
            r[0]
            for r in db.execute(
                "SELECT user_id FROM question_followers WHERE question_id = ? "
                "AND user_id NOT IN (?, ?)",
                [row["question_id"], user_id, row["taken_by"]],
            )
        ]
        question = cases.get_question(db, row["question_id"])
        notify.notify(db, followers, "followed_answer", question)
    return answer_id


# ---- escalation (jobs.py) -----------------------------------------------------------------


def waiting(db) -> list[dict]:
    """Open requests no job has escalated yet, oldest first."""
    return list(
        db.query(
            REQUEST_SELECT + "WHERE r.status = 'open' AND r.escalated_at IS NULL "
            "ORDER BY r.created_at, r.id"
        )
    )


def escalate(db, row: dict, stamp: str) -> bool:
    """Claim one request's escalation and tell the coordinators and the experts not yet told.

    The claim is a conditional UPDATE in the transaction that writes the notifications:
    two runs at once escalate it once.
    """
    with transaction(db.conn):
        claimed = db.conn.execute(
            "UPDATE support_requests SET escalated_at = ? WHERE id = ? AND status = 'open' "
            "AND escalated_at IS NULL",
            (stamp, row["id"]),
        ).rowcount
        if not claimed:
            return False
        told = {
            r[0]
            for r in db.execute(
                "SELECT user_id FROM notifications WHERE kind = 'support_request' "
                "AND (subject = ? OR subject LIKE ?)",
                [f"support:{row['id']}", f"support:{row['id']}:%"],
            )
        }
        experts = [u for u in people(db, ("expert",), row["requested_by"]) if u not in told]
        coordinators = people(db, ("coordinator",), row["requested_by"])
        notify.notify(db, coordinators + experts, "support_escalation", about=_about(row))
    return True


# ---- figures for the coordinator ----------------------------------------------------------


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def small(n: int) -> bool:
    """A count too small to show (it could point at a teacher or a pupil)."""
    return 0 < n < SMALL


def _group(rows: list[dict], calendar) -> dict:
    contacted = [
        calendar.hours_between(r["created_at"], r["first_contact_at"])
        for r in rows
        if r["first_contact_at"]
    ]
    return {
        "made": len(rows),
        "taken": sum(1 for r in rows if r["taken_at"]),
        "with_outcome": sum(1 for r in rows if r["outcome_at"]),
        "contacted": len(contacted),
        # A median over fewer than SMALL requests is not shown (views: "minder dan 5").
        "first_contact_h": _median(contacted) if len(contacted) >= SMALL else None,
    }


def overview(db, calendar, now) -> dict:
    """The coordinator's figures: waiting, time to first contact, per school and cluster."""
    rows = list(
        db.query(
            "SELECT r.id, r.cluster, r.status, r.created_at, r.taken_at, r.first_contact_at, "
            "r.outcome_at, r.escalated_at, s.name AS school FROM support_requests r "
            "LEFT JOIN users u ON u.id = r.requested_by LEFT JOIN schools s ON s.id = u.school_id"
        )
    )
    open_rows = [r for r in rows if r["status"] == "open"]
    oldest = min(open_rows, key=lambda r: r["created_at"]) if open_rows else None
    contacted = [
        calendar.hours_between(r["created_at"], r["first_contact_at"])
        for r in rows
        if r["first_contact_at"]
    ]
    schools = sorted({r["school"] or "" for r in rows})
    return {
        "total": len(rows),
        "waiting": len(open_rows),
        "escalated": sum(1 for r in open_rows if r["escalated_at"]),
        "in_progress": sum(1 for r in rows if r["status"] == "genomen"),
        "done": sum(1 for r in rows if r["status"] == "afgerond"),
        "withdrawn": sum(1 for r in rows if r["status"] == "ingetrokken"),
        "oldest_at": oldest["created_at"] if oldest else None,
        "oldest_h": calendar.hours_between(oldest["created_at"], now) if oldest else None,
        "first_contact_h": _median(contacted),
        "contacted": len(contacted),
        "per_cluster": {
            slug: {"label": label, **_group([r for r in rows if r["cluster"] == slug], calendar)}
            for slug, label in CLUSTERS.items()
        },
        "per_school": {
            name or "": {
                "label": name or "Zonder school (of account verwijderd)",
                **_group([r for r in rows if (r["school"] or "") == name], calendar),
            }
            for name in schools
        },
    }


def funnel(db) -> dict:
    """Counts for the insight page: made, taken, with an outcome; in all and per cluster.

    Raw counts: the page that shows them hides small cells.
    """
    rows = list(
        db.query(
            "SELECT cluster, count(*) AS made, count(taken_at) AS taken, "
            "count(outcome_at) AS with_outcome, "
            "sum(status = 'ingetrokken') AS withdrawn, count(answer_id) AS added_to_question "
            "FROM support_requests GROUP BY cluster"
        )
    )
    keys = ("made", "taken", "with_outcome", "withdrawn", "added_to_question")
    per_cluster = {slug: dict.fromkeys(keys, 0) for slug in CLUSTERS}
    for r in rows:
        per_cluster.setdefault(r["cluster"], dict.fromkeys(keys, 0)).update(
            {k: r[k] or 0 for k in keys}
        )
    return {
        **{k: sum(c[k] for c in per_cluster.values()) for k in keys},
        "per_cluster": per_cluster,
    }


# ---- personal data ------------------------------------------------------------------------


def export(db, user_id: int) -> dict:
    """What the support feature holds about a person: the requests she made or took."""
    made = [
        dict(r)
        for r in db.query(
            "SELECT r.id, r.question_id, r.dossier, r.cluster, r.kind, r.channel, "
            "r.want_to_know, r.availability, r.urgency, r.show_name, r.status, r.created_at, "
            "r.taken_at, r.first_contact_at, r.agreed_at, r.agreed_note, r.outcome_seen, "
            "r.outcome_try, r.outcome_follow_up, r.outcome_at, r.closed_at, r.answer_id, "
            "t.name AS expert FROM support_requests r LEFT JOIN users t ON t.id = r.taken_by "
            "WHERE r.requested_by = ? ORDER BY r.id",
            [user_id],
        )
    ]
    taken = [
        dict(r)
        for r in db.query(
            "SELECT id, kind, channel, cluster, status, taken_at, first_contact_at, agreed_at, "
            "agreed_note, outcome_seen, outcome_try, outcome_follow_up, outcome_at "
            "FROM support_requests WHERE taken_by = ? ORDER BY id",
            [user_id],
        )
    ]
    return {"support_requests_made": made, "support_requests_taken": taken}


def forget(db, user_id: int) -> None:
    """Before an account is deleted: her requests lose everything personal, her work is freed.

    Her own requests keep only what the region's figures need (cluster, kind, dates); what
    she wrote, and the outcome written for her, go. A request she took and had not
    finished goes back to the other experts. An outcome already added to a question stays
    there as an answer (knowledge; the account deletion unlinks its author).
    """
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE support_requests SET status = 'ingetrokken', closed_at = ? "
            "WHERE requested_by = ? AND status IN ('open', 'genomen')",
            (clock.stamp(), user_id),
        )
        db.conn.execute(
            "UPDATE support_requests SET requested_by = NULL, show_name = 0, "
            "want_to_know = '', availability = '', agreed_note = NULL, outcome_seen = NULL, "
            "outcome_try = NULL, outcome_follow_up = NULL WHERE requested_by = ?",
            (user_id,),
        )
        db.conn.execute(
            "UPDATE support_requests SET status = 'open', taken_by = NULL, taken_at = NULL, "
            "agreed_at = NULL, agreed_note = NULL WHERE taken_by = ? AND status = 'genomen'",
            (user_id,),
        )
        db.conn.execute(
            "UPDATE support_requests SET taken_by = NULL WHERE taken_by = ?", (user_id,)
        )


# ---- the demo region ----------------------------------------------------------------------


def insert_demo(db, row: dict) -> int:
    """Write one demo request as given (demo.py computes the moments)."""
    columns = [c for c in DEMO_COLUMNS if c in row]
    marks = ",".join("?" * len(columns))
    return db.conn.execute(
        f"INSERT INTO support_requests ({','.join(columns)}) VALUES ({marks})",  # noqa: S608 # nosec B608 - constant column names
        [row[c] for c in columns],
    ).lastrowid


DEMO_COLUMNS = (
    "requested_by", "question_id", "dossier", "cluster", "kind", "channel", "want_to_know",
    "availability", "urgency", "show_name", "status", "taken_by", "taken_at",
    "first_contact_at", "agreed_at", "agreed_note", "escalated_at", "outcome_seen",
    "outcome_try", "outcome_follow_up", "outcome_at", "created_at", "closed_at",
)  # fmt: skip
