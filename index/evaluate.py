"""Measure retrieval on a labelled set: recall@1, recall@5, MRR, and "nothing fits".

A set is a directory with ``cases.jsonl`` (the import format) and ``queries.jsonl``
(``{"query", "expected": ref or null, "type": "paraphrase"|"none"}``). The cases are
indexed into a temporary database, so a region's own data is never touched.
"""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .documents import case_document
from .embedder import Embedder
from .schema import create_schema
from .search import SearchIndex

DEFAULT_SET = Path(__file__).parent / "eval"
MODES = ("keyword", "dense", "fused")


@dataclass
class QueryResult:
    query: str
    expected: str | None
    ranked: list[str]  # refs, best first
    top_cosine: float  # the best dense similarity among the shown hits
    expected_cosine: float | None


def load_set(directory: Path = DEFAULT_SET) -> tuple[list[dict], list[dict]]:
    directory = Path(directory)
    with open(directory / "cases.jsonl", encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    with open(directory / "queries.jsonl", encoding="utf-8") as fh:
        queries = [json.loads(line) for line in fh if line.strip()]
    return cases, queries


def build_index(embedder: Embedder, cases: list[dict], workdir: Path):
    import sqlite3

    conn = sqlite3.connect(str(workdir / "eval.sqlite3"), isolation_level=None)
    create_schema(conn)
    index = SearchIndex(workdir, embedder)
    docs = [
        case_document(i, c["title"], c["body"], c["answers"][c["best"]]["body"], c.get("ref"))
        for i, c in enumerate(cases, start=1)
    ]
    index.upsert(conn, docs)
    return conn, index


def run_queries(conn, index, queries, mode: str, k: int = 10) -> list[QueryResult]:
    results = []
    for q in queries:
        qvec = index.embed_query(q["query"])
        hits = index.search(conn, q["query"], k=k, kind="case", query_vector=qvec, mode=mode)
        refs = [h.ref for h in hits]
        cos = {h.ref: h.cosine for h in hits}
        results.append(
            QueryResult(
                query=q["query"],
                expected=q.get("expected"),
                ranked=refs,
                top_cosine=max((h.cosine for h in hits[:5]), default=0.0),
                expected_cosine=cos.get(q.get("expected")),
            )
        )
    return results


def quality(results: list[QueryResult]) -> dict:
    answerable = [r for r in results if r.expected]
    ranks = [r.ranked.index(r.expected) + 1 if r.expected in r.ranked else None for r in answerable]
    n = len(answerable) or 1
    return {
        "queries": len(answerable),
        "recall@1": sum(1 for x in ranks if x == 1) / n,
        "recall@5": sum(1 for x in ranks if x and x <= 5) / n,
        "mrr": sum(1 / x for x in ranks if x) / n,
    }


def nothing_fits(results: list[QueryResult], threshold: float) -> dict:
    """At a display threshold: how often the right case is shown, how often noise is hidden."""
    answerable = [r for r in results if r.expected]
    none = [r for r in results if not r.expected]
    shown_right = sum(
        1
        for r in answerable
        if r.expected in r.ranked[:5] and (r.expected_cosine or 0) >= threshold
    )
    hidden_noise = sum(1 for r in none if r.top_cosine < threshold)
    return {
        "threshold": threshold,
        "right_case_shown": shown_right / (len(answerable) or 1),
        "nothing_shown_when_nothing_fits": hidden_noise / (len(none) or 1),
    }


def best_threshold(results: list[QueryResult]) -> dict:
    """The display threshold that maximises the mean of both rates (balanced accuracy)."""
    grid = np.round(np.arange(0.75, 0.95, 0.0025), 4)
    scored = [nothing_fits(results, float(t)) for t in grid]
    return max(
        scored,
        key=lambda s: (s["right_case_shown"] + s["nothing_shown_when_nothing_fits"], -s["threshold"]),
    )


def evaluate(embedder: Embedder, directory: Path = DEFAULT_SET) -> dict:
    """Evaluate every mode on a set; return the figures as a dict."""
    cases, queries = load_set(directory)
    paraphrases = [q for q in queries if q.get("type", "paraphrase") != "none"]
    with tempfile.TemporaryDirectory() as tmp:
        conn, index = build_index(embedder, cases, Path(tmp))
        report = {"model": embedder.model_id, "cases": len(cases), "queries": len(queries)}
        for mode in MODES:
            report[mode] = quality(run_queries(conn, index, paraphrases, mode))
        fused_all = run_queries(conn, index, queries, "fused")
        report["nothing_fits"] = best_threshold(fused_all)
        conn.close()
    return report


def format_report(report: dict) -> str:
    lines = [
        f"model {report['model']}: {report['cases']} cases, {report['queries']} queries",
        f"{'method':<10}{'recall@1':>10}{'recall@5':>10}{'MRR':>8}",
    ]
    for mode in MODES:
        r = report[mode]
        lines.append(f"{mode:<10}{r['recall@1']:>10.3f}{r['recall@5']:>10.3f}{r['mrr']:>8.3f}")
    nf = report["nothing_fits"]
    lines.append(
        f"nothing fits: at cosine >= {nf['threshold']:.4f} the right case is shown for "
        f"{nf['right_case_shown']:.1%} of answerable queries, and nothing is shown for "
        f"{nf['nothing_shown_when_nothing_fits']:.1%} of queries no case answers"
    )
    return "\n".join(lines)
