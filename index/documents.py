"""What the index knows of each kind of document: one place, used by the portal and eval."""

from .search import Doc

SNIPPET_CHARS = 260


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Shorten text to about ``limit`` characters at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def case_document(
    target, title: str, body: str, best_answer: str, ref=None, cluster: str | None = None
) -> Doc:
    """A resolved case: the question and the answer that helped most.

    The question as the teacher asked it is embedded once more, as a query: a new teacher's
    question is compared with it query to query (index/ranking.py).
    """
    return Doc(
        kind="case",
        target=str(target),
        ref=ref,
        title=title.strip(),
        text=f"{body.strip()}\n{best_answer.strip()}",
        snippet=snippet(best_answer),
        cluster=cluster,
        questions=(f"{title.strip()}\n{body.strip()}",),
    )


def section_document(
    slug: str, anchor: str, title: str, text: str, cluster: str, questions=()
) -> Doc:
    """One section of a dossier, with the teacher questions it answers (content/README.md)."""
    return Doc(
        kind="dossier",
        target=f"{slug}#{anchor}",
        ref=slug,
        title=title,
        text=text,
        snippet=snippet(text),
        cluster=cluster,
        questions=tuple(questions),
    )
