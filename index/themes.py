"""Themes in a region's questions: k-means on their embeddings, labelled with typical words.

Used by the working group's insight page. The number of themes is not fixed: k-means
looks for about sqrt(n / 2) groups, and groups whose centres lie closer together than
their own questions do are joined again, so the themes follow the region's own questions.
"""

from collections import Counter
from dataclasses import dataclass, field

import faiss
import numpy as np

from . import text as textmod

MAX_THEMES = 12
SILHOUETTE_SAMPLE = 2000
# Words every question about behaviour in class uses: they describe no theme.
GENERIC = frozenset(
    [
        "leerling",
        "leerlingen",
        "kind",
        "kinderen",
        "klas",
        "groep",
        "school",
        "juf",
        "meester",
        "jongen",
        "meisje",
        "hij",
        "zij",
        "ze",
        "hem",
        "haar",
        "zijn",
        "mijn",
        "wat",
        "hoe",
        "ik",
        "je",
        "we",
        "wij",
        "heeft",
        "doet",
        "wordt",
        "kan",
    ]
)


@dataclass
class Theme:
    members: list[int]  # positions in the input
    words: list[str]  # the most typical words, most typical first
    examples: list[int]  # positions of the members closest to the centre
    spread: float = 0.0  # mean cosine distance to the centre (lower: a tighter theme)
    extra: dict = field(default_factory=dict)


def _normalised(vectors: np.ndarray) -> np.ndarray:
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.maximum(norms, 1e-9)


def centred(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors with the corpus's common direction taken out.

    Sentence embeddings of texts on one subject all point roughly the same way; without
    the mean, k-means groups on what differs between the questions.
    """
    v = _normalised(vectors)
    return _normalised(v - v.mean(axis=0))


def _kmeans(v: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    km = faiss.Kmeans(v.shape[1], k, niter=25, nredo=3, seed=seed, spherical=True, verbose=False)
    km.cp.min_points_per_centroid = 1  # small regions: no warning about few points
    km.train(v)
    _, labels = km.index.search(v, 1)
    return km.centroids, labels.ravel()


def silhouette(v: np.ndarray, labels: np.ndarray, seed: int = 0) -> float:
    """Mean silhouette with cosine distance (on a sample for a large corpus)."""
    rng = np.random.default_rng(seed)
    if len(v) > SILHOUETTE_SAMPLE:
        pick = rng.choice(len(v), SILHOUETTE_SAMPLE, replace=False)
        v, labels = v[pick], labels[pick]
    dist = 1.0 - v @ v.T
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    mean_to = np.stack([dist[:, labels == g].mean(axis=1) for g in groups], axis=1)
    own = np.searchsorted(groups, labels)
    sizes = np.array([(labels == g).sum() for g in groups])
    # a: mean distance to the others in one's own group (without oneself)
    a = mean_to[np.arange(len(v)), own] * sizes[own] / np.maximum(sizes[own] - 1, 1)
    mean_to[np.arange(len(v)), own] = np.inf
    b = mean_to.min(axis=1)
    s = np.where(sizes[own] > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-9), 0.0)
    return float(s.mean())


def choose_k(n: int, min_size: int) -> int:
    """How many themes to look for in ``n`` questions: about sqrt(n / 2), within bounds.

    Silhouette was tried first (see docs/ARCHITECTURE.md): on real questions about behaviour
    it falls steadily with k and would always answer 2, because the questions overlap rather
    than fall apart in groups. The square-root rule grows with the corpus; themes that come
    out smaller than ``min_size`` are dropped afterwards.
    """
    return max(1, min(MAX_THEMES, n // max(min_size, 1), round((n / 2) ** 0.5)))


def _labels(texts: list[str], groups: list[list[int]], n_words: int) -> list[list[str]]:
    """Per group the words most typical of it: frequent in the group, rare elsewhere.

    Score = share of the group's questions with the word x log(share in the group / share
    in the whole corpus); a word needs two questions of the group.
    """
    surface: dict[str, Counter] = {}
    per_text = []
    for text in texts:
        words = [
            w for w in textmod.tokens(text)
            if len(w) > 2 and w not in textmod.STOPWORDS and w not in GENERIC
            and not w.isdigit()
        ]  # fmt: skip
        stems = textmod._stemmer.stemWords(words)
        for word, stem in zip(words, stems, strict=True):
            surface.setdefault(stem, Counter())[word] += 1
        per_text.append(set(stems))
    everywhere = Counter(stem for stems in per_text for stem in stems)
    n = len(texts)
    out = []
    for members in groups:
        inside = Counter(stem for i in members for stem in per_text[i])
        scored = {}
        for stem, k in inside.items():
            if k < 2:
                continue
            share = k / len(members)
            scored[stem] = share * np.log(share / (everywhere[stem] / n))
        best = sorted((s for s in scored if scored[s] > 0), key=lambda s: (-scored[s], s))
        out.append([surface[s].most_common(1)[0][0] for s in best[:n_words]])
    return out


def _merge_close(groups: list[list[int]], v: np.ndarray) -> list[list[int]]:
    """Join groups whose centres are closer to each other than their members are to them.

    Two such groups are one theme cut in two by k-means; the yardstick is the corpus's own
    (the median closeness of a question to its group's centre), not a fixed number.
    """
    groups = [g for g in groups if g]
    while len(groups) > 1:
        centres = _normalised(np.stack([v[g].mean(axis=0) for g in groups]))
        own = np.median(np.concatenate([v[g] @ centres[i] for i, g in enumerate(groups)]))
        sims = centres @ centres.T
        np.fill_diagonal(sims, -np.inf)
        a, b = np.unravel_index(np.argmax(sims), sims.shape)
        if sims[a, b] <= own:
            break
        groups[a] = groups[a] + groups[b]
        del groups[b]
    return groups


def find_themes(
    vectors: np.ndarray,
    texts: list[str],
    min_size: int = 5,
    n_words: int = 4,
    n_examples: int = 3,
    seed: int = 0,
) -> list[Theme]:
    """Group questions into themes, largest first; themes under ``min_size`` are left out."""
    if len(vectors) < 2 * min_size:
        return []
    v = centred(vectors)
    k = choose_k(len(v), min_size)
    if k < 2:
        return []
    _, labels = _kmeans(v, k, seed)
    groups = _merge_close([np.flatnonzero(labels == g).tolist() for g in range(k)], v)
    centroids = _normalised(np.stack([v[g].mean(axis=0) for g in groups]))
    k = len(groups)
    keep = [g for g in range(k) if len(groups[g]) >= min_size]
    words = _labels(texts, [groups[g] for g in keep], n_words)
    themes = []
    for g, label in zip(keep, words, strict=True):
        members = groups[g]
        closeness = v[members] @ centroids[g]
        order = np.argsort(-closeness)
        themes.append(
            Theme(
                members=members,
                words=label,
                examples=[members[i] for i in order[:n_examples]],
                spread=float(1.0 - closeness.mean()),
            )
        )
    return sorted(themes, key=lambda t: (-len(t.members), t.spread))
