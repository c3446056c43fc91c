"""A dossier as a form with fields per section, and back to its Markdown file format.

Editors (experts, the coordinator) never see the file format: each section is a set of
fields (who it is for, its text per fixed sub-heading, the teachers' questions it answers),
the summary and the sources are fields of their own. The title, cluster, review data and
the order of sections stay as they are; what comes back is checked like a dossier file.
"""

import difflib
import re
from dataclasses import dataclass

import frontmatter
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..web.forms import Form
from .dossiers import REQUIRED_SECTIONS, Dossier

AUDIENCE_CHOICES = [("both", "leerkrachten en ouders"), ("leerkracht", "alleen leerkrachten"),
                    ("ouder", "alleen ouders")]  # fmt: skip
TEXT_MAX = 20_000


@dataclass
class Part:
    """One text field of a section: its own text, or the text under a fixed sub-heading."""

    name: str  # the form field's name
    label: str
    sub: str | None  # the ### sub-heading it stands under, None for the section's own text


@dataclass
class SectionFields:
    heading: str
    anchor: str
    audience: str  # field names
    questions: str
    parts: list[Part]


def layout(d: Dossier) -> list[SectionFields]:
    """The fields of each section of a dossier, in order."""
    out = []
    for n, section in enumerate(d.sections):
        subs = REQUIRED_SECTIONS.get(section.heading, ())
        parts = [Part(f"s{n}_text", "Tekst", None)]
        parts += [Part(f"s{n}_sub{i}", sub, sub) for i, sub in enumerate(subs)]
        out.append(
            SectionFields(
                section.heading, section.anchor, f"s{n}_audience", f"s{n}_questions", parts
            )
        )
    return out


def flagged(sections: list[SectionFields], errors: dict, problems: list[str]) -> set[str]:
    """The anchors of the sections to show opened: where a field or a check found a problem."""
    out = set()
    for section in sections:
        names = {section.audience, section.questions, *(p.name for p in section.parts)}
        if names & set(errors) or any(f"'{section.heading}'" in p for p in problems):
            out.add(section.anchor)
    if "sources" in errors or any(re.search(r"\b[Bb]ron|Verwijzing", p) for p in problems):
        out.add("bronnen")
    return out


def _split(markdown: str, subs: tuple[str, ...]) -> dict[str | None, str]:
    """A section's text cut at its fixed ### sub-headings (other headings stay in the text)."""
    pieces: dict[str | None, list[str]] = {None: []}
    current = None
    for line in markdown.splitlines():
        found = re.match(r"^###[ \t]+(.+?)[ \t]*$", line)
        if found and found.group(1) in subs:
            current = found.group(1)
            pieces[current] = []
            continue
        pieces.setdefault(current, []).append(line)
    return {key: "\n".join(lines).strip() for key, lines in pieces.items()}


def values(d: Dossier) -> dict[str, str]:
    """The form's starting values: the dossier as it is in force now."""
    data = {
        "summary": d.summary,
        "sources": "\n".join(s.text for s in d.sources),
    }
    for section, fields in zip(d.sections, layout(d), strict=True):
        pieces = _split(section.markdown, tuple(p.sub for p in fields.parts if p.sub))
        data[fields.audience] = section.audience
        data[fields.questions] = "\n".join(section.questions)
        for part in fields.parts:
            data[part.name] = pieces.get(part.sub, "")
    return data


def form_for(d: Dossier, **kwargs) -> Form:
    """A form with the fields of this dossier's sections (the structure is fixed)."""

    class DossierForm(Form):
        note = StringField("Wat verandert er en waarom?", [Length(max=300)])
        summary = TextAreaField(
            "Samenvatting (een of twee zinnen)",
            [DataRequired("Schrijf een korte samenvatting."), Length(max=260)],
        )
        sources = TextAreaField(
            "Bronnen, één per regel",
            [DataRequired("Noem minstens één bron."), Length(max=TEXT_MAX)],
        )

    for fields in layout(d):
        setattr(DossierForm, fields.audience, SelectField("Voor wie", choices=AUDIENCE_CHOICES))
        setattr(
            DossierForm,
            fields.questions,
            TextAreaField("Vragen van leerkrachten die dit beantwoordt", [Length(max=2000)]),
        )
        for part in fields.parts:
            setattr(DossierForm, part.name, TextAreaField(part.label, [Length(max=TEXT_MAX)]))
    return DossierForm(**kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def assemble(d: Dossier, data: dict) -> str:
    """The dossier file (front matter and sections) with the form's values put in."""
    post = frontmatter.loads(d.markdown)
    post.metadata["summary"] = " ".join(_clean(data["summary"]).split())
    post.metadata["sources"] = _lines(data["sources"])
    blocks = [d.intro.strip()] if d.intro.strip() else []
    for fields in layout(d):
        block = [f"## {fields.heading}", f"<!-- audience: {data[fields.audience]} -->"]
        questions = _lines(data[fields.questions])
        if questions:
            block.append("<!-- vragen\n" + "\n".join(questions) + "\n-->")
        text = []
        for part in fields.parts:
            body = _clean(data[part.name])
            if part.sub is not None:
                text.append(f"### {part.sub}")
            if body:
                text.append(body)
        blocks.append("\n".join(block) + "\n\n" + "\n\n".join(text))
    post.content = "\n\n".join(blocks)
    return frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=10_000) + "\n"


def changes(old: Dossier, new: Dossier) -> list[dict]:
    """What a proposal changes, part by part, for the coordinator to judge.

    Each item: {"what": a Dutch name of the part, "lines": [(kind, text)]} with kind
    "add", "del" or "" (context), only for the parts that differ.
    """

    def parts(d: Dossier) -> dict[str, str]:
        found = {"Samenvatting": d.summary, "Bronnen": "\n".join(s.text for s in d.sources)}
        for s in d.sections:
            found[s.heading] = "\n".join(
                [f"(voor: {dict(AUDIENCE_CHOICES).get(s.audience, s.audience)})", s.markdown,
                 "", "Vragen van leerkrachten:", *s.questions]
            )  # fmt: skip
        return found

    before, after = parts(old), parts(new)
    out = []
    for what in dict.fromkeys([*before, *after]):
        a, b = before.get(what, "").splitlines(), after.get(what, "").splitlines()
        if a == b:
            continue
        lines = []
        for line in difflib.unified_diff(a, b, lineterm="", n=1):
            if line.startswith(("---", "+++", "@@")):
                continue
            kind = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
            lines.append((kind, line[1:]))
        out.append({"what": what, "lines": lines})
    return out
