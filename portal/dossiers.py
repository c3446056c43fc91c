"""Knowledge dossiers: Markdown files with front matter in ``content/dossiers``."""

import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
from markdown_it import MarkdownIt

from index import Doc
from index.documents import snippet

_AUDIENCE = re.compile(r"^\s*<!--\s*audience:\s*(\w+)\s*-->\s*$", re.MULTILINE)
# Our own content, still rendered without raw HTML: the kennisbank never carries markup
# that did not come from Markdown.
_md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable("table")


@dataclass
class Section:
    anchor: str
    heading: str
    markdown: str
    audience: str = "both"

    @property
    def html(self) -> str:
        return _md.render(self.markdown)

    @property
    def plain(self) -> str:
        text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", self.markdown, flags=re.MULTILINE)
        text = re.sub(r"[*_`>#]+", "", text)
        return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)


@dataclass
class Dossier:
    slug: str
    title: str
    cluster: str
    summary: str
    reviewed: str
    sources: list[str]
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def intro_html(self) -> str:
        return _md.render(self.intro) if self.intro.strip() else ""


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sectie"


def parse_dossier(path: Path) -> Dossier:
    """Parse one dossier file; raise ValueError naming the problem."""
    post = frontmatter.load(str(path))
    meta = post.metadata
    for key in ("title", "cluster", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ValueError(f"{path.name}: front matter needs a '{key}'")
    intro, sections = "", []
    parts = re.split(r"^## +(.+?)\s*$", post.content, flags=re.MULTILINE)
    intro = parts[0].strip()
    used = set()
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        anchor = slugify(heading)
        while anchor in used:
            anchor += "-2"
        used.add(anchor)
        found = _AUDIENCE.search(body)
        audience = found.group(1) if found else "both"
        sections.append(Section(anchor, heading.strip(), _AUDIENCE.sub("", body).strip(), audience))
    sources = meta.get("sources") or []
    return Dossier(
        slug=path.stem,
        title=meta["title"].strip(),
        cluster=meta["cluster"].strip(),
        summary=meta["summary"].strip(),
        reviewed=str(meta.get("reviewed", "")),
        sources=[str(s) for s in sources] if isinstance(sources, list) else [str(sources)],
        intro=intro,
        sections=sections,
        meta=dict(meta),
    )


_cache: dict[str, tuple[str, list[Dossier]]] = {}
_cache_lock = threading.Lock()


def content_hash(directory: Path) -> str:
    """Fingerprint the dossier files by name, size and mtime (cheap, no reading)."""
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.md")):
        st = path.stat()
        h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


def load_all(directory: str | Path) -> list[Dossier]:
    """Return all dossiers sorted by title, re-reading only when files changed."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    fingerprint = content_hash(directory)
    with _cache_lock:
        cached = _cache.get(str(directory))
        if cached and cached[0] == fingerprint:
            return cached[1]
        dossiers = sorted(
            (parse_dossier(p) for p in directory.glob("*.md")), key=lambda d: d.title.lower()
        )
        _cache[str(directory)] = (fingerprint, dossiers)
        return dossiers


def get(directory, slug: str) -> Dossier | None:
    return next((d for d in load_all(directory) if d.slug == slug), None)


def section_docs(dossiers: list[Dossier]) -> list[Doc]:
    """One index document per dossier section (split by heading)."""
    docs = []
    for d in dossiers:
        for s in d.sections:
            if s.heading.lower() == "bronnen":
                continue  # a list of references answers no classroom question
            docs.append(
                Doc(
                    kind="dossier",
                    target=f"{d.slug}#{s.anchor}",
                    ref=d.slug,
                    title=f"{d.title}: {s.heading}",
                    text=s.plain,
                    snippet=snippet(s.plain),
                )
            )
    return docs


def sync(conn, index, directory) -> dict:
    """Bring the dossier sections in the index in line with the files."""
    docs = section_docs(load_all(directory))
    changed = index.upsert(conn, docs)
    gone = index.targets(conn, "dossier") - {d.target for d in docs}
    removed = index.remove(conn, "dossier", gone) if gone else 0
    return {"sections": len(docs), "changed": changed, "removed": removed}
