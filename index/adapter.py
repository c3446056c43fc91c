"""A query adapter: a linear map that moves a teacher's question towards the case it asks for.

e5 puts a short phone question and the case text that answers it further apart than two
case texts on the same theme. A ridge regression from question vectors to the vectors of
the cases they were written for (every answerable query of the labelled sets in
index/eval) learns that shift once per model; the passage view then searches with the
moved question. No library we use fits a map between two embedding spaces: the closed form
below is a few lines of numpy, so it is written here.

``python -m index adapter`` (run by ``make setup``) embeds the sets and keeps, per set,
the sums the regression needs (generated, never committed). Evaluating a set leaves that
set's sums out (``load(model, leave_out=...)``), so no figure of a labelled set comes from a
map that saw it.
"""

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from . import ranking

EVAL_ROOT = Path(__file__).parent / "eval"
GENERATED = Path(__file__).parent / "generated"
# Ridge towards the identity: W = argmin |QW - P|^2 + LAMBDA |W - I|^2, chosen by leaving out
# one labelled set at a time (docs/RETRIEVAL.md).
LAMBDA = 1.0
OWN = "own"  # the name of the set at the root of index/eval


class Adapter:
    """The moved query vector for the kinds of document the map was fitted on."""

    def __init__(self, matrix: np.ndarray, kinds=("case",), sets=()):
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.kinds = tuple(kinds)
        self.sets = tuple(sets)  # the labelled sets it was fitted on
        # Stored with a region's bands: bands computed with another map are recomputed.
        self.signature = hashlib.sha256(self.matrix.tobytes()).hexdigest()[:12]

    def apply(self, vector: np.ndarray, kind: str) -> np.ndarray:
        if kind not in self.kinds:
            return vector
        moved = vector @ self.matrix
        norm = float(np.linalg.norm(moved))
        return (moved / norm).astype(np.float32) if norm > 0 else vector


def solve(gram: np.ndarray, cross: np.ndarray, lam: float = LAMBDA) -> np.ndarray:
    """The ridge solution from the sums Q'Q and Q'P, shrunk towards the identity."""
    eye = np.eye(gram.shape[0])
    return np.linalg.solve(gram + lam * eye, cross + lam * eye).astype(np.float32)


def fit(questions: np.ndarray, passages: np.ndarray, lam: float = LAMBDA) -> np.ndarray:
    """The map from question vectors to the vectors of their cases (rows paired)."""
    q = questions.astype(np.float64)
    return solve(q.T @ q, q.T @ passages.astype(np.float64), lam)


def labelled_sets(root: Path = EVAL_ROOT) -> dict[str, Path]:
    """{name: directory} of every labelled set: the own set at the root and each subfolder."""
    sets = {OWN: root} if (root / "queries.jsonl").exists() else {}
    for sub in sorted(p for p in root.iterdir() if (p / "queries.jsonl").exists()):
        sets[sub.name] = sub
    return sets


def set_name(directory: Path, root: Path = EVAL_ROOT) -> str | None:
    """The name ``labelled_sets`` gives a directory, or None outside index/eval."""
    directory = Path(directory).resolve()
    for name, path in labelled_sets(root).items():
        if path.resolve() == directory:
            return name
    return None


def _pairs(main, directory: Path) -> tuple[np.ndarray, np.ndarray]:
    from .evaluate import case_docs, load_set  # evaluate imports search, which imports this

    cases, queries = load_set(directory)
    text = {doc.ref: doc.embed_text for doc in case_docs(cases)}
    asked = [q for q in queries if q.get("expected") in text]
    dense = [ranking.dense_query(ranking.live_query(q["query"])[0]) for q in asked]
    refs = list(text)
    passages = main.embed_passages([text[r] for r in refs])
    row = {r: i for i, r in enumerate(refs)}
    return main.embed_queries(dense), passages[[row[q["expected"]] for q in asked]]


def _fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in ("queries.jsonl", "cases.jsonl", "set.json"):
        if (directory / name).exists():
            digest.update((directory / name).read_bytes())
    return digest.hexdigest()[:16]


def _file(model_id: str, directory: Path = GENERATED) -> Path:
    safe = "".join(c if c.isalnum() else "-" for c in model_id)
    return directory / f"adapter-{safe}.npz"


def build(main, root: Path = EVAL_ROOT, out_dir: Path = GENERATED, log=print) -> Path:
    """Embed every labelled set with the main model and store its regression sums."""
    sets = labelled_sets(root)
    path = _file(main.model_id, out_dir)
    prints = {name: _fingerprint(d) for name, d in sets.items()}
    kept = _read(path, sums=False)
    if kept and kept["fingerprints"] == prints:
        log(f"adapter for {main.model_id} is up to date ({len(sets)} sets): {path}")
        return path
    grams, crosses, counts = [], [], []
    for name, directory in sets.items():
        q, p = _pairs(main, directory)
        q, p = q.astype(np.float64), p.astype(np.float64)
        grams.append(q.T @ q)
        crosses.append(q.T @ p)
        counts.append(len(q))
        log(f"  {name}: {len(q)} questions")
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {"model": main.model_id, "sets": list(sets), "fingerprints": prints}
    tmp = path.with_suffix(".tmp.npz")
    # The map of all sets too: a web worker reads it alone (np.load reads keys lazily).
    matrix = solve(np.sum(grams, axis=0), np.sum(crosses, axis=0))
    np.savez(tmp, meta=json.dumps(meta), matrix=matrix, grams=np.array(grams),
             crosses=np.array(crosses), counts=np.array(counts))  # fmt: skip
    tmp.replace(path)
    log(f"adapter for {main.model_id}: {sum(counts)} questions of {len(sets)} sets in {path}")
    return path


def _read(path: Path, sums: bool = True) -> dict | None:
    """The file's meta and full map, and with ``sums`` the per-set sums (40 MB)."""
    if not path.exists():
        return None
    try:
        with np.load(path) as data:
            kept = {**json.loads(str(data["meta"])), "matrix": data["matrix"]}
            if sums:
                kept |= {"grams": data["grams"], "crosses": data["crosses"]}
            return kept
    except (OSError, ValueError, KeyError):
        return None  # a broken or older file: no adapter, the ranking works without one


def load(model_id: str, leave_out: str | None = None, directory: Path = GENERATED):
    """The adapter for a model, fitted on every labelled set but ``leave_out``; None if the
    model has none (``python -m index adapter`` makes one)."""
    path = _file(model_id, directory)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    # Once per process, file and left-out set; the sums (40 MB) are read only to leave one out.
    key = (str(path), stamp, model_id, leave_out)
    if key not in _solved:
        _solved[key] = _load(path, model_id, leave_out)
    return _solved[key]


_solved: dict[tuple, "Adapter | None"] = {}


def _load(path: Path, model_id: str, leave_out: str | None):
    kept = _read(path, sums=False)
    if not kept or kept.get("model") != model_id:
        return None
    if leave_out not in kept["sets"]:
        return Adapter(kept["matrix"], sets=kept["sets"])
    kept = _read(path)
    used = [i for i, name in enumerate(kept["sets"]) if name != leave_out]
    if not used:
        return None
    matrix = solve(kept["grams"][used].sum(0), kept["crosses"][used].sum(0))
    return Adapter(matrix, sets=[kept["sets"][i] for i in used])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index", description="Fit the query adapter on index/eval."
    )
    parser.add_argument("command", choices=["adapter"])
    parser.add_argument("--model", default=None, help="EMBEDDING_MODEL (default: the portal's)")
    args = parser.parse_args(argv)
    from .embedder import DEFAULT_MODEL, load_embedder

    build(load_embedder(args.model or DEFAULT_MODEL))
    return 0
