"""Intervisie methods: content/intervisie/<slug>.md, read once per file version.

The format is in content/README.md ("Intervisie methods"): front matter with the steps, and
a Markdown body in our own words with [n] citations of the front-matter sources.
"""

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import frontmatter
from flask import current_app, has_app_context
from markupsafe import Markup

from ..kennisbank.dossiers import content_hash, slugify
from ..settings import ROOT
from ..web.render import render_markdown

DEFAULT_DIR = ROOT / "content" / "intervisie"
WHO = {
    "inbrenger": "de inbrenger",
    "groep": "de groep",
    "begeleider": "de begeleider",
    "iedereen": "iedereen",
}
# "[3]" or "[1, 2]" in the running text, not a Markdown link "[tekst](...)".
_CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\](?!\()")


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    minutes: int
    who: str
    record: str

    @property
    def who_label(self) -> str:
        return WHO.get(self.who, self.who)


@dataclass
class Section:
    heading: str
    anchor: str
    markdown: str

    @cached_property
    def html(self) -> Markup:
        return render_markdown(_link_citations(self.markdown))


@dataclass
class Method:
    slug: str
    title: str
    summary: str
    minutes: int
    sources: list[str]
    steps: list[Step]
    sections: list[Section] = field(default_factory=list)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.steps]

    @cached_property
    def source_html(self) -> list[Markup]:
        # Web addresses in a reference become links (linkify), sanitised like all user text.
        return [render_markdown(s) for s in self.sources]


def _link_citations(markdown: str) -> str:
    """[2] in the text links to source 2 in the list under the method."""
    return _CITATION.sub(
        lambda m: (
            "["
            + ", ".join(f"[{n.strip()}](#bron-{n.strip()})" for n in m.group(1).split(","))
            + "]"
        ),
        markdown,
    )


def parse_method(path: Path) -> Method:
    """Read one method file; raise ValueError naming what is wrong."""
    post = frontmatter.load(path)
    meta = post.metadata
    for key in ("title", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ValueError(f"{path.name}: front matter needs a '{key}'")
    steps = []
    for raw in meta.get("steps") or []:
        if not isinstance(raw, dict) or not raw.get("key") or not raw.get("title"):
            raise ValueError(f"{path.name}: every step needs a key and a title")
        steps.append(
            Step(
                key=str(raw["key"]),
                title=str(raw["title"]),
                minutes=int(raw.get("minutes") or 0),
                who=str(raw.get("who") or "iedereen"),
                record=str(raw.get("record") or ""),
            )
        )
    if not steps:
        raise ValueError(f"{path.name}: no steps")
    parts = re.split(r"^## +(.+?)\s*$", post.content, flags=re.MULTILINE)
    sections = [Section("", "inleiding", parts[0].strip())] if parts[0].strip() else []
    sections += [
        Section(h.strip(), slugify(h), body.strip())
        for h, body in zip(parts[1::2], parts[2::2], strict=True)
    ]
    sources = meta.get("sources") or []
    return Method(
        slug=path.stem,
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        minutes=int(meta.get("minutes") or sum(s.minutes for s in steps)),
        sources=[str(s) for s in (sources if isinstance(sources, list) else [sources])],
        steps=steps,
        sections=sections,
    )


_cache: dict[str, tuple[str, dict[str, Method]]] = {}
_lock = threading.Lock()


def directory() -> Path:
    """Where this region's methods are: the content that comes with the portal."""
    configured = current_app.config.get("INTERVISIE_DIR") if has_app_context() else None
    return Path(configured or DEFAULT_DIR)


def load_all(path: Path | None = None) -> dict[str, Method]:
    """Every method by slug, in title order; re-read only when a file changed."""
    path = Path(path or directory())
    if not path.is_dir():
        return {}
    fingerprint = content_hash(path)
    with _lock:
        cached = _cache.get(str(path))
        if cached and cached[0] == fingerprint:
            return cached[1]
        found = sorted((parse_method(p) for p in path.glob("*.md")), key=lambda m: m.title)
        methods = {m.slug: m for m in found}
        _cache[str(path)] = (fingerprint, methods)
        return methods


def get(slug: str | None, path: Path | None = None) -> Method | None:
    return load_all(path).get(slug or "")


def choices(path: Path | None = None) -> list[tuple[str, str]]:
    """(slug, title) pairs for a select."""
    return [(m.slug, m.title) for m in load_all(path).values()]
