"""Measure retrieval on a labelled set: recall@1, recall@5, MRR, and "nothing fits".

A set is a directory with ``cases.jsonl`` (the import format) and ``queries.jsonl``
(``{"query", "expected": ref or null, "type": "paraphrase"|"none"}``). The cases are
indexed into a temporary database, so a region's own data is never touched.
"""

import json
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .documents import case_document
from .embedder import Embedder
from .ranking import SHOW_FROM, assign_bands
from .schema import create_schema
from .search import SearchIndex

DEFAULT_SET = Path(__file__).parent / "eval"
MODES = ("keyword", "dense", "fused")


@dataclass
class QueryResult:
    query: str
    expected: str | None
    hits: list  # index.Hit, best first

    @property
    def ranked(self) -> list[str]:
        return [h.ref for h in self.hits]


def load_set(directory: Path = DEFAULT_SET) -> tuple[list[dict], list[dict]]:
    directory = Path(directory)
    with open(directory / "cases.jsonl", encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    with open(directory / "queries.jsonl", encoding="utf-8") as fh:
        queries = [json.loads(line) for line in fh if line.strip()]
    return cases, queries


def build_index(embedder: Embedder, cases: list[dict], workdir: Path):
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
        results.append(QueryResult(q["query"], q.get("expected"), hits))
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


def nothing_fits(results: list[QueryResult], show_from: float = SHOW_FROM) -> dict:
    """With the bands a teacher sees: is the right case shown, is noise hidden?"""
    answerable = [r for r in results if r.expected]
    none = [r for r in results if not r.expected]
    shown_right = strong = strong_right = hidden = 0
    shown_counts = []
    for r in results:
        shown = [h for h in assign_bands(r.hits[:5], show_from) if h.band]
        if r.expected:
            shown_counts.append(len(shown))
            shown_right += any(h.ref == r.expected for h in shown)
        else:
            hidden += not shown
        strong += sum(1 for h in shown if h.band == "strong")
        strong_right += sum(1 for h in shown if h.band == "strong" and h.ref == r.expected)
    return {
        "show_from": show_from,
        "right_case_shown": shown_right / (len(answerable) or 1),
        "nothing_shown_when_nothing_fits": hidden / (len(none) or 1),
        "shown_per_question": float(np.mean(shown_counts)) if shown_counts else 0.0,
        "strong_precision": strong_right / strong if strong else 0.0,
    }


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
        report["nothing_fits"] = nothing_fits(fused_all)
        report["show_from_tradeoff"] = [
            nothing_fits(fused_all, t) for t in (0.86, 0.87, 0.875, 0.88, 0.885, 0.89, 0.90)
        ]
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
    lines.append("nothing fits (fused, top 5, bands as shown to a teacher):")
    lines.append(
        f"{'show_from':>10}{'right shown':>13}{'none hidden':>13}{'shown/q':>9}{'strong prec':>13}"
    )
    chosen = report["nothing_fits"]["show_from"]
    for nf in report["show_from_tradeoff"]:
        mark = "  <- portal" if abs(nf["show_from"] - chosen) < 1e-9 else ""
        lines.append(
            f"{nf['show_from']:>10.3f}{nf['right_case_shown']:>13.3f}"
            f"{nf['nothing_shown_when_nothing_fits']:>13.3f}{nf['shown_per_question']:>9.2f}"
            f"{nf['strong_precision']:>13.3f}{mark}"
        )
    return "\n".join(lines)
