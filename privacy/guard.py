"""The privacy guard: find what could identify a pupil or family in a text, offer a fix.

It warns, it does not block: a teacher can post anyway after a false alarm. The same
check runs in the browser (as she types, through htmx), on the server when a question or
answer is saved, on ``cases import`` and as ``flask --app wsgi privacy scan``.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date

from . import names, patterns

REPLACEMENTS = {
    "name": "[leerling]",
    "bsn": "[bsn]",
    "birthdate": "[datum]",
    "email": "[e-mail]",
    "phone": "[telefoon]",
    "postcode": "[postcode]",
    "address": "[adres]",
    "school": "[school]",
    "age": "[leeftijd]",
}
LABELS = {
    "name": "naam",
    "bsn": "BSN",
    "birthdate": "geboortedatum",
    "email": "e-mailadres",
    "phone": "telefoonnummer",
    "postcode": "postcode",
    "address": "adres",
    "school": "naam van een school",
    "age": "exacte leeftijd samen met de school",
}
# Bound the work on pasted text.
MAX_SCAN_CHARS = 20000


@dataclass
class Finding:
    kind: str
    start: int
    end: int
    text: str
    replacement: str

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def scan(text: str, schools: list[str] | tuple = ()) -> list[Finding]:
    """Return what could identify a pupil or family, in text order, without overlaps."""
    text = (text or "")[:MAX_SCAN_CHARS]
    found: list[Finding] = []

    def add(kind, start, end):
        found.append(Finding(kind, start, end, text[start:end], REPLACEMENTS[kind]))

    for m in patterns.EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in patterns.PHONE.finditer(text):
        add("phone", m.start(), m.end())
    for m in patterns.BSN.finditer(text):
        if patterns.bsn_valid(re.sub(r"\D", "", m.group())):
            add("bsn", m.start(), m.end())
    for m in patterns.POSTCODE.finditer(text):
        letters = m.group()[-2:]
        if letters.isupper() or m.group()[-3] != " ":
            add("postcode", m.start(), m.end())
    for m in patterns.ADDRESS.finditer(text):
        add("address", *patterns.trim_address(text, m))
    this_year = date.today().year
    for m in patterns.DATE.finditer(text):
        year = int(m.group()[-4:])
        birth_context = patterns.BIRTH_CONTEXT.search(text[max(0, m.start() - 30) : m.start()])
        # A date in the birth years of primary-school pupils is most likely a birth date.
        if birth_context or this_year - 14 <= year <= this_year - 3:
            add("birthdate", m.start(), m.end())
    for m in patterns.SCHOOL.finditer(text):
        add("school", m.start(), m.end())
    lowered = text.lower()
    for school in schools:
        for variant in patterns.school_variants(school):
            for m in re.finditer(r"\b" + re.escape(variant.lower()) + r"\b", lowered):
                add("school", m.start(), m.end())
    names.find_names(text, add)
    # An exact age is identifying together with the name of the school ("de jongen van 7 op
    # De Regenboog"); with only a group number it is what every question says.
    if any(f.kind == "school" for f in found):
        for m in patterns.AGE.finditer(text):
            add("age", m.start(), m.end())
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    # Prefer the more specific kinds where spans overlap (a BSN is not also a phone number).
    priority = [
        "email",
        "bsn",
        "phone",
        "postcode",
        "address",
        "birthdate",
        "school",
        "name",
        "age",
    ]
    found.sort(key=lambda f: (priority.index(f.kind), f.start))
    kept: list[Finding] = []
    for f in found:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def replace(text: str, findings: list[Finding]) -> str:
    """Replace the given findings by their placeholders."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos or text[f.start : f.end] != f.text:
            continue  # stale: the text changed since the scan
        out.append(text[pos : f.start])
        out.append(f.replacement)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def scrub(text: str, schools=()) -> str:
    """Replace everything the guard finds (for de-identification and parent views)."""
    return replace(text, scan(text, schools))
