"""What the index knows of each kind of document: one place, used by the portal and eval."""

from .search import Doc

SNIPPET_CHARS = 260


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Shorten text to about ``limit`` characters at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def case_document(target, title: str, body: str, best_answer: str, ref=None) -> Doc:
    """A resolved case: the question and the answer that helped most."""
    return Doc(
        kind="case",
        target=str(target),
        ref=ref,
        title=title.strip(),
        text=f"{body.strip()}\n{best_answer.strip()}",
        snippet=snippet(best_answer),
    )
