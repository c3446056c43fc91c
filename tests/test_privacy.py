"""The privacy guard: found in text, shown with a fix, checked on the server and on import."""

import json
from pathlib import Path

import pytest

import privacy
from portal.db import get_db
from privacy.evaluate import evaluate as evaluate_privacy

from .helpers import ask, count

DATA = Path(__file__).parent / "data" / "privacy"
SCHOOLS = ["Basisschool De Regenboog", "SBO De Uiterwaard"]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Daan van der Berg slaat steeds.", "name", "Daan van der Berg"),
        ("gisteren schopte daan weer", "name", "daan"),
        ("Zijn BSN is 1112.22.333.", "bsn", "1112.22.333"),
        ("Bel moeder op 06-12345678.", "phone", "06-12345678"),
        ("Bel 020 123 4567 na drie uur.", "phone", "020 123 4567"),
        ("Mail vader@example.nl even.", "email", "vader@example.nl"),
        ("Ze wonen op Lindelaan 14a in 3512 AB.", "address", "Lindelaan 14a"),
        ("Ze wonen in 3512 AB.", "postcode", "3512 AB"),
        ("Hij is geboren op 12 maart 2017.", "birthdate", "12 maart 2017"),
        ("Ik werk op De Regenboog.", "school", "De Regenboog"),
        ("Roos (8) huilt veel.", "name", "Roos"),
        ("Een jongen van 7 op De Regenboog bijt.", "age", "7"),
    ],
)
def test_finds_personal_data(text, kind, found):
    findings = privacy.scan(text, SCHOOLS)
    assert [(f.kind, f.text) for f in findings if f.kind == kind] == [(kind, found)]
    assert privacy.REPLACEMENTS[kind] in privacy.scrub(text, SCHOOLS)


@pytest.mark.parametrize(
    "text",
    [
        "Een jongen uit groep 5 roept steeds door de klas.",
        "We tekenden een roos en praatten over de storm van gisteren.",
        "Maandag start de Kanjertraining; in maart volgt Rots en Water.",
        "Het BSN-nummer staat in het dossier: 123456789 is geen geldig nummer.",
        "Op 12-10-2026 hebben we een gesprek met de GGD en Veilig Thuis.",
        "Een jongen van 7 in groep 3 bijt als hij boos is.",
    ],
)
def test_clean_texts_raise_no_alarm(text):
    assert privacy.scan(text, SCHOOLS) == []


def test_scan_is_bounded():
    assert len(privacy.scan("Daan " * 50000)) <= privacy.MAX_SCAN_CHARS


def test_replacing_one_finding_keeps_the_rest():
    fixed = privacy.apply_fix({"body": "Daan belt 06-12345678"}, "body:0:4")
    assert fixed["body"] == "[leerling] belt 06-12345678"
    assert privacy.apply_fix({"body": "Daan belt 06-12345678"}, "all")["body"] == (
        "[leerling] belt [telefoon]"
    )


LABELLED_SCHOOLS = [
    line for line in (DATA / "schools.txt").read_text().splitlines() if line and line[0] != "#"
]


def labelled_sets():
    # heldout-2 is frozen and measured once at the end (docs/PRIVACY.md), never tuned on.
    return sorted(p for p in DATA.glob("*.jsonl") if p.stem != "heldout-2")


@pytest.mark.parametrize("path", labelled_sets(), ids=lambda p: p.stem)
def test_meets_the_targets_on_labelled_sets(path):
    report = evaluate_privacy(path, LABELLED_SCHOOLS)
    assert report["texts"] >= 60
    kinds = report["kinds"]
    for kind in ("bsn", "email", "phone", "postcode"):
        assert kinds[kind]["recall"] >= 0.95, (kind, kinds[kind])
    assert kinds["name"]["recall"] >= 0.85, kinds["name"]
    assert report["false_alarm_rate"] <= 0.05


def test_cli_scan_reads_stdin(runner):
    result = runner.invoke(
        args=["privacy", "scan", "--json"], input="Daan (7) van De Linde, bel 06-12345678"
    )
    findings = json.loads(result.output)
    assert [f["kind"] for f in findings] == ["name", "age", "school", "phone"]
    assert set(findings[0]) == {"kind", "start", "end", "text", "replacement"}
    assert findings[0]["replacement"] == "[leerling]"


QUESTION = {
    "title": "Daan uit groep 6 roept steeds door de klas",
    "body": "Hij kan niet wachten op zijn beurt. Moeder is bereikbaar op 06-12345678.",
    "cluster": "druk-impulsief",
}


def test_posting_with_a_name_warns_first_and_posts_nothing(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "action": "post"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Let op" in html and "<mark>Daan</mark>" in html and "<mark>06-12345678</mark>" in html
    assert "Vervang door [leerling]" in html and "toch plaatsen" in html
    assert count(app, "questions") == 0


def test_one_click_replacement_then_post(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "privacy_fix": "all"})
    html = response.get_data(as_text=True)
    assert "[leerling] uit groep 6" in html and "[telefoon]" in html
    assert "Let op" not in html
    fixed = {
        **QUESTION,
        "title": "[leerling] uit groep 6 roept steeds door de klas",
        "body": "Hij kan niet wachten op zijn beurt. Moeder is bereikbaar op [telefoon].",
    }
    assert auth.post("/vraag", {**fixed, "action": "post"}).status_code == 302
    assert count(app, "questions") == 1


def test_post_anyway_after_a_false_alarm_is_logged_without_the_text(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "action": "post_anyway"})
    assert response.status_code == 302
    with app.app_context():
        event = (
            get_db()
            .execute(
                "SELECT event, detail FROM audit_log WHERE event = 'privacy_warning_overridden'"
            )
            .fetchone()
        )
    assert event == ("privacy_warning_overridden", "name,phone")


def test_live_check_comes_with_the_suggestions(client, auth):
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {"title": "", "body": "Sanne huilt elke ochtend", "cluster": ""},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert 'id="privacy" hx-swap-oob="true"' in html
    assert "<mark>Sanne</mark>" in html


def test_answers_are_checked_on_the_server(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    data = {
        "kind": "idea",
        "body": "Bel zijn moeder op 06-12345678, die weet raad.",
        "action": "post",
    }
    response = auth.post(f"/vragen/{qid}/antwoord", data)
    assert response.status_code == 200 and "<mark>06-12345678</mark>" in response.get_data(
        as_text=True
    )
    assert count(app, "answers") == 0
    fixed = auth.post(f"/vragen/{qid}/antwoord", {**data, "privacy_fix": "all"})
    assert "[telefoon]" in fixed.get_data(as_text=True)
    assert (
        auth.post(f"/vragen/{qid}/antwoord", {**data, "action": "post_anyway"}).status_code == 302
    )
    assert count(app, "answers") == 1


def test_answers_are_checked_while_typing(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert f'hx-post="/vragen/{qid}/antwoord/controle"' in page
    panel = auth.post(
        f"/vragen/{qid}/antwoord/controle",
        {"body": "Mail de moeder van Daan even op ouder@example.nl"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert '<div id="privacy"' in panel
    assert "<mark>Daan</mark>" in panel and "<mark>ouder@example.nl</mark>" in panel
    assert "<html" not in panel


def test_import_refuses_personal_data_unless_told(app, runner, tmp_path):
    case = {
        "ref": "p-1",
        "cluster": "agressief",
        "title": "Jesse slaat in de pauze",
        "body": "Hij woont op Dorpsstraat 4 en slaat klasgenoten.",
        "answers": [{"body": "Spreek af waar hij kan afkoelen."}],
        "best": 0,
    }
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(case) + "\n")
    refused = runner.invoke(args=["cases", "import", str(path)])
    assert refused.exit_code == 1
    assert "could identify a pupil" in refused.output and "'Jesse'" in refused.output
    assert count(app, "questions") == 0
    done = runner.invoke(args=["cases", "import", str(path), "--replace-personal-data"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        title, body = get_db().execute("SELECT title, body FROM questions").fetchone()
    assert title == "[leerling] slaat in de pauze" and "[adres]" in body


def test_common_passwords_are_refused(app):
    from portal.accounts import users as accounts

    with pytest.raises(accounts.AccountError, match="veelgebruikte"):
        accounts.validate_password("wachtwoord123")
    accounts.validate_password("drie rustige woorden")
