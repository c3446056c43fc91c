"""What the ask page shows while a teacher types: resolved cases and dossier sections."""

from dataclasses import dataclass

from index import Hit, SearchIndex, ranking


@dataclass
class Suggestions:
    cases: list[Hit]
    dossiers: list[Hit]
    cut: bool = False  # the text was longer than the ask page searches with

    def __bool__(self) -> bool:
        return bool(self.cases or self.dossiers)

    @property
    def shown(self) -> list[Hit]:
        """In page order: the cases, then the dossier sections."""
        return self.cases + self.dossiers


def suggest(db, index: SearchIndex, text: str) -> Suggestions:
    """Find resolved cases and dossier sections that look like a question.

    Only matches in a band ("strong" or "maybe", index/ranking.py) are returned: showing
    nothing beats making a teacher on a phone scroll through noise.
    """
    query, cut = ranking.live_query(text)
    if not query:
        return Suggestions([], [])
    found = index.search_kinds(db.conn, query, 24, ("case", "dossier"))
    return Suggestions(
        [h for h in found["case"] if h.band], [h for h in found["dossier"] if h.band], cut
    )
