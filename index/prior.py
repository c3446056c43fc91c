"""A prior population for z-scores: what "an ordinary document" looks like to a model.

A new region has a handful of cases; standardising a query's scores against three
documents says nothing. So the moments of every vector space are mixed with those of a
bundled background population (the resolved cases of ``index/eval/cases.jsonl``, written
for evaluation, about ordinary classroom situations), weighted as PRIOR_WEIGHT documents:
it dominates while a region is small and fades as the region grows. The moments depend on
the model, so they are computed once per model and kept in the data directory.
"""

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from . import memo
from .embedder import Encoders

BACKGROUND = Path(__file__).parent / "eval" / "cases.jsonl"
BACKGROUND_QUERIES = Path(__file__).parent / "eval" / "queries.jsonl"


def background_texts() -> tuple[list[str], list[str]]:
    """(passages, questions) of the background cases, as the index would embed them."""
    passages, questions = [], []
    with open(BACKGROUND, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                c = json.loads(line)
                best = c["answers"][c["best"]]["body"]
                passages.append(f"{c['title']}\n{c['body']}\n{best}")
                questions.append(f"{c['title']}\n{c['body']}")
    return passages, questions


def background_queries() -> list[str]:
    """Questions as teachers type them (the prior of the query memory)."""
    with open(BACKGROUND_QUERIES, encoding="utf-8") as fh:
        return [json.loads(line)["query"] for line in fh if line.strip()]


BACKGROUND_QUESTIONS = Path(__file__).parent / "background-questions.txt"


def background_questions() -> list[str]:
    """Teacher questions that no case about a pupil's behaviour answers (the "nothing fits"
    background of the bands, index/ranking.py)."""
    with open(BACKGROUND_QUESTIONS, encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


def background_vectors(encoders: Encoders, cache_dir: Path) -> np.ndarray:
    """The main model's query vectors of the background questions, kept per model and file."""
    questions = background_questions()
    digest = hashlib.sha256("\n".join(questions).encode()).hexdigest()[:8]
    key = hashlib.sha256(f"{encoders.model_id}:{digest}".encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"background-{key}.npy"
    try:
        return np.load(path)
    except (OSError, ValueError):
        pass
    vectors = np.asarray(memo.embed(encoders.main, "query", questions), dtype=np.float32)
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data directory: embedded again by the next process
    return vectors


def _moments(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = vectors.astype(np.float64)
    return v.mean(0), v.T @ v / len(v)


def prior_moments(encoders: Encoders, cache_dir: Path) -> dict[str, tuple]:
    """{space: (mean, second moment)} for the main passage, second passage, question spaces."""
    key = hashlib.sha256(f"{encoders.model_id}:2".encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"prior-{key}.npz"
    try:
        stored = np.load(path)
        return {
            name: (stored[f"{name}_mean"], stored[f"{name}_second"]) for name in _names(encoders)
        }
    except (OSError, KeyError, ValueError):
        pass
    passages, questions = background_texts()
    spaces = {
        "passage": _moments(memo.embed(encoders.main, "passage", passages)),
        "question": _moments(memo.embed(encoders.main, "query", questions)),
        "memory": _moments(memo.embed(encoders.main, "query", background_queries())),
    }
    if encoders.second is not None:
        spaces["second"] = _moments(memo.embed(encoders.second, "passage", passages))
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez(
        tmp,
        **{
            f"{n}_{part}": m
            for n, (mean, second) in spaces.items()
            for part, m in (("mean", mean), ("second", second))
        },
    )
    os.replace(tmp, path)
    return spaces


def _names(encoders: Encoders) -> list[str]:
    return ["passage", "question", "memory"] + (["second"] if encoders.second else [])
