"""The search index: add, search, remove, rebuild, consistency across processes."""

import numpy as np
import pytest

from index import Doc, SearchIndex, create_schema, text
from portal.db import connect


@pytest.fixture
def conn(tmp_path):
    db = connect(tmp_path / "index.sqlite3")
    create_schema(db.conn)
    yield db.conn
    db.conn.close()


def case(target, title, text):
    return Doc(
        kind="case",
        target=str(target),
        ref=f"ref-{target}",
        title=title,
        text=text,
        snippet=text[:40],
    )


CASES = [
    case(
        1,
        "Jongen roept steeds door de klas",
        "Hij kan niet wachten op zijn beurt tijdens de instructie.",
    ),
    case(
        2,
        "Meisje durft niet te praten in de kring",
        "Ze is erg stil en wordt rood als ze iets moet zeggen.",
    ),
    case(
        3,
        "Leerling slaat klasgenoten op het plein",
        "In de pauze loopt het uit de hand, hij schopt en slaat.",
    ),
    case(
        4,
        "Kind met autisme raakt van slag bij een invaller",
        "Veranderingen in het dagritme maken hem erg onrustig.",
    ),
]


def test_search_finds_a_paraphrase_first(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    assert index.upsert(conn, CASES) == 4
    hits = index.search(conn, "hij flapt er alles uit en wacht nooit tot hij aan de beurt is", k=3)
    assert hits[0].target == "1"
    hits = index.search(conn, "verlegen meisje zegt niks in de kring, wordt rood", k=3)
    assert hits[0].target == "2"
    assert hits[0].ref == "ref-2"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unchanged_documents_are_not_embedded_again(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES)
    assert index.upsert(conn, CASES) == 0
    changed = case(2, "Meisje durft niet te praten in de kring", "Nieuwe tekst over spreekangst.")
    assert index.upsert(conn, [changed]) == 1
    assert index.status(conn)["documents"]["case"] == 4


def test_removed_documents_are_never_found(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES)
    assert index.remove(conn, "case", ["3"]) == 1
    hits = index.search(conn, "slaan en schoppen op het schoolplein", k=4)
    assert "3" not in [h.target for h in hits]
    assert index.status(conn)["consistent"]


def test_kind_filter(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    dossier = Doc(
        kind="dossier",
        target="agressief#wat-kun-je-doen",
        ref="agressief",
        title="Agressief gedrag: wat kun je doen",
        text="Blijf rustig, benoem gedrag.",
        snippet="",
    )
    index.upsert(conn, [*CASES, dossier])
    assert {h.kind for h in index.search(conn, "agressie in de klas", k=5, kind="dossier")} == {
        "dossier"
    }
    assert {h.kind for h in index.search(conn, "agressie in de klas", k=5, kind="case")} == {"case"}


def test_second_process_sees_changes_without_restart(conn, embedder, tmp_path):
    """Two SearchIndex objects over one database behave like two web workers."""
    worker_a = SearchIndex(tmp_path, embedder)
    worker_b = SearchIndex(tmp_path, embedder)
    worker_a.upsert(conn, CASES[:2])
    assert worker_b.status(conn)["in_memory"]["case"] == 2
    worker_a.upsert(conn, CASES[2:])
    hits = worker_b.search(conn, "hij slaat en schopt in de pauze", k=1)
    assert hits[0].target == "3"
    worker_a.remove(conn, "case", ["3"])
    assert "3" not in [h.target for h in worker_b.search(conn, "slaan in de pauze", k=4)]


def test_index_file_is_a_cache_that_can_be_lost(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES)
    index.save(conn)
    assert (tmp_path / "index.json").exists()
    fresh = SearchIndex(tmp_path, embedder)
    assert fresh.search(conn, "stil meisje in de kring", k=1)[0].target == "2"
    # A corrupt or missing file is rebuilt from SQLite.
    (tmp_path / "index-case.npz").write_bytes(b"garbage")
    again = SearchIndex(tmp_path, embedder)
    assert again.status(conn)["in_memory"]["case"] == 4
    assert again.search(conn, "stil meisje in de kring", k=1)[0].target == "2"


def test_stale_file_is_caught_up_from_the_database(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES[:2])
    index.save(conn)
    index.upsert(conn, CASES[2:])  # not saved: the file is now behind the database
    index.remove(conn, "case", ["1"])
    fresh = SearchIndex(tmp_path, embedder)
    status = fresh.status(conn)
    assert status["in_memory"]["case"] == 3
    assert status["consistent"]


def test_replace_all_rebuilds_from_documents(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES)
    seen = []
    assert index.replace_all(conn, CASES[:3], progress=seen.append) == 3
    assert sum(seen) == 3
    status = index.status(conn)
    assert status["documents"]["case"] == 3 and status["built_at"]


def test_vectors_are_normalised_and_stored(conn, embedder, tmp_path):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES[:1])
    blob = conn.execute("SELECT vector FROM search_docs").fetchone()[0]
    vec = np.frombuffer(blob, dtype=np.float32)
    assert vec.shape == (embedder.dim,)
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3


@pytest.mark.parametrize("query", ["", "   ", "😀😀😀", "<script>alert(1)</script>", "x" * 20000])
def test_odd_queries_give_a_clear_result(conn, embedder, tmp_path, query):
    index = SearchIndex(tmp_path, embedder)
    index.upsert(conn, CASES)
    hits = index.search(conn, query, k=3)
    if not query.strip():
        assert hits == []
        return
    assert 1 <= len(hits) <= 3 and {h.target for h in hits} <= {d.target for d in CASES}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.band in (None, "maybe", "strong") for h in hits)
    # Text past the bound is never looked at: a pasted novel costs what its start costs.
    clipped = index.search(conn, query[: text.MAX_QUERY_CHARS], k=3)
    assert [h.target for h in clipped] == [h.target for h in hits]


def test_evaluation_sets_are_well_formed():
    """Every labelled set, the frozen ones included: known refs and query types, no gaps."""
    from index.evaluate import DEFAULT_SET, load_set

    sets = [DEFAULT_SET, *sorted(p for p in DEFAULT_SET.iterdir() if p.is_dir())]
    assert len(sets) >= 6
    for directory in sets:
        cases, queries = load_set(directory)
        refs = {c.get("ref") for c in cases}
        assert len(cases) >= 60 and len(queries) >= 100, directory.name
        for q in queries:
            assert q["type"] in ("paraphrase", "lexical", "none"), (directory.name, q)
            assert (q["expected"] is None) == (q["type"] == "none"), (directory.name, q)
            assert q["expected"] is None or q["expected"] in refs, (directory.name, q)
