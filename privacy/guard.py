"""The privacy guard: find what could identify a pupil or family in a text, offer a fix.

It warns, it does not block: a teacher can post anyway after a false alarm. The same
check runs in the browser (as she types, through htmx), on the server when a question or
answer is saved, on ``cases import`` and as ``flask --app wsgi privacy scan``.

Every rule takes time linear in the length of the text (``bench/guard.py`` measures it on
adversarial texts). ``scan()``, the live warning, looks at the first MAX_SCAN_CHARS
characters; ``scrub()``, which de-identifies what parents read and what is imported, reads
the whole text in overlapping windows.
"""

import bisect
import re
from dataclasses import asdict, dataclass

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
# Bound the work of the live check on pasted text; scrub() covers the whole text, in windows
# of this size that overlap by WINDOW_OVERLAP characters.
MAX_SCAN_CHARS = 20000
WINDOW_OVERLAP = 1000
PRIORITY = ["email", "bsn", "phone", "postcode", "address", "birthdate", "school", "name", "age"]


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
    """Return what could identify a pupil or family, in text order, without overlaps.

    Looks at the first MAX_SCAN_CHARS characters only (the live warning); scrub() looks at
    all of the text.
    """
    text = (text or "")[:MAX_SCAN_CHARS]
    return _resolve(text, _detect(text, schools))


def _detect(text: str, schools) -> list[Finding]:
    """Everything the rules find in text, overlaps included, without the age rule."""
    found: list[Finding] = []

    def add(kind, start, end, replacement=None):
        found.append(Finding(kind, start, end, text[start:end], replacement or REPLACEMENTS[kind]))

    for m in patterns.EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in patterns.SPOKEN_EMAIL.finditer(text):
        start = m.start()
        for word in m.group(1).split():  # "mailen op henk punt ...": from "henk" on
            if word.lower() not in patterns.SPOKEN_LEAD:
                break
            start = text.index(word, start) + len(word) + 1
        add("email", start, m.end())
    for pattern in (patterns.PHONE_WORDS, patterns.PHONE_BELGIAN):
        for m in pattern.finditer(text):
            add("phone", m.start(), m.end())
    # "+48 512 330 918": nine digits after a country code are a phone number, no BSN. The
    # numbers abroad come in text order and never overlap.
    abroad_starts, abroad_ends = [], []
    for m in patterns.PHONE.finditer(text):
        if patterns.HELPLINE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue
        add("phone", m.start(), m.end())
        if m.group().startswith("+"):
            abroad_starts.append(m.start())
            abroad_ends.append(m.end())
    bsn_ends, unchecked = [], []
    for m in patterns.BSN.finditer(text):
        k = bisect.bisect_left(abroad_starts, m.start()) - 1  # the last one before it
        if k >= 0 and m.end() <= abroad_ends[k]:
            continue
        if patterns.bsn_valid(re.sub(r"\D", "", m.group())):
            add("bsn", m.start(), m.end())
            bsn_ends.append(m.end())
        else:
            unchecked.append(m)
    for m in patterns.BSN_AFTER_WORD.finditer(text):
        if patterns.bsn_valid(re.sub(r"\D", "", m.group(1))):
            add("bsn", m.start(1), m.end(1))
            bsn_ends.append(m.end(1))
    # "BSN 3592.11.215? Of was het 359211251?": nine digits right after a BSN are that BSN
    # again, mistyped, even where they fail the 11-test; not another number with its own
    # label ("BSN 154248824, leerlingnummer 745623609").
    bsn_ends.sort()
    for m in unchecked:
        k = bisect.bisect_right(bsn_ends, m.start()) - 1
        if (
            k >= 0
            and m.start() - bsn_ends[k] <= patterns.BSN_AGAIN_WITHIN
            and not patterns.OTHER_NUMBER.search(text, bsn_ends[k], m.start())
        ):
            add("bsn", m.start(), m.end())
    addresses = list(patterns.addresses(text))
    for start, end in patterns.postcodes(text, {end for _, end in addresses}):
        add("postcode", start, end)
    for start, end in addresses:
        add("address", start, end)
    for m in patterns.WORD_ADDRESS.finditer(text):
        add("address", m.start(1), m.end(1))
    for m in patterns.POSTCODE_AFTER_WORD.finditer(text):
        add("postcode", m.start(1), m.end(1))
    marked = [f.start for f in found if f.kind in ("email", "phone", "bsn")]
    births: list[tuple[int, int]] = []
    for start, end, birth in patterns.dates(text):
        marked.append(start)
        if birth:
            add("birthdate", start, end)
            births.append((start, end))
    # A birthday list's child, even one whose name is also a word ("Jade 12-09").
    for start, end in patterns.birthday_entry_names(text, births):
        add("name", start, end)
    named = list(patterns.schools(text)) + patterns.region_schools(text, schools)
    named += patterns.signed_schools(text)
    named += patterns.schools_next(text, [end for _, end in named])
    named += patterns.school_acronyms(text, named)
    for start, end in named:
        add("school", start, end)
    # A school named once in full is the same school where its name comes again alone:
    # "OBS Westerkim ... Op Westerkim zit ...".
    again = tuple(sorted({text[start:end] for start, end in named})[:20])
    for start, end in patterns.schools_again(text, again):
        add("school", start, end)
    for kind, start, end in patterns.table_cells(text):
        if kind != "age":  # an age counts only with a school (_ages)
            add(kind, start, end)
    # The lines with a number, an e-mail or a date, for the names at their start.
    names.find_names(text, add, marked)
    return found


def _ages(text: str, found: list[Finding]) -> list[Finding]:
    # An exact age is identifying together with the name of the school ("de jongen van 7 op
    # De Regenboog"); with only a group number it is what every question says.
    if not any(f.kind == "school" for f in found):
        return []
    ages = [
        Finding("age", m.start(), m.end(), m.group(), REPLACEMENTS["age"])
        for m in patterns.AGE.finditer(text)
    ]
    ages += [
        Finding("age", start, end, text[start:end], REPLACEMENTS["age"])
        for kind, start, end in patterns.table_cells(text)
        if kind == "age"
    ]
    for pattern in (patterns.AGE_FIELD, patterns.AGE_AFTER_PRONOUN, patterns.AGE_APPOSITION):
        ages += [
            Finding("age", m.start(1), m.end(1), m.group(1), REPLACEMENTS["age"])
            for m in pattern.finditer(text)
        ]
    # A number right after a name: "Gerben, 12, die ...", "(Boaz, 7)", "Lucas Meijer, 10)".
    for f in found:
        if f.kind != "name" or f.replacement == names.ADULT_REPLACEMENT:
            continue  # "juf Ilse van 8 komt morgen": her group, no pupil's age
        if m := patterns.AGE_AFTER_NAME.match(text, f.end):
            n = next(k for k in range(1, 5) if m.group(k))  # "Gerben, 12,", "Nour is elf"
            ages.append(Finding("age", m.start(n), m.end(n), m.group(n), REPLACEMENTS["age"]))
    return ages


def _resolve(text: str, found: list[Finding]) -> list[Finding]:
    return _without_overlaps(len(text), found + _ages(text, found))


def _without_overlaps(length: int, found: list[Finding]) -> list[Finding]:
    """Prefer the more specific kinds where spans overlap (a BSN is not also a phone number).

    Linear in the total length of the findings: a mask marks what is taken.
    """
    found.sort(key=lambda f: (PRIORITY.index(f.kind), f.start))
    taken = bytearray(length)  # 0: free, else 1 + the index in PRIORITY of what took it
    address = PRIORITY.index("address") + 1
    kept: list[Finding] = []
    for f in found:
        if any(taken[f.start : f.end]):
            cut = next(k for k in range(f.start, f.end) if taken[k])
            if f.kind != "name" or taken[cut] != address:
                continue
            # "mevrouw Kuijpers van Heuvelweg 17": the name ends where the address starts.
            head = _NAME_TAIL.sub("", f.text[: cut - f.start])
            if len(head) < 2 or not f.text[len(head) : cut - f.start].lstrip().startswith("van"):
                continue
            f = Finding(f.kind, f.start, f.start + len(head), head, f.replacement)
        taken[f.start : f.end] = bytes([PRIORITY.index(f.kind) + 1]) * (f.end - f.start)
        kept.append(f)
    return sorted(kept, key=lambda f: f.start)


_NAME_TAIL = re.compile(r"(?:[ \t]+(?:van|de|der|den|het|'t|op|in|te|ten|ter))*[\W_]*$")


def scan_all(text: str, schools: list[str] | tuple = ()) -> list[Finding]:
    """Like scan(), over the whole text however long, in linear time.

    The text is read in windows of MAX_SCAN_CHARS that overlap by WINDOW_OVERLAP characters;
    a window keeps the findings that start in its middle part, so every finding is found in
    a window that also holds the text around it. A text that fits one window gives exactly
    what scan() gives.
    """
    text = text or ""
    if len(text) <= MAX_SCAN_CHARS:
        return scan(text, schools)
    half = WINDOW_OVERLAP // 2
    step = MAX_SCAN_CHARS - WINDOW_OVERLAP
    found: list[Finding] = []
    for offset in range(0, len(text), step):
        last = offset + MAX_SCAN_CHARS >= len(text)
        low = offset + half if offset else 0
        high = len(text) if last else offset + MAX_SCAN_CHARS - half
        for f in _detect(text[offset : offset + MAX_SCAN_CHARS], schools):
            start = f.start + offset
            if low <= start < high:
                found.append(Finding(f.kind, start, f.end + offset, f.text, f.replacement))
        if last:
            break
    return _resolve(text, found)


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
    """Replace everything the guard finds in the whole text (de-identification, parent views)."""
    return replace(text or "", scan_all(text, schools))
