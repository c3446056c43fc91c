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

# What the ask page shows, calibrated per region from the region's own cases and from
# background questions that no case answers, each searched among the region's cases as if a
# teacher typed it. A question about something the region has no case for scores many
# cases alike, so the best case's lead over the fifth (LEAD_OVER) tells "a case fits" from
# "nothing fits" better than the best score itself (tuning sets, docs/RETRIEVAL.md).
LEAD_OVER = 5
# Show cases when the lead beats that of 65% of the background questions (below) that pass
# the background gate: questions no behaviour case answers but that look like this region's
# cases. The region's case titles searched among the other cases (the rule before, at their
# 85th percentile) stand out less than real unanswerable questions, by a different amount
# in each region; the background questions are what "nothing fits" looks like here.
# With the query adapter (index/adapter.py) every question comes closer to some case, the
# unanswerable ones too: 67 keeps "nothing shown" where 65 had it without the adapter
# (replayed on all seventeen labelled sets, each with the map fitted on the other sixteen).
SHOW_PERCENTILE = 67
MIN_BACKGROUND_LEADS = 20  # fewer pass the gate: show from the titles' STRONG_PERCENTILE
# "lijkt sterk op je vraag": the best case is first by each dense view on its own (e5 on the
# case text, e5 on the case's question, the second model) and leads the runner-up, and the
# fifth, by more than 85% of the region's case titles' best cases do (each title searched
# among the other cases). Independent views agreeing is what a wrong
# but related case rarely gets; a lead alone is easy to get where a region's cases lie
# close together.
STRONG_PERCENTILE = 85  # also the lead "lijkt sterk" needs (of the titles' leads)
STRONG_AGREE = ("passage", "question", "second")
# ... and only when the question is closer to the region's own cases than to a background of
# teacher questions that no behaviour case answers (index/background-questions.txt: rules,
# organisation, lessons), by more than half of those background questions are themselves:
# "fit" = mean cosine of its FIT_NEAREST nearest case questions - the same of its nearest
# background questions (query to query, the main model).
BACKGROUND_PERCENTILE = 50
FIT_NEAREST = 3
# "lijkt sterk" also needs a fit above that of 75% of the background questions: the wrong
# strong labels of the unanswerable questions were mostly questions of rules or organisation
# with a fit just over the median (replayed on the eleven development sets, 4 December 2026:
# pooled precision 0.946 -> 0.953, right strong labels 0.369 -> 0.366 of answerable questions).
STRONG_FIT_PERCENTILE = 75
CALIBRATION_VERSION = 6  # bands stored under another rule are recomputed, never reused
CALIBRATION_SAMPLE = 200
MIN_DOCS_TO_CALIBRATE = 20
# Until a region has MIN_DOCS_TO_CALIBRATE cases: the tuning sets' own calibration values
# (the 85th percentiles were 2.37 / 2.62 / 2.03 for the lead, 1.09 / 1.50 / 0.97 for the
# gap on the own, demo and first held-out sets).
DEFAULT_SHOW_FROM = 2.3
DEFAULT_STRONG_GAP = 1.2
CASES_SHOWN = 3
# The ask page searches with the start of a long description: the first thousand
# characters say what the question is about.
LIVE_QUERY_CHARS = 1000
# e5 reads only the first 400 characters (about 130 tokens): e5 costs about 1.7 ms per token
# on one core (bench/), and on the tuning sets 400 characters lost nothing (MRR 0.895 ->
# 0.892 on the first held-out set, whose long stories run to 1,300 characters).
DENSE_QUERY_CHARS = 400
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
    show_from: float  # the best case's lead over the LEAD_OVER-th, in z-units
    strong_gap: float  # the best case's lead over the runner-up, in z-units
    documents: int = 0
    source: str = "default"  # "region" once computed from the region's own cases
    fit_from: float | None = None  # the question's fit (above) must reach this; None: no gate
    strong_from: float | None = None  # the lead "lijkt sterk" needs; None: show_from
    strong_fit_from: float | None = None  # the fit "lijkt sterk" needs; None: no gate

    def as_json(self) -> dict:
        return {
            "show_from": round(self.show_from, 3),
            "strong_gap": round(self.strong_gap, 3),
            "fit_from": _rounded(self.fit_from, 4),
            "strong_from": _rounded(self.strong_from, 3),
            "strong_fit_from": _rounded(self.strong_fit_from, 4),
            "documents": self.documents,
            "source": self.source,
            "version": CALIBRATION_VERSION,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> "Calibration":
        if not data or data.get("version") != CALIBRATION_VERSION:
            return DEFAULT
        return cls(
            data["show_from"],
            data["strong_gap"],
            data.get("documents", 0),
            data["source"],
            data.get("fit_from"),
            data.get("strong_from"),
            data.get("strong_fit_from"),
        )


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


DEFAULT = Calibration(DEFAULT_SHOW_FROM, DEFAULT_STRONG_GAP)


def lead(hits: list) -> float:
    """How far the best hit stands out: its lead over the LEAD_OVER-th (over 0, the mean
    of all documents, while there are fewer hits)."""
    if not hits:
        return 0.0
    if len(hits) < LEAD_OVER:
        return hits[0].score
    return hits[0].score - hits[LEAD_OVER - 1].score


def calibration_from(
    leads: list[float], gaps: list[float], documents: int, background=()
) -> Calibration:
    """The bands of a region from its own cases' titles searched among the other cases, and
    the background questions searched among its cases: ``background`` holds (fit, lead)
    per background question (either None where the region could not give it)."""
    if documents < MIN_DOCS_TO_CALIBRATE or len(leads) < 10:
        return Calibration(DEFAULT_SHOW_FROM, DEFAULT_STRONG_GAP, documents, "default")
    strong_from = float(np.percentile(leads, STRONG_PERCENTILE))
    fits = [f for f, _ in background if f is not None]
    fit_from = strong_fit_from = None
    if len(fits) >= 10:
        fit_from = float(np.percentile(fits, BACKGROUND_PERCENTILE))
        strong_fit_from = float(np.percentile(fits, STRONG_FIT_PERCENTILE))
    passing = [
        lead
        for fit, lead in background
        if lead is not None and fit is not None and fit_from is not None and fit >= fit_from
    ]
    show_from = (
        float(np.percentile(passing, SHOW_PERCENTILE))
        if len(passing) >= MIN_BACKGROUND_LEADS
        else strong_from
    )
    return Calibration(
        show_from=show_from,
        strong_gap=float(np.percentile(gaps, STRONG_PERCENTILE)),
        documents=documents,
        source="region",
        fit_from=fit_from,
        strong_from=strong_from,
        strong_fit_from=strong_fit_from,
    )


def fit(case_sims, background_sims) -> float:
    """How much closer a question is to the region's case questions than to the background:
    the mean of its FIT_NEAREST best cosines with each (sorted best first)."""
    return float(np.mean(case_sims[:FIT_NEAREST]) - np.mean(background_sims[:FIT_NEAREST]))


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


def case_bands(hits: list, calibration: Calibration = DEFAULT, fit: float | None = None) -> list:
    """Set each hit's band: 'strong', 'maybe' or None (noise, not to be shown)."""
    if not hits:
        return hits
    best = hits[0].score
    gap = best - hits[1].score if len(hits) > 1 else calibration.strong_gap
    standing = lead(hits)
    show = standing >= calibration.show_from
    strong_from = calibration.strong_from
    if strong_from is None:
        strong_from = calibration.show_from
    if calibration.fit_from is not None and fit is not None and fit < calibration.fit_from:
        show = False  # a question like those no behaviour case answers
    # Only the views this index has (a region may run without the second model).
    views = [c for c in STRONG_AGREE if c in hits[0].components]
    agreed = bool(views) and all(c in hits[0].leads for c in views)
    if calibration.strong_fit_from is not None and fit is not None:
        agreed = agreed and fit >= calibration.strong_fit_from
    for i, hit in enumerate(hits):
        if not show or i >= CASES_SHOWN or hit.score < best - NEAR_BEST:
            hit.band = None
        elif i == 0 and gap >= calibration.strong_gap and agreed and standing >= strong_from:
            hit.band = "strong"
        else:
            hit.band = "maybe"
    return hits


def leaders(scored: dict, views=STRONG_AGREE) -> dict[str, int]:
    """{view: the document that view alone ranks first} among the scored candidates."""
    out = {}
    for view in views:
        ranked = [(comps[view], doc) for doc, (_, comps) in scored.items() if view in comps]
        if ranked:
            out[view] = max(ranked)[1]
    return out


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
    return _start(text, LIVE_QUERY_CHARS), len(text) > LIVE_QUERY_CHARS


def dense_query(text: str) -> str:
    """The start of a question that the main model reads (whole words)."""
    return _start(text, DENSE_QUERY_CHARS)


def _start(text: str, chars: int) -> str:
    """The first ``chars`` characters of a text, cut after a whole word."""
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0]
