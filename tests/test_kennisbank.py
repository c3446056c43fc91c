"""The kennisbank: every dossier is valid, readable and found by search."""

from datetime import date
from pathlib import Path

import pytest

from portal import dossiers
from portal.cases import CLUSTERS

DOSSIER_DIR = Path(__file__).resolve().parent.parent / "content" / "dossiers"
SECTIONS = [
    "Waar gaat het over",
    "Wat zie je in de klas",
    "Wat kun je doen",
    "Samenwerken met ouders",
    "Wanneer schakel je hulp in",
    "Misverstanden",
    "Bronnen",
]
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
    assert "<!--" not in dossiers.Section.html.fget(d.sections[0])


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


def test_editing_or_removing_a_dossier_file_updates_the_index(tmp_path, embedder):
    import shutil

    from portal import create_app
    from portal.db import get_db
    from portal.search import ensure_dossiers_indexed, get_index

    folder = tmp_path / "dossiers"
    shutil.copytree(DOSSIER_DIR, folder)
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "d"), "DOSSIER_DIR": str(folder)})

    def refs(query):
        with app.app_context():
            ensure_dossiers_indexed(get_db())
            return [h.ref for h in get_index().search(get_db().conn, query, k=5, kind="dossier")]

    assert "agressief" in refs("leerling wordt agressief en slaat")
    # Edit: a section gets new text, and the index follows without a restart.
    path = folder / "druk-impulsief.md"
    text = path.read_text().replace(
        "## Misverstanden",
        "## Misverstanden\nEen zebrapad oversteken met de klas vraagt drie begeleiders.\n",
        1,
    )
    path.write_text(text)
    with app.app_context():
        ensure_dossiers_indexed(get_db())
        found = (
            get_db()
            .execute("SELECT count(*) FROM search_docs WHERE text LIKE '%zebrapad%'")
            .fetchone()[0]
        )
    assert found == 1
    # Removal: no hit may point at text that is gone.
    (folder / "agressief.md").unlink()
    assert "agressief" not in refs("leerling wordt agressief en slaat")
