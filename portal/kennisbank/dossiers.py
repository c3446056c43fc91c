"""Knowledge dossiers: Markdown files with front matter (the format is in content/README.md).

A dossier is parsed once per file version and cached; its pages render from the cache.
"""

import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import frontmatter
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

CLUSTER_SLUGS = (
    "druk-impulsief", "informatieverwerking-sociaal", "angstig-teruggetrokken", "agressief",
    "overig",
)  # fmt: skip
REQUIRED_SECTIONS = {
    "Waar gaat het over": (),
    "Wat zie je in de klas": (),
    "Wat kun je doen": ("Voor de hele groep", "Extra steun voor een leerling", "Intensieve steun"),
    "Per leeftijd": ("Kleuters (groep 1-2)", "Groep 3 tot en met 5", "Groep 6 tot en met 8"),
    "Wat zeg je": ("Tegen de leerling", "Tegen ouders", "Tegen de klas"),
    "Samenwerken met ouders": (),
    "Wanneer schakel je hulp in": (
        "Vandaag nog",
        "Deze week",
        "Bij de volgende leerlingbespreking",
    ),
    "Misverstanden": (),
}
MIN_SUGGESTIONS = 8
SUMMARY_MAX = 260
QUESTIONS_PER_SECTION = (3, 6)
REVIEW_DAYS = 2 * 365
AUDIENCES = ("leerkracht", "ouder", "both")

_AUDIENCE = re.compile(r"^[ \t]*<!--\s*audience:\s*(\w+)\s*-->[ \t]*\n?", re.MULTILINE)
_QUESTIONS = re.compile(r"^[ \t]*<!--\s*vragen\s*\n(.*?)-->[ \t]*\n?", re.MULTILINE | re.DOTALL)
_SUBHEADING = re.compile(r"^(#{3,4})[ \t]+(.+?)[ \t]*$", re.MULTILINE)
# "[3]" or "[2, 5]" in the running text, not a Markdown link "[tekst](...)".
_CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\](?!\()")
# "Author, A. (2017). Title." / "Organisation. (z.d.). Title." (APA 7).
_SOURCE = re.compile(
    r"^(?P<author>.+?)\.? \((?P<year>\d{4}[a-z]?|z\.d\.)(?:, [^)]*)?\)\. "
    r"(?P<title>[^.?!]+[.?!]?.*)$"
)


def slugify(text: str) -> str:
    """The anchor of a heading: lower case, no accents, '-' for everything else."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sectie"


# Our own content, still rendered without raw HTML: the kennisbank never carries markup
# that did not come from Markdown. Sub-headings get ids, so links can point at a tool.
_md = (
    MarkdownIt("commonmark", {"html": False, "typographer": True})
    .enable("table")
    .use(anchors_plugin, min_level=3, max_level=4, slug_func=slugify)
)


def _scrolling_table(self, tokens, idx, options, env):
    # A table wider than a phone scrolls inside its own box; the page never scrolls sideways.
    html = self.renderToken(tokens, idx, options, env)
    return f'<div class="scroll">{html}' if tokens[idx].type == "table_open" else f"{html}</div>"


_md.add_render_rule("table_open", _scrolling_table)
_md.add_render_rule("table_close", _scrolling_table)


def _link_citations(markdown: str) -> str:
    return _CITATION.sub(
        lambda m: "[" + ", ".join(
            f"[{n.strip()}](#bron-{n.strip()})" for n in m.group(1).split(",")
        ) + "]",
        markdown,
    )  # fmt: skip


@dataclass
class Source:
    number: int
    text: str

    @property
    def parts(self) -> dict | None:
        """Author, year and title of an APA reference, or None when it does not parse."""
        found = _SOURCE.match(self.text.strip())
        return found.groupdict() if found else None


@dataclass
class Section:
    anchor: str
    heading: str
    markdown: str
    audience: str = "both"
    questions: list[str] = field(default_factory=list)

    @cached_property
    def html(self) -> str:
        return _md.render(_link_citations(self.markdown))

    @property
    def subheadings(self) -> list[tuple[int, str, str]]:
        """(level, text, anchor) of the ### and #### headings inside the section."""
        return [
            (len(m.group(1)), m.group(2), slugify(m.group(2)))
            for m in _SUBHEADING.finditer(self.markdown)
        ]

    @cached_property
    def plain(self) -> str:
        """The text without Markdown and citations, for the index and snippets."""
        text = _CITATION.sub("", self.markdown)
        text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        return re.sub(r"[*_`>#]+", "", text)


@dataclass
class Dossier:
    slug: str
    title: str
    cluster: str
    summary: str
    reviewed: str
    sources: list[Source]
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    markdown: str = ""
    version: int | None = None  # id of the approved portal edit in force, if any

    @cached_property
    def intro_html(self) -> str:
        return _md.render(_link_citations(self.intro)) if self.intro.strip() else ""

    @property
    def related(self) -> list[str]:
        related = self.meta.get("related") or []
        return [str(r) for r in related] if isinstance(related, list) else []

    @property
    def anchors(self) -> set[str]:
        """Every anchor a link into this dossier may point at."""
        found = {s.anchor for s in self.sections}
        for s in self.sections:
            found.update(anchor for _, _, anchor in s.subheadings)
        return found | {f"bron-{s.number}" for s in self.sources} | {"bronnen"}

    def section(self, heading: str) -> Section | None:
        return next((s for s in self.sections if s.heading == heading), None)


def parse_text(slug: str, text: str) -> Dossier:
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
        asked = _QUESTIONS.search(body)
        questions = [q.strip() for q in asked.group(1).splitlines() if q.strip()] if asked else []
        markdown = _QUESTIONS.sub("", _AUDIENCE.sub("", body)).strip()
        sections.append(
            Section(
                anchor, heading.strip(), markdown, found.group(1) if found else "both", questions
            )
        )
    sources = meta.get("sources") or []
    sources = sources if isinstance(sources, list) else [sources]
    return Dossier(
        slug=slug,
        title=meta["title"].strip(),
        cluster=meta["cluster"].strip(),
        summary=meta["summary"].strip(),
        reviewed=str(meta.get("reviewed", "")),
        sources=[Source(n, str(s)) for n, s in enumerate(sources, start=1)],
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
    required = [h for h in headings if h in REQUIRED_SECTIONS]
    for heading, subs in REQUIRED_SECTIONS.items():
        section = d.section(heading)
        if section is None:
            out.append(f"De sectie '{heading}' ontbreekt.")
            continue
        present = {text for _, text, _ in section.subheadings}
        out.extend(f"In '{heading}' ontbreekt '### {sub}'." for sub in subs if sub not in present)
    if not out and required != list(REQUIRED_SECTIONS):
        out.append("De secties staan niet in de vaste volgorde.")
    todo = d.section("Wat kun je doen")
    if todo and suggestion_count(todo) < MIN_SUGGESTIONS:
        out.append(f"'Wat kun je doen' heeft minder dan {MIN_SUGGESTIONS} handelingssuggesties.")
    low, high = QUESTIONS_PER_SECTION
    for s in d.sections:
        if not low <= len(s.questions) <= high:
            out.append(f"'{s.heading}' heeft {len(s.questions)} vragen van leerkrachten (3 tot 6).")
        if s.audience not in AUDIENCES:
            out.append(f"'{s.heading}': audience is leerkracht, ouder of both.")
    if not 20 <= len(d.summary) <= SUMMARY_MAX:
        out.append(f"De samenvatting is 20 tot {SUMMARY_MAX} tekens.")
    if not d.sources:
        out.append("Er staan geen bronnen in de front matter.")
    for source in d.sources:
        if source.parts is None:
            out.append(f"Bron {source.number} is geen APA-verwijzing (auteur (jaar). titel.).")
    cited = {int(n) for m in _CITATION.finditer(d.markdown) for n in m.group(1).split(",")}
    numbers = {s.number for s in d.sources}
    out.extend(f"Verwijzing [{n}] heeft geen bron." for n in sorted(cited - numbers))
    out.extend(f"Bron {n} wordt nergens genoemd." for n in sorted(numbers - cited))
    for key in ("audience", "reviewed", "reviewer_role"):
        if not d.meta.get(key):
            out.append(f"De front matter mist '{key}'.")
    if d.cluster not in CLUSTER_SLUGS:
        out.append("'cluster' is geen bekend soort gedrag.")
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
