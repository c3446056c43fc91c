"""AVG/GDPR: export, deleting an account without losing knowledge, retention."""

import json

from portal.accounts import gdpr
from portal.accounts import users as accounts
from portal.db import get_db, get_index

from .helpers import ANSWER, PASSWORD, USERS, answer, ask, count, user_id


def test_export_holds_everything_about_me(app, client, auth):
    mine = ask(app, who="teacher")
    theirs = ask(app, who="teacher2", title="Een vraag van een collega over een boze leerling")
    answer(app, theirs, who="teacher")
    auth.login("teacher")
    auth.post("/account/profiel", {"cluster": ["agressief"], "topics": "groep 5, boosheid"})
    auth.post(f"/vragen/{theirs}/volgen")
    auth.post("/vraag", {"title": "Een vraag die ik nog aan het schrijven ben", "body": "..."})
    auth.post(f"/vragen/{mine}/aanvulling", {"body": "Het gebeurt vooral na de gym, merk ik."})
    auth.login("teacher2")
    answer_reply = auth.post(f"/vragen/{mine}/antwoord", {"kind": "idea", "body": ANSWER})
    assert answer_reply.status_code == 302  # she hears of it: a notification and a mail
    auth.login("teacher")
    response = auth.post("/account/gegevens.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == USERS["teacher"][0]
    assert data["account"]["topics"] == "groep 5, boosheid"
    assert data["expertise"] == ["agressief"]
    assert [q["id"] for q in data["questions"]] == [mine]
    assert [a["body"] for a in data["additions_to_own_questions"]] == [
        "Het gebeurt vooral na de gym, merk ik."
    ]
    assert [a["question_id"] for a in data["answers"]] == [theirs]
    assert [d["key"] for d in data["drafts"]] == ["ask"]
    assert [f["question_id"] for f in data["following"]] == [theirs]
    assert [n["kind"] for n in data["notifications"]] == ["answer"]
    assert len(data["mails"]) == 1 and "Hallo Juf Anna" in data["mails"][0]["body_text"]
    assert any(e["event"] == "login" for e in data["security_events"])


def test_deleting_my_account_keeps_the_knowledge(app, client, auth):
    qid = ask(app, who="teacher")
    best = answer(app, qid, who="teacher2")
    other = ask(app, who="teacher2", title="Een andere vraag over een leerling die wegloopt")
    answer(app, other, who="teacher")
    auth.login("teacher")
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": best})
    wrong = auth.post("/account/verwijderen", {"password": "niet-mijn-wachtwoord"})
    assert wrong.status_code == 400 and "klopt niet" in wrong.get_data(as_text=True)
    response = auth.post("/account/verwijderen", {"password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        db = get_db()
        assert accounts.user_by_email(db, USERS["teacher"][0]) is None
        author = db.execute(
            "SELECT u.email FROM questions q JOIN users u ON u.id = q.author_id"
        ).fetchone()[0]
        assert author == gdpr.FORMER_EMAIL
        hits = get_index().search(db.conn, "leerling roept door de instructie", k=1, kind="case")
        assert hits[0].target == str(qid)
    auth.login("teacher2")
    html = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "Juf Anna" not in html and "De Linde" not in html
    # Her question is anonymous now; her answers would read "een oud-account".
    assert "· een leerkracht" in html and "geïmporteerde casus" not in html
    assert "een oud-account" in client.get(f"/vragen/{other}").text


def test_coordinator_deletes_on_request_with_a_logged_reason(app, client, auth):
    target = user_id(app, "teacher2")
    auth.login("coordinator")
    refused = auth.post(f"/beheer/accounts/{target}/verwijderen", {"reason": "kort"})
    assert refused.status_code == 400
    done = auth.post(f"/beheer/accounts/{target}/verwijderen", {"reason": "verzoek"})
    assert done.status_code == 302
    with app.app_context():
        row = (
            get_db()
            .execute("SELECT detail FROM audit_log WHERE event = 'account_deleted'")
            .fetchone()
        )
    assert row[0] == "reason:verzoek"  # a kind from the list, never free text
    assert auth.post(f"/beheer/accounts/{user_id(app, 'teacher')}/gegevens.json").status_code == 200


def test_retention_de_identifies_old_questions(app, runner):
    open_q = ask(app, title="Daan uit groep 4 huilt elke ochtend bij de deur")
    resolved = ask(app, title="Storm (7) slaat klasgenoten op het plein")
    answer(app, resolved, body="Bel Storm zijn vader maar eens, op 06-12345678.")
    best = answer(app, resolved, who="expert", body="Maak een plan met een afkoelplek voor hem.")
    with app.app_context():
        from portal.questions import cases

        db = get_db()
        cases.mark_best(db, get_index(), resolved, best, user_id(app, "teacher"))
        db.conn.execute(
            "UPDATE questions SET created_at = '2020-01-01T00:00:00Z', "
            "resolved_at = '2020-02-01T00:00:00Z'"
        )
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert "Would de-identify 1 open questions" in dry.output
    result = runner.invoke(args=["privacy", "retention"])
    assert (
        "De-identified 1 open questions" in result.output and "removed 1 answers" in result.output
    )
    with app.app_context():
        db = get_db()
        titles = dict(db.execute("SELECT id, title FROM questions").fetchall())
        assert titles[open_q].startswith("[leerling] uit groep 4")
        assert titles[resolved].startswith("[leerling] (7) slaat")
        assert count(app, "answers") == 1
        doc = db.execute(
            "SELECT title FROM search_docs WHERE target = ?", [str(resolved)]
        ).fetchone()[0]
        assert "Storm" not in doc
    again = runner.invoke(args=["privacy", "retention"])
    # Each question is de-identified once: a second run finds nothing left to do.
    assert "De-identified 0 open questions" in again.output
    assert "and 0 resolved cases" in again.output and "removed 0 answers" in again.output
