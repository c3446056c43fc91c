"""Ranking in one place: how scores are fused, and which hits a teacher is shown.

Every number here is in z-units (a score standardised per query over all documents of a
kind, see index/vectors.py), never an absolute cosine, and the two that decide what a
teacher sees are recomputed from the region's own cases (``calibrate``). Where each value
comes from is in docs/RETRIEVAL.md; all of them were chosen on the tuning sets (index/eval
and the demo region), never on index/eval/heldout.
"""

from dataclasses import dataclass

import numpy as np

# Fusion: the sum of the components' z-scores, weighted. e5 on the case text is the
# backbone; the case's question as a teacher asked it (e5 query-to-query), keyword
# relevance (bm25) and a second model (USE) each add what e5 alone misses.
WEIGHTS = {"passage": 1.0, "question": 0.5, "keyword": 0.25, "second": 0.25}
# Query memory: earlier questions for which a teacher said "Dit helpt mij" or that a case
# answered. A memory vector adds only where it is unusually close to the new question.
MEMORY_FROM = 2.0
MEMORY_WEIGHT = 1.0
# "Heeft het geholpen?" after a week nudges a case (z-units).
FEEDBACK_BOOST = {"ja": 0.5, "deels": 0.0, "nee": -1.0}

# What the ask page shows, calibrated per region from the region's own cases: each case's
# title is searched as if a teacher typed it, among the other cases. How far the best
# (different!) case stands out for those titles is what "nothing fits" looks like here.
SHOW_PERCENTILE = 85  # show cases when the best beats the best match of 85% of those titles
STRONG_PERCENTILE = 97  # "lijkt sterk op je vraag": a lead over the runner-up 97% lack
CALIBRATION_SAMPLE = 200
MIN_DOCS_TO_CALIBRATE = 20
# Until a region has MIN_DOCS_TO_CALIBRATE cases: the tuning sets' own calibration values.
DEFAULT_SHOW_FROM = 4.5
DEFAULT_STRONG_GAP = 2.0
CASES_SHOWN = 3
# The ask page searches with the start of a long description: embedding costs about 1.5 ms
# per word (bench/), and the first thousand characters say what the question is about.
LIVE_QUERY_CHARS = 1000
NEAR_BEST = 2.5  # further hits are shown when within this of the best

# Dossier sections: the kind of behaviour of the nearest resolved cases votes for the
# dossiers of that cluster (the region's cases know what a question is about).
CLUSTER_VOTE_CASES = 5
CLUSTER_VOTE_WEIGHT = 3.0
SECTIONS_SHOWN = 2
SECTION_SHOW_FROM = 3.5  # on the section's own score, before the cases' vote
# A dossier page lists the resolved cases that stand out for its title and summary.
CLOSEST_CASE_FROM = 2.5


@dataclass(frozen=True)
class Calibration:
    show_from: float
    strong_gap: float
    documents: int = 0
    source: str = "default"  # "region" once computed from the region's own cases

    def as_json(self) -> dict:
        return {
            "show_from": round(self.show_from, 3),
            "strong_gap": round(self.strong_gap, 3),
            "documents": self.documents,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> "Calibration":
        if not data:
            return DEFAULT
        return cls(data["show_from"], data["strong_gap"], data.get("documents", 0), data["source"])


DEFAULT = Calibration(DEFAULT_SHOW_FROM, DEFAULT_STRONG_GAP)


def calibration_from(best: list[float], gaps: list[float], documents: int) -> Calibration:
    """The bands of a region from its own cases' titles searched among the other cases."""
    if documents < MIN_DOCS_TO_CALIBRATE or len(best) < 10:
        return Calibration(DEFAULT_SHOW_FROM, DEFAULT_STRONG_GAP, documents, "default")
    return Calibration(
        show_from=float(np.percentile(best, SHOW_PERCENTILE)),
        strong_gap=float(np.percentile(gaps, STRONG_PERCENTILE)),
        documents=documents,
        source="region",
    )


def zscore(score: float, mean: float, std: float) -> float:
    return (score - mean) / std if std > 0 else 0.0


def keyword_standardiser(relevances: list[float], documents: int) -> tuple[float, float]:
    """Mean and std of bm25 over all documents: those outside the candidates score 0.

    A prior of PRIOR documents without the words keeps a tiny region's numbers sane.
    """
    n = documents + KEYWORD_PRIOR_DOCS
    total = sum(relevances)
    square = sum(r * r for r in relevances)
    mean = total / n
    return mean, max(square / n - mean * mean, 1e-8) ** 0.5


KEYWORD_PRIOR_DOCS = 30


def fuse(components: dict[str, float], boost: float = 0.0) -> float:
    """The fused score of one document from its components' z-scores."""
    return sum(WEIGHTS[name] * z for name, z in components.items()) + boost


def memory_bonus(z: float) -> float:
    return MEMORY_WEIGHT * max(0.0, z - MEMORY_FROM)


def case_bands(hits: list, calibration: Calibration = DEFAULT) -> list:
    """Set each hit's band: 'strong', 'maybe' or None (noise, not to be shown)."""
    if not hits:
        return hits
    best = hits[0].score
    gap = best - hits[1].score if len(hits) > 1 else calibration.strong_gap
    show = best >= calibration.show_from
    for i, hit in enumerate(hits):
        if not show or i >= CASES_SHOWN or hit.score < best - NEAR_BEST:
            hit.band = None
        elif i == 0 and gap >= calibration.strong_gap:
            hit.band = "strong"
        else:
            hit.band = "maybe"
    return hits


def cluster_vote(case_hits: list, cluster_of) -> dict[str, float]:
    """{cluster: share} of the nearest resolved cases, weighted by their scores."""
    top = case_hits[:CLUSTER_VOTE_CASES]
    if not top:
        return {}
    weights = np.exp(np.array([h.score for h in top]) - top[0].score)
    shares: dict[str, float] = {}
    for hit, w in zip(top, weights, strict=True):
        cluster = cluster_of(hit)
        if cluster:
            shares[cluster] = shares.get(cluster, 0.0) + float(w / weights.sum())
    return shares


def section_bands(hits: list) -> list:
    """Dossier sections: the best one per dossier, 'maybe' when it stands out enough."""
    seen = set()
    for hit in hits:
        own = hit.score - getattr(hit, "vote", 0.0)
        if hit.ref in seen or own < SECTION_SHOW_FROM or len(seen) >= SECTIONS_SHOWN:
            hit.band = None
            continue
        seen.add(hit.ref)
        hit.band = "maybe"
    return hits


def shown_sections(hits: list) -> list:
    return [h for h in section_bands(hits) if h.band]


def closest_cases(hits: list) -> list:
    """Resolved cases that stand out for a dossier's title and summary."""
    return [h for h in hits if h.score >= CLOSEST_CASE_FROM]


def live_query(text: str) -> tuple[str, bool]:
    """The part of a question the ask page searches with, and whether it was cut."""
    text = " ".join((text or "").split())
    if len(text) <= LIVE_QUERY_CHARS:
        return text, False
    return text[:LIVE_QUERY_CHARS].rsplit(" ", 1)[0], True
