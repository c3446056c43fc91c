"""Knowledge dossiers: Markdown files with front matter in ``content/dossiers``."""

import hashlib
import re
import threading
import unicodedata
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
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
    markdown: str = ""
    version: int | None = None  # id of the approved portal edit in force, if any

    @property
    def intro_html(self) -> str:
        return _md.render(self.intro) if self.intro.strip() else ""


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sectie"


REQUIRED_SECTIONS = (
    "Waar gaat het over",
    "Wat zie je in de klas",
    "Wat kun je doen",
    "Samenwerken met ouders",
    "Wanneer schakel je hulp in",
    "Misverstanden",
    "Bronnen",
)
MIN_SUGGESTIONS = 8
REVIEW_DAYS = 2 * 365
AUDIENCES = ("leerkracht", "ouder", "both")


def parse_text(slug: str, text: str, raw: str | None = None) -> Dossier:
    """Parse a dossier from its Markdown with front matter; raise ValueError on a problem."""
    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # YAML errors come in several types
        raise ValueError(f"{slug}: the front matter is not valid YAML ({exc})") from None
    meta = post.metadata
    for key in ("title", "cluster", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ValueError(f"{slug}: front matter needs a '{key}'")
    parts = re.split(r"^## +(.+?)\s*$", post.content, flags=re.MULTILINE)
    sections, used = [], set()
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
        slug=slug,
        title=meta["title"].strip(),
        cluster=meta["cluster"].strip(),
        summary=meta["summary"].strip(),
        reviewed=str(meta.get("reviewed", "")),
        sources=[str(s) for s in sources] if isinstance(sources, list) else [str(sources)],
        intro=parts[0].strip(),
        sections=sections,
        meta=dict(meta),
        markdown=text,
    )


def parse_dossier(path: Path) -> Dossier:
    """Parse one dossier file; raise ValueError naming the problem."""
    return parse_text(path.stem, path.read_text(encoding="utf-8"))


def problems(d: Dossier) -> list[str]:
    """What keeps a dossier from the kennisbank's standard (Dutch, for editors)."""
    out = []
    headings = [s.heading for s in d.sections]
    for required in REQUIRED_SECTIONS:
        if required not in headings:
            out.append(f"De sectie '{required}' ontbreekt.")
    todo = next((s for s in d.sections if s.heading == "Wat kun je doen"), None)
    if todo and suggestion_count(todo) < MIN_SUGGESTIONS:
        out.append(f"'Wat kun je doen' heeft minder dan {MIN_SUGGESTIONS} handelingssuggesties.")
    if len(d.sources) < 1:
        out.append("Er staan geen bronnen in de front matter.")
    for key in ("audience", "reviewed", "reviewer_role"):
        if not d.meta.get(key):
            out.append(f"De front matter mist '{key}'.")
    if d.meta.get("audience") and d.meta["audience"] not in AUDIENCES:
        out.append("'audience' is leerkracht, ouder of both.")
    try:
        date.fromisoformat(d.reviewed)
    except ValueError:
        out.append("'reviewed' is geen datum (JJJJ-MM-DD).")
    return out


def suggestion_count(section: Section) -> int:
    return len(re.findall(r"^\s*[-*] ", section.markdown, flags=re.MULTILINE))


def due_for_review(d: Dossier, today: date | None = None) -> bool:
    try:
        reviewed = date.fromisoformat(d.reviewed)
    except ValueError:
        return True
    return ((today or date.today()) - reviewed).days > REVIEW_DAYS


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


def approved_versions(conn) -> dict[str, tuple[int, str]]:
    """The latest approved portal edit per dossier: {slug: (version id, markdown)}."""
    rows = conn.execute(
        "SELECT slug, id, markdown FROM dossier_versions WHERE id IN "
        "(SELECT max(id) FROM dossier_versions WHERE status = 'approved' GROUP BY slug)"
    )
    return {slug: (vid, text) for slug, vid, text in rows}


def _approved_ids(conn) -> dict[str, int]:
    """{slug: id of the approved edit in force}: cheap, no texts."""
    return dict(
        conn.execute(
            "SELECT slug, max(id) FROM dossier_versions WHERE status = 'approved' GROUP BY slug"
        )
    )


# Approved edits never change, so each is parsed once per process, keyed by database file
# and version id (one process may serve several databases, e.g. in tests).
_parsed_edits: dict[tuple[str, int], Dossier] = {}


def effective(conn, directory) -> list[Dossier]:
    """The dossiers in force: the files, with approved portal edits on top."""
    edits = _approved_ids(conn)
    if not edits:
        return load_all(directory)
    database = conn.execute("PRAGMA database_list").fetchone()[2]
    if any((database, vid) not in _parsed_edits for vid in edits.values()):
        for slug, (vid, text) in approved_versions(conn).items():
            # Validated on approval; should a row still be broken, the file's text stays.
            with suppress(ValueError):
                _parsed_edits[(database, vid)] = replace(parse_text(slug, text), version=vid)
    return [
        _parsed_edits.get((database, edits[d.slug]), d) if d.slug in edits else d
        for d in load_all(directory)
    ]


def fingerprint(conn, directory) -> str:
    """Changes when a file or an approved edit changes: the index then syncs."""
    stamp = ",".join(f"{k}:{v}" for k, v in sorted(_approved_ids(conn).items()))
    base = content_hash(Path(directory)) if Path(directory).is_dir() else "none"
    return f"{base}|{stamp}"


def get(conn, directory, slug: str) -> Dossier | None:
    return next((d for d in effective(conn, directory) if d.slug == slug), None)


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
    """Bring the dossier sections in the index in line with the dossiers in force."""
    docs = section_docs(effective(conn, directory))
    changed = index.upsert(conn, docs)
    gone = index.targets(conn, "dossier") - {d.target for d in docs}
    removed = index.remove(conn, "dossier", gone) if gone else 0
    return {"sections": len(docs), "changed": changed, "removed": removed}
