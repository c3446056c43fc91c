"""What the ask page shows while a teacher types: resolved cases and dossier sections."""

from dataclasses import dataclass

from index import Hit, SearchIndex


@dataclass
class Suggestions:
    cases: list[Hit]
    dossiers: list[Hit]

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
    if not text.strip():
        return Suggestions([], [])
    found = index.search_kinds(db.conn, text, 24, ("case", "dossier"))
    return Suggestions(
        [h for h in found["case"] if h.band], [h for h in found["dossier"] if h.band]
    )
