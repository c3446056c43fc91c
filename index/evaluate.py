"""Measure retrieval on a labelled set, lever by lever, as a teacher would meet it.

A set is a directory with ``queries.jsonl`` (``{"query", "expected": ref or null, "type":
"paraphrase" | "lexical" | "none", "cluster"}``) and the cases, in the import format, in
``cases.jsonl`` or wherever ``set.json`` (``{"cases": "relative/path.jsonl"}``) points.
Everything is indexed into a temporary database, so a region's own data is never touched.

Figures:
- recall@1, recall@5 and MRR of each lever (the answerable queries);
- "nothing fits" with the bands of the ask page, calibrated on the set's own cases exactly
  as a region's are (index/ranking.py);
- dossiers: is the dossier of the question's kind of behaviour among the top three
  distinct dossiers;
- query memory: earlier askers' questions fed as "Dit helpt mij", later askers scored.
"""

import json
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import adapter as adapter_mod
from . import ranking
from .documents import case_document
from .embedder import Encoders
from .schema import create_schema
from .search import SearchIndex

DEFAULT_SET = Path(__file__).parent / "eval"
# Each lever adds a component to the one before (index/ranking.py WEIGHTS).
LEVERS = {
    "keyword": ("keyword",),
    "e5": ("passage",),
    "e5 + keyword": ("passage", "keyword"),
    "e5 + keyword + question": ("passage", "keyword", "question"),
    "fused (the portal)": ("passage", "keyword", "question", "second"),
}


@dataclass
class QueryResult:
    query: dict
    hits: list  # index.Hit, best first

    @property
    def ranked(self) -> list[str]:
        return [h.ref for h in self.hits]

    @property
    def expected(self) -> str | None:
        return self.query.get("expected")


def _lines(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_set(directory: Path = DEFAULT_SET) -> tuple[list[dict], list[dict]]:
    directory = Path(directory)
    cases_file = directory / "cases.jsonl"
    if not cases_file.exists() and (directory / "set.json").exists():
        pointer = json.loads((directory / "set.json").read_text(encoding="utf-8"))
        cases_file = (directory / pointer["cases"]).resolve()
    return _lines(cases_file), _lines(directory / "queries.jsonl")


def case_docs(cases: list[dict]) -> list:
    """The index documents of a set's cases: each with its most helpful answer."""
    return [
        case_document(
            i,
            c["title"],
            c["body"],
            c["answers"][c["best"]]["body"],
            c.get("ref"),
            c.get("cluster"),
        )
        for i, c in enumerate(cases, start=1)
    ]


def build_index(encoders: Encoders, cases: list[dict], workdir: Path, dossiers=(), adapter=...):
    """Index a set's cases (and dossiers) in a temporary database; ``adapter``: the query
    adapter to use (default: the model's own, index/adapter.py)."""
    conn = sqlite3.connect(str(workdir / "eval.sqlite3"), isolation_level=None)
    create_schema(conn)
    index = SearchIndex(workdir, encoders)
    if adapter is not ...:
        index.adapter = adapter
    index.upsert(conn, case_docs(cases) + list(dossiers))
    index.calibrate(conn)
    return conn, index


def run(conn, index, queries, components=None, k=10, live=False) -> list[QueryResult]:
    """Search every query; ``live``: with the part the ask page searches (ranking.live_query)."""
    texts = [ranking.live_query(q["query"])[0] if live else q["query"] for q in queries]
    vectors = index.embed_queries(texts)
    return [
        QueryResult(q, index.search(conn, t, k=k, kind="case", vectors=v, components=components))
        for q, t, v in zip(queries, texts, vectors, strict=True)
    ]


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


def auc(positive, negative) -> float:
    positive, negative = np.asarray(positive, float), np.asarray(negative, float)
    if not len(positive) or not len(negative):
        return float("nan")
    return float(np.mean([(p > negative).mean() + 0.5 * (p == negative).mean() for p in positive]))


def nothing_fits(results: list[QueryResult]) -> dict:
    """With the bands of the ask page: is the right case shown, is noise hidden?"""
    answerable = [r for r in results if r.expected]
    none = [r for r in results if not r.expected]
    shown_right = strong = strong_right = hidden = none_strong = 0
    shown_counts = []
    for r in results:
        shown = [h for h in r.hits if h.band]
        if r.expected:
            shown_counts.append(len(shown))
            shown_right += any(h.ref == r.expected for h in shown)
        else:
            hidden += not shown
            none_strong += any(h.band == "strong" for h in shown)
        strong += sum(1 for h in shown if h.band == "strong")
        strong_right += sum(1 for h in shown if h.band == "strong" and h.ref == r.expected)
    best = lambda rs: [r.hits[0].score if r.hits else 0.0 for r in rs]  # noqa: E731
    return {
        "right_case_shown": shown_right / (len(answerable) or 1),
        "shown_per_question": float(np.mean(shown_counts)) if shown_counts else 0.0,
        "nothing_shown_when_nothing_fits": hidden / (len(none) or 1),
        "no_strong_when_nothing_fits": 1 - none_strong / (len(none) or 1),
        "strong_precision": strong_right / strong if strong else 0.0,
        "strong_share": strong / (len(results) or 1),
        "auc_best_score": auc(best(answerable), best(none)),
        "auc_lead": auc(
            [ranking.lead(r.hits) for r in answerable], [ranking.lead(r.hits) for r in none]
        ),
    }


def dossier_quality(conn, index, queries, cases) -> dict:
    """Share of queries whose kind of behaviour has its dossier among the top 3 dossiers."""
    cluster_of_ref = {c.get("ref"): c["cluster"] for c in cases}
    dossier_cluster = dict(
        conn.execute("SELECT ref, cluster FROM search_docs WHERE kind = 'dossier'").fetchall()
    )
    asked = []
    for q in queries:
        cluster = q.get("cluster") or cluster_of_ref.get(q.get("expected"))
        if cluster and cluster != "overig" and cluster in dossier_cluster.values():
            asked.append((q, cluster))
    if not asked:
        return {}
    found = shown = shown_right = 0
    vectors = index.embed_queries([q["query"] for q, _ in asked])
    for (q, cluster), v in zip(asked, vectors, strict=True):
        hits = index.search_kinds(conn, q["query"], 24, ("dossier",), vectors=v)["dossier"]
        top = list(dict.fromkeys(h.ref for h in hits))[:3]
        found += any(dossier_cluster[ref] == cluster for ref in top)
        offered = [h for h in hits if h.band]
        shown += bool(offered)
        shown_right += any(dossier_cluster[h.ref] == cluster for h in offered)
    return {
        "queries": len(asked),
        "right_dossier_in_top3": found / len(asked),
        "sections_offered": shown / len(asked),
        "right_dossier_offered": shown_right / len(asked),
    }


def memory_simulation(
    encoders: Encoders, cases, queries, workdir: Path, adapter=...
) -> dict | None:
    """Earlier askers' questions become query memory ("Dit helpt mij"); later askers scored.

    Per case, the first paraphrase is fed as memory and the others are scored, with and
    without the memory.
    """
    by_case: dict[str, list[dict]] = {}
    for q in queries:
        if q.get("expected") and q.get("type", "paraphrase") == "paraphrase":
            by_case.setdefault(q["expected"], []).append(q)
    earlier = [qs[0] for qs in by_case.values() if len(qs) >= 2]
    later = [q for qs in by_case.values() if len(qs) >= 2 for q in qs[1:]]
    if not later:
        return None
    conn, index = build_index(encoders, cases, workdir, adapter=adapter)
    before = quality(run(conn, index, later))
    target_of = dict(conn.execute("SELECT ref, target FROM search_docs WHERE kind = 'case'"))
    for q in earlier:
        index.add_memory(conn, "case", target_of[q["expected"]], q["query"])
    after = quality(run(conn, index, later))
    conn.close()
    return {"fed": len(earlier), "scored": len(later), "before": before, "after": after}


def evaluate(encoders: Encoders, directory: Path = DEFAULT_SET, dossiers=()) -> dict:
    """Evaluate every lever, the bands, the dossiers and the memory on one set."""
    cases, queries = load_set(directory)
    answerable = [q for q in queries if q.get("expected")]
    # A labelled set is measured with the adapter fitted on the other sets only.
    leave_out = adapter_mod.set_name(directory)
    adapter = adapter_mod.load(encoders.main.model_id, leave_out=leave_out)
    report = {
        "set": str(directory),
        "model": encoders.model_id,
        "cases": len(cases),
        "queries": len(queries),
        "adapter": {"sets": len(adapter.sets), "left_out": leave_out} if adapter else None,
        "types": {
            t: sum(1 for q in queries if q.get("type") == t)
            for t in ("paraphrase", "lexical", "none")
        },  # fmt: skip
    }
    with tempfile.TemporaryDirectory() as tmp:
        conn, index = build_index(encoders, cases, Path(tmp), dossiers, adapter)
        report["calibration"] = index.calibration("case").as_json()
        report["levers"] = {
            name: quality(run(conn, index, answerable, components))
            for name, components in LEVERS.items()
            if encoders.second is not None or "second" not in components
        }
        paraphrases = [q for q in answerable if q.get("type", "paraphrase") == "paraphrase"]
        report["paraphrases"] = quality(run(conn, index, paraphrases))
        report["nothing_fits"] = nothing_fits(run(conn, index, queries, live=True))
        if dossiers:
            report["dossiers"] = dossier_quality(conn, index, queries, cases)
        conn.close()
    with tempfile.TemporaryDirectory() as tmp:
        report["memory"] = memory_simulation(encoders, cases, queries, Path(tmp), adapter)
    return report


def format_report(report: dict) -> str:
    types = ", ".join(f"{n} {t}" for t, n in report["types"].items())
    lines = [
        f"set {report['set']}: {report['cases']} cases, {report['queries']} queries ({types})",
        f"model {report['model']}; bands {report['calibration']}",
        "query adapter: "
        + (
            f"fitted on {report['adapter']['sets']} labelled sets"
            + (
                f" (this one, {report['adapter']['left_out']}, left out)"
                if report["adapter"]["left_out"]
                else ""
            )
            if report.get("adapter")
            else "none"
        ),  # fmt: skip
        f"{'lever':<28}{'recall@1':>10}{'recall@5':>10}{'MRR':>8}",
    ]
    rows = [*report["levers"].items(), ("paraphrases only", report["paraphrases"])]
    for name, r in rows:
        lines.append(f"{name:<28}{r['recall@1']:>10.3f}{r['recall@5']:>10.3f}{r['mrr']:>8.3f}")
    nf = report["nothing_fits"]
    lines += [
        "what the ask page shows:",
        f"  right case shown {nf['right_case_shown']:.3f}, {nf['shown_per_question']:.2f} hits "
        f"per answerable question; 'lijkt sterk' right {nf['strong_precision']:.3f} "
        f"(on {nf['strong_share']:.0%} of questions)",
        f"  no case fits: nothing shown {nf['nothing_shown_when_nothing_fits']:.3f}, "
        f"no 'strong' {nf['no_strong_when_nothing_fits']:.3f}; "
        f"AUC of the best score {nf['auc_best_score']:.3f}, of its lead {nf['auc_lead']:.3f}",
    ]
    if report.get("dossiers"):
        d = report["dossiers"]
        lines.append(
            f"dossiers ({d['queries']} questions): right dossier in top 3 "
            f"{d['right_dossier_in_top3']:.3f}; sections offered {d['sections_offered']:.3f}, "
            f"right one among them {d['right_dossier_offered']:.3f}"
        )
    if report.get("memory"):
        m = report["memory"]
        lines.append(
            f"query memory ({m['fed']} earlier askers fed, {m['scored']} later scored): "
            f"recall@5 {m['before']['recall@5']:.3f} -> {m['after']['recall@5']:.3f}, "
            f"MRR {m['before']['mrr']:.3f} -> {m['after']['mrr']:.3f}"
        )
    return "\n".join(lines)
