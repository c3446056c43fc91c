"""What the ask page shows while a teacher types: resolved cases and dossier sections."""

from dataclasses import dataclass

from index import Hit, SearchIndex, ranking


@dataclass
class Suggestions:
    cases: list[Hit]
    dossiers: list[Hit]

    def __bool__(self) -> bool:
        return bool(self.cases or self.dossiers)


def suggest(db, index: SearchIndex, text: str) -> Suggestions:
    """Find resolved cases and dossier sections that look like a question.

    Only matches in a band ("strong" or "maybe") are returned: showing nothing beats
    making a teacher on a phone scroll through noise.
    """
    if not text.strip():
        return Suggestions([], [])
    qvec = index.embed_query(text)
    case_hits = index.search(db.conn, text, k=ranking.CASES_SHOWN, kind="case", query_vector=qvec)
    section_hits = index.search(db.conn, text, k=12, kind="dossier", query_vector=qvec)
    return Suggestions([h for h in case_hits if h.band], ranking.shown_sections(section_hits))
