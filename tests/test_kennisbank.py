"""The kennisbank: every dossier is valid, readable and found by search."""

import re
from datetime import date
from pathlib import Path

import pytest

from portal import create_app
from portal.db import get_db, get_index
from portal.kennisbank import dossiers, editing, store
from portal.questions.cases import CLUSTERS

from .helpers import count

DOSSIER_DIR = Path(__file__).resolve().parent.parent / "content" / "dossiers"
SECTIONS = list(dossiers.REQUIRED_SECTIONS)
FILES = sorted(DOSSIER_DIR.glob("*.md"))


def test_one_dossier_per_cluster_at_least():
    clusters = {dossiers.parse_dossier(p).cluster for p in FILES}
    assert {
        "druk-impulsief",
        "informatieverwerking-sociaal",
        "angstig-teruggetrokken",
        "agressief",
    } <= clusters


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_dossier_is_complete(path):
    d = dossiers.parse_dossier(path)
    assert d.cluster in CLUSTERS
    assert 20 <= len(d.summary) <= 260
    assert [s.heading for s in d.sections] == SECTIONS
    reviewed = date.fromisoformat(d.reviewed)
    assert (date.today() - reviewed).days < 2 * 365, "due for review"
    assert len(d.sources) >= 3
    todo = next(s for s in d.sections if s.heading == "Wat kun je doen")
    assert todo.markdown.count("\n- ") + todo.markdown.startswith("- ") >= 8
    assert all(s.audience in ("leerkracht", "ouder", "both") for s in d.sections)
    assert "<!--" not in d.sections[0].html
    assert not any(q in d.sections[0].html for q in d.sections[0].questions)


def test_kennisbank_pages(client, auth):
    auth.login("parent")
    index = client.get("/kennisbank").get_data(as_text=True)
    for path in FILES:
        assert f'href="/kennisbank/{path.stem}"' in index
    page = client.get("/kennisbank/druk-impulsief").get_data(as_text=True)
    assert 'href="#wat-kun-je-doen"' in page and 'id="wat-kun-je-doen"' in page
    assert "<!-- audience" not in page and "audience:" not in page
    assert client.get("/kennisbank/bestaat-niet").status_code == 404
    assert client.get("/kennisbank/..%2f..%2fetc%2fpasswd").status_code == 404


@pytest.mark.real_model
def test_dossier_sections_are_indexed(app, runner):
    import json

    hits = json.loads(
        runner.invoke(
            args=[
                "search",
                "wat doe ik met een leerling die heel angstig is",
                "--json",
                "--kind",
                "dossier",
            ]
        ).output
    )
    assert hits and all(h["kind"] == "dossier" for h in hits)
    assert any(h["ref"] == "angstig-teruggetrokken" for h in hits[:3])
    assert "#" in hits[0]["id"]


def test_editing_or_removing_a_dossier_file_updates_the_index(tmp_path):
    import shutil

    folder = tmp_path / "dossiers"
    shutil.copytree(DOSSIER_DIR, folder)
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "d"),
            "DOSSIER_DIR": str(folder),
            "EMBEDDING_MODEL": "stand-in",
            "SECOND_MODEL": "none",
        }
    )

    def sections_of(slug):
        with app.app_context():
            store.sync(get_db().conn, get_index(), folder)
            return {t for t in get_index().targets(get_db().conn, "dossier") if t.startswith(slug)}

    def refs(query):
        with app.app_context():
            store.sync(get_db().conn, get_index(), folder)
            return [h.ref for h in get_index().search(get_db().conn, query, k=20, kind="dossier")]

    assert "agressief#wat-kun-je-doen" in sections_of("agressief#")
    assert "agressief" in refs("agressief gedrag")
    # Edit: a section gets new text, and the index follows without a restart.
    path = folder / "druk-impulsief.md"
    text = path.read_text().replace(
        "## Misverstanden",
        "## Misverstanden\nEen zebrapad oversteken met de klas vraagt drie begeleiders.\n",
        1,
    )
    path.write_text(text)
    with app.app_context():
        store.sync(get_db().conn, get_index(), folder)
        found = (
            get_db()
            .execute("SELECT count(*) FROM search_docs WHERE text LIKE '%zebrapad%'")
            .fetchone()[0]
        )
    assert found == 1
    assert "druk-impulsief" in refs("zebrapad oversteken")[:5]
    # Removal: no hit may point at text that is gone.
    (folder / "agressief.md").unlink()
    assert sections_of("agressief#") == set()
    assert "agressief" not in refs("agressief gedrag")


def test_dossier_front_matter_follows_the_schema():
    for path in FILES:
        d = dossiers.parse_dossier(path)
        assert dossiers.problems(d) == [], (path.name, dossiers.problems(d))
        assert d.meta["audience"] in ("leerkracht", "ouder", "both")
        assert d.meta["reviewer_role"]
        assert dossiers.suggestion_count(d.sections[2]) >= dossiers.MIN_SUGGESTIONS


def _form_values(slug="agressief") -> dict:
    """What the edit form starts with: the dossier's fields, section by section."""
    return editing.values(dossiers.parse_dossier(DOSSIER_DIR / f"{slug}.md"))


def _field_of(heading, sub=None, slug="agressief") -> str:
    d = dossiers.parse_dossier(DOSSIER_DIR / f"{slug}.md")
    section = next(s for s in editing.layout(d) if s.heading == heading)
    return next(p.name for p in section.parts if p.sub == sub)


def _proposal(client, auth, values, note="Nieuwe tip"):
    auth.login("expert")
    return auth.post("/kennisbank/agressief/voorstel", {**values, "note": note})


def test_the_edit_form_has_fields_per_section_never_the_file_format(client, auth):
    auth.login("expert")
    html = client.get("/kennisbank/agressief/voorstel").get_data(as_text=True)
    assert "front matter" not in html.lower() and "<!-- vragen" not in html
    assert "reviewer_role" not in html and "cluster:" not in html
    for heading in dossiers.REQUIRED_SECTIONS:
        assert f"<h2>{heading}</h2>" in html
    assert html.count('<select id="s') == len(dossiers.REQUIRED_SECTIONS)  # for whom, each
    assert "Voor de hele groep" in html and "Vragen van leerkrachten" in html


def test_every_dossier_survives_the_edit_form_unchanged():
    for path in sorted(DOSSIER_DIR.glob("*.md")):
        d = dossiers.parse_dossier(path)
        again = dossiers.parse_text(d.slug, editing.assemble(d, editing.values(d)))
        assert editing.values(again) == editing.values(d), path.name
        assert again.meta == d.meta and dossiers.problems(again) == []


def test_propose_approve_and_the_kennisbank_and_index_follow(app, client, auth):
    new_tip = (
        "- **Zebrapad-afspraak.** Oefen de oversteek met de klas zodat iedereen weet wat te doen."
    )
    values = _form_values()
    field = _field_of("Wat kun je doen", "Voor de hele groep")
    values[field] += "\n" + new_tip
    assert _proposal(client, auth, values).status_code == 302
    # Not in force until the coordinator approves.
    assert "Zebrapad-afspraak" not in client.get("/kennisbank/agressief").get_data(as_text=True)
    auth.login("coordinator")
    review = client.get("/kennisbank/beheer").get_data(as_text=True)
    version = int(re.search(r"/kennisbank/voorstellen/(\d+)", review).group(1))
    diff = client.get(f"/kennisbank/voorstellen/{version}").get_data(as_text=True)
    # The coordinator sees which section changes and how, not a file diff.
    assert "<h3>Wat kun je doen</h3>" in diff and "<h3>Misverstanden</h3>" not in diff
    assert re.search(r'<p class="add">.*Zebrapad-afspraak', diff)
    assert auth.post(f"/kennisbank/voorstellen/{version}/goedkeuren").status_code == 302
    page = client.get("/kennisbank/agressief").get_data(as_text=True)
    assert "Zebrapad-afspraak" in page
    versions = client.get("/kennisbank/agressief/versies").get_data(as_text=True)
    assert "goedgekeurd" in versions and "(in gebruik)" in versions
    with app.app_context():
        from portal.db import get_db

        found = (
            get_db()
            .execute(
                "SELECT count(*) FROM search_docs WHERE kind = 'dossier' AND text LIKE '%Zebrapad%'"
            )
            .fetchone()[0]
        )
    assert found == 1
    # A decided proposal cannot be decided again.
    again = auth.post(f"/kennisbank/voorstellen/{version}/afwijzen", follow_redirects=True)
    assert "al besloten" in again.get_data(as_text=True)
    # The next edit starts from the text in force, with the new tip in it.
    auth.login("expert")
    form = client.get("/kennisbank/agressief/voorstel").get_data(as_text=True)
    assert "Zebrapad-afspraak" in form


def test_a_proposal_must_keep_the_standard_and_loses_nothing(app, client, auth):
    values = _form_values()
    todo = _field_of("Wat kun je doen", "Voor de hele groep")
    values[todo] += "\n- **Nieuw.** Een tip met een bron die niet bestaat [99]."
    values[_field_of("Misverstanden")] = ""
    response = _proposal(client, auth, values)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Verwijzing [99] heeft geen bron." in html
    assert 'id="sectie-bronnen" open' in html  # the part with the problem is shown opened
    assert "Een tip met een bron die niet bestaat" in html  # what she typed is still there
    assert count(app, "dossier_versions") == 0
    same = _proposal(client, auth, _form_values())
    assert same.status_code == 400 and "nog niets veranderd" in same.get_data(as_text=True)
    empty = _proposal(client, auth, {**_form_values(), "summary": ""})
    assert empty.status_code == 400 and "Schrijf een korte samenvatting." in empty.get_data(
        as_text=True
    )


def test_review_page_lists_dossiers_due_for_review(tmp_path):
    import shutil

    from portal import create_app

    folder = tmp_path / "dossiers"
    shutil.copytree(DOSSIER_DIR, folder)
    old = folder / "agressief.md"
    old.write_text(re.sub(r"reviewed: \S+", "reviewed: 2019-05-01", old.read_text(), count=1))
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "d"),
            "DOSSIER_DIR": str(folder),
            "EMBEDDING_MODEL": "stand-in",
            "SECOND_MODEL": "none",
        }
    )
    from .helpers import AuthActions

    with app.app_context():
        from portal.accounts import users as accounts
        from portal.db import get_db

        accounts.create_user(get_db(), "c@r.test", "C", "coordinator", password="een-lange-zin")
    client = app.test_client()
    auth = AuthActions(client)
    client.post(
        "/login",
        data={"email": "c@r.test", "password": "een-lange-zin", "csrf_token": auth.token()},
    )
    html = client.get("/kennisbank/beheer").get_data(as_text=True)
    assert "Agressief gedrag" in html.split("Toe aan beoordeling")[1]
    assert "1 mei 2019" in html


@pytest.mark.real_model
def test_print_version_and_case_links(app, client, auth):
    from .helpers import answer, ask

    qid = ask(
        app,
        cluster="agressief",
        title="Jongen slaat klasgenoten als hij boos is",
        body="Bij frustratie slaat en schopt hij andere kinderen in de klas.",
    )
    best = answer(app, qid, body="Een vaste afkoelplek en een signaalkaart hielpen bij ons.")
    auth.login("teacher")
    auth.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": best})
    printable = client.get("/kennisbank/agressief/print").get_data(as_text=True)
    assert "Wat kun je doen" in printable and 'class="top"' not in printable
    page = client.get("/kennisbank/agressief").get_data(as_text=True)
    assert f'href="/vragen/{qid}"' in page  # closest resolved cases
    case = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert 'href="/kennisbank/agressief"' in case


def test_parent_activities_and_parent_home(app, client, auth):
    auth.login("coordinator")
    data = {
        "title": "Ouderavond over angst bij kinderen",
        "kind": "ouderavond",
        "cluster": "angstig-teruggetrokken",
        "day": "2099-03-12",  # what a phone's date picker sends
        "time": "19:30",
        "place": "Bibliotheek",
        "description": "Een avond met een orthopedagoog over angst en wat ouders kunnen doen.",
    }
    assert auth.post("/activiteiten", data).status_code == 302
    past = {
        **data,
        "title": "Ouders voor ouders: druk gedrag",
        "kind": "ouders-voor-ouders",
        "day": "10-01-2020",  # typed the Dutch way, without a picker
        "time": "20.00",
        "online": "y",
    }
    auth.post("/activiteiten", past)
    bad = auth.post("/activiteiten", {**data, "day": "morgen"})
    assert bad.status_code == 400 and "bijvoorbeeld 15-01-2027" in bad.get_data(as_text=True)
    assert 'id="fouten"' in bad.get_data(as_text=True)  # the message at the top of the form
    with app.app_context():
        from portal.db import get_db

        past_id = (
            get_db().execute("SELECT id FROM activities WHERE starts_at < '2021'").fetchone()[0]
        )
    auth.post(f"/activiteiten/{past_id}/terugblik", {"summary": "Twaalf ouders deelden tips."})
    auth.login("parent")
    home = client.get("/").get_data(as_text=True)
    assert "Ouderavond over angst bij kinderen" in home
    assert "Samenwerken met ouders" in home
    listing = client.get("/activiteiten").get_data(as_text=True)
    assert "Twaalf ouders deelden tips." in listing
    assert "<form" not in listing.split("</header>")[1]
