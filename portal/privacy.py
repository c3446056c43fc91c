"""The privacy guard: find what could identify a pupil or family in a text, offer a fix.

It warns, it does not block: a teacher can post anyway after a false alarm. The same
check runs in the browser (as she types, through htmx), on the server when a question or
answer is saved, on ``cases import`` and as ``flask --app wsgi privacy scan``.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

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


@cache
def _wordlist(name: str) -> frozenset[str]:
    path = DATA / name
    if not path.exists():
        return frozenset()
    return frozenset(
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def first_names() -> frozenset[str]:
    return _wordlist("voornamen.txt")


def surnames() -> frozenset[str]:
    return _wordlist("achternamen.txt")


def name_words() -> frozenset[str]:
    """First names that are also ordinary Dutch words: they need more evidence."""
    return _wordlist("naam-woorden.txt") | _EXTRA_NAME_WORDS


# Names that double as common words in teachers' messages (besides naam-woorden.txt).
_EXTRA_NAME_WORDS = frozenset(
    [
        "an",
        "bo",
        "ben",
        "door",
        "elke",
        "fleur",
        "hoop",
        "iris",
        "jade",
        "lente",
        "mees",
        "merel",
        "roos",
        "storm",
        "vos",
        "wil",
    ]
)

# Capitalised words that are never a person's name in this portal's texts.
NOT_NAMES = frozenset(
    [
        "ik",
        "je",
        "jij",
        "hij",
        "zij",
        "ze",
        "we",
        "wij",
        "u",
        "het",
        "de",
        "een",
        "dit",
        "dat",
        "deze",
        "die",
        "wat",
        "wie",
        "waar",
        "hoe",
        "waarom",
        "wanneer",
        "hallo",
        "hoi",
        "beste",
        "groetjes",
        "dank",
        "bedankt",
        "ja",
        "nee",
        "ok",
        "oke",
        "maar",
        "en",
        "of",
        "als",
        "toen",
        "dus",
        "want",
        "omdat",
        "ook",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
        "juf",
        "meester",
        "mama",
        "papa",
        "oma",
        "opa",
        "groep",
        "klas",
        "school",
        "leerling",
        "leerlingen",
        "kind",
        "kinderen",
        "jongen",
        "meisje",
        "ouders",
        "moeder",
        "vader",
        "kanjertraining",
        "taakspel",
        "kiva",
        "pad",
        "rots",
        "water",
        "zien",
        "cito",
        "lvs",
        "opp",
        "ggd",
        "cjg",
        "adhd",
        "ass",
        "add",
        "tos",
        "veilig",
        "thuis",
        "jeugdhulp",
        "wijkteam",
        "samenwerkingsverband",
        "ib",
        "ib'er",
        "ib'ers",
        "sova",
        "tso",
        "bso",
        "nederland",
        "nederlands",
        "engels",
        "turks",
        "arabisch",
        "pools",
        "marokkaans",
        "turkse",
        "marokkaanse",
        "kerst",
        "pasen",
        "ramadan",
        "suikerfeest",
        "sinterklaas",
        "piet",
        "google",
        "youtube",
        "tiktok",
        "whatsapp",
        "instagram",
        "snapchat",
        "roblox",
        "minecraft",
        "fortnite",
        "teams",
        "zoom",
        "gym",
        "iemand",
        "niemand",
        "iedereen",
    ]
)
# Words after which a capitalised word is someone's name ("mijn leerling Xandro ...").
NAME_TRIGGERS = frozenset(
    [
        "leerling",
        "leerlinge",
        "jongen",
        "jongetje",
        "meisje",
        "meid",
        "knul",
        "kind",
        "zoon",
        "dochter",
        "broer",
        "broertje",
        "zus",
        "zusje",
        "neef",
        "nicht",
        "moeder",
        "vader",
        "mama",
        "papa",
        "oma",
        "opa",
        "tante",
        "oom",
        "mevrouw",
        "meneer",
        "mw",
        "mw.",
        "dhr",
        "dhr.",
        "familie",
        "fam",
        "fam.",
        "heet",
        "genaamd",
        "gezin",
    ]
)
TUSSENVOEGSELS = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "ter",
        "ten",
        "te",
        "el",
        "al",
        "da",
        "di",
        "du",
        "le",
        "la",
        "op",
        "in",
    ]
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?\(?0?\)?[1-9](?:[\s-]?\d){8}(?!\d)")
_BSN = re.compile(r"(?<![\d.])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d])")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS|sa|sd|ss)[A-Za-z]{2}\b")
_STREET_END = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|park|baan|erf|"
    r"markt|veld|wal|burg|akker|hoek|zijde|lei|kamp|rade|haven|berg|dal|oord|horst|hout)"
)
_ADDRESS = re.compile(
    r"\b(?:[A-Z][\w'-]*\s+){0,3}[A-Za-z][\w'-]*" + _STREET_END + r"\s+\d{1,4}(?:\s?[a-zA-Z]\b)?",
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    r"\b(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|\d{1,2}\s+(?:"
    + _MONTHS
    + r")\.?\s+(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = re.compile(r"(geboren|geb\.|geboortedatum|verjaardag|jarig)\W*(?:op\W*)?$", re.I)
_SCHOOL = re.compile(
    r"\b(?i:basisschool|obs|cbs|pcbs|rkbs|ikc|kindcentrum|sbo|so|jenaplanschool|"
    r"montessorischool|daltonschool|school)\s+"
    r"(?:(?i:de|het|'t)\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"
)
# Verbs that make a sentence-initial "Roos" a person: "Roos is ...", "Storm slaat ...".
_PERSON_VERBS = frozenset(
    [
        "is",
        "was",
        "heeft",
        "had",
        "wil",
        "wilde",
        "kan",
        "kon",
        "zegt",
        "zei",
        "doet",
        "deed",
        "slaat",
        "sloeg",
        "schopt",
        "schopte",
        "huilt",
        "huilde",
        "loopt",
        "liep",
        "rent",
        "rende",
        "praat",
        "zit",
        "zat",
        "komt",
        "kwam",
        "gaat",
        "ging",
        "krijgt",
        "kreeg",
        "durft",
        "durfde",
        "blijft",
        "bleef",
        "speelt",
        "speelde",
        "zit",
        "schreeuwt",
        "schreeuwde",
        "roept",
        "riep",
        "vindt",
        "vond",
        "gooit",
        "gooide",
        "bijt",
        "beet",
        "tekent",
        "tekende",
        "uit",
        "woont",
        "woonde",
        "fietst",
        "fietste",
    ]
)
_ARTICLES = frozenset(
    ["de", "het", "een", "die", "deze", "dat", "dit", "onze", "mijn", "je", "jouw", "zijn", "haar"]
)


_AGE = re.compile(
    r"\b\d{1,2}\s?jaar\b|\(\d{1,2}\)|(?<=\bvan )\d{1,2}\b(?! (?:jaar|minuten|uur|de|het|\d))"
)


def _bsn_valid(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;\n\"'(" or before.endswith("- ")


def scan(text: str, schools: list[str] | tuple = ()) -> list[Finding]:
    """Return what could identify a pupil or family, in text order, without overlaps."""
    text = (text or "")[:MAX_SCAN_CHARS]
    found: list[Finding] = []

    def add(kind, start, end):
        found.append(Finding(kind, start, end, text[start:end], REPLACEMENTS[kind]))

    for m in _EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in _PHONE.finditer(text):
        add("phone", m.start(), m.end())
    for m in _BSN.finditer(text):
        if _bsn_valid(re.sub(r"\D", "", m.group())):
            add("bsn", m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        letters = m.group()[-2:]
        if letters.isupper() or m.group()[-3] != " ":
            add("postcode", m.start(), m.end())
    for m in _ADDRESS.finditer(text):
        add("address", *_trim_address(text, m))
    this_year = date.today().year
    for m in _DATE.finditer(text):
        year = int(m.group()[-4:])
        birth_context = _BIRTH_CONTEXT.search(text[max(0, m.start() - 30) : m.start()])
        # A date in the birth years of primary-school pupils is most likely a birth date.
        if birth_context or this_year - 14 <= year <= this_year - 3:
            add("birthdate", m.start(), m.end())
    for m in _SCHOOL.finditer(text):
        add("school", m.start(), m.end())
    lowered = text.lower()
    for school in schools:
        for variant in _school_variants(school):
            for m in re.finditer(r"\b" + re.escape(variant.lower()) + r"\b", lowered):
                add("school", m.start(), m.end())
    _find_names(text, add)
    # An exact age is identifying together with the name of the school ("de jongen van 7 op
    # De Regenboog"); with only a group number it is what every question says.
    if any(f.kind == "school" for f in found):
        for m in _AGE.finditer(text):
            add("age", m.start(), m.end())
    return _without_overlaps(found)


def _trim_address(text, m) -> tuple[int, int]:
    """Keep the street name and number, not the capitalised words before them."""
    words = list(re.finditer(r"\S+", m.group()))
    start = m.start()
    # Drop leading words that are ordinary sentence words ("Woont", "In").
    for w in words[:-2]:
        if w.group().lower() in NOT_NAMES or w.group().lower() in ("woont", "in", "aan", "op"):
            start = m.start() + w.end() + 1
        else:
            break
    return start, m.end()


def _school_variants(name: str) -> list[str]:
    """A school is named in full or by its distinctive part ("De Regenboog")."""
    name = name.strip()
    parts = name.split(maxsplit=1)
    variants = [name]
    if len(parts) == 2 and parts[0].lower() in {
        "basisschool", "obs", "cbs", "pcbs", "rkbs", "ikc", "kindcentrum", "sbo", "so",
    }:  # fmt: skip
        variants.append(parts[1])
    return [v for v in variants if len(v) >= 4]


# Phrases with a first name in them that name a condition or a method, not a person.
NOT_NAME_PHRASES = re.compile(
    r"gilles de la tourette|dappere dino'?s?|dikkie dik|pippi langkous|sint[- ]maarten|"
    r"sint[- ]nicolaas|jip en janneke|max verstappen",
    re.IGNORECASE,
)


def _find_names(text: str, add) -> None:
    names, tricky = first_names(), name_words()
    masked = set()
    for m in NOT_NAME_PHRASES.finditer(text):
        masked.update(range(m.start(), m.end()))
    tokens = [t for t in _WORD.finditer(text) if t.start() not in masked]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = re.sub(r"['’]s$", "", tok.group().strip("'’-"))  # "Sterre's moeder"
        low = word.lower()
        capital = word[:1].isupper()
        prev = tokens[i - 1].group().lower().rstrip(".") if i else ""
        after_trigger = prev in NAME_TRIGGERS
        next_word = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
        # "Roos (9)", "Bo (groep 3)": a bracket with an age or group right after a word.
        bracket = re.match(r"\s*\((?:\d|groep)", text[tok.end() : tok.end() + 8]) is not None
        is_name = False
        if low in NOT_NAMES or len(low) < 2:
            # "gezin De Graaf": a tussenvoegsel after a trigger starts a surname.
            is_name = (
                after_trigger
                and low in TUSSENVOEGSELS
                and capital
                and next_word[:1].isalpha()
                and tokens[i + 1].group()[:1].isupper()
            )
        elif low in names and low not in tricky:
            # A known first name, in lower case too ("daan slaat").
            is_name = len(low) > 2 or capital
        elif low in names:
            # "roos", "storm": a name only with evidence.
            evidence = (
                (after_trigger and capital)
                or bracket
                or _followed_by_surname(tokens, i)
                or (next_word in _PERSON_VERBS and prev not in _ARTICLES)
                or (next_word == "en" and _is_plain_name(tokens, i + 2))
            )
            is_name = evidence or (capital and not _sentence_start(text, tok.start()))
        elif capital and (after_trigger or bracket):
            # Not when the word starts a new sentence: "... bij het kind. Na de pauze".
            is_name = not _sentence_start(text, tok.start()) or bracket
        if not is_name:
            i += 1
            continue
        add("name", tok.start(), tokens[_surname_end(tokens, i)].end())
        i = _surname_end(tokens, i) + 1


def _is_plain_name(tokens, j) -> bool:
    """Is token j a first name that is not also a word ("Fleur en Sterre")?"""
    if j >= len(tokens):
        return False
    low = tokens[j].group().lower()
    return low in first_names() and low not in name_words() and low not in NOT_NAMES


def _surname_end(tokens, i) -> int:
    """Extend a name over tussenvoegsels and a surname: "Daan van der Berg"."""
    end_index, j = i, i + 1
    known = surnames()
    while j < len(tokens) and tokens[j].start() - tokens[j - 1].end() <= 1:
        word = tokens[j].group()
        if word.lower() in TUSSENVOEGSELS:
            j += 1
            continue
        surname = word.lower() in known and (j > i + 1 or word[:1].isupper())
        if (word[:1].isupper() and word.lower() not in NOT_NAMES) or surname:
            end_index = j
        break
    return end_index


def _followed_by_surname(tokens, i) -> bool:
    j = i + 1
    while j < len(tokens) and tokens[j].group().lower() in TUSSENVOEGSELS:
        j += 1
    if j >= len(tokens):
        return False
    word = tokens[j].group()
    return word.lower() in surnames() or (j > i + 1 and word[:1].isupper())


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


def evaluate(path: Path, schools=()) -> dict:
    """Measure the guard on a labelled JSONL set: recall per kind, false alarms on clean texts.

    A finding counts as found when the guard reports the same kind over an overlapping span.
    """
    import json

    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    per_kind: dict[str, dict[str, int]] = {}
    clean = clean_alarms = 0
    for row in rows:
        got = scan(row["text"], schools)
        for f in row["findings"]:
            stats = per_kind.setdefault(f["kind"], {"labelled": 0, "found": 0, "false": 0})
            stats["labelled"] += 1
            stats["found"] += any(
                g.kind == f["kind"] and g.start < f["end"] and f["start"] < g.end for g in got
            )
        for g in got:
            if not any(
                f["kind"] == g.kind and g.start < f["end"] and f["start"] < g.end
                for f in row["findings"]
            ):
                per_kind.setdefault(g.kind, {"labelled": 0, "found": 0, "false": 0})["false"] += 1
        if not row["findings"]:
            clean += 1
            clean_alarms += bool(got)
    for stats in per_kind.values():
        stats["recall"] = stats["found"] / stats["labelled"] if stats["labelled"] else None
    return {
        "texts": len(rows),
        "clean_texts": clean,
        "false_alarm_rate": clean_alarms / clean if clean else 0.0,
        "kinds": per_kind,
    }


@dataclass
class FieldFinding:
    """A finding in one field of a form, as shown in the privacy panel."""

    field: str
    finding: Finding
    before: str
    after: str

    @property
    def key(self) -> str:
        return f"{self.field}:{self.finding.start}:{self.finding.end}"


def check_fields(fields: dict[str, str], schools=()) -> list[FieldFinding]:
    """Scan several form fields; keep a little context around each finding."""
    out = []
    for name, value in fields.items():
        value = value or ""
        for f in scan(value, schools):
            out.append(
                FieldFinding(
                    name,
                    f,
                    value[max(0, f.start - 30) : f.start],
                    value[f.end : f.end + 30],
                )
            )
    return out


def apply_fix(fields: dict[str, str], key: str, schools=()) -> dict[str, str]:
    """Apply one replacement ("field:start:end") or all of them ("all")."""
    fixed = dict(fields)
    for name, value in fields.items():
        findings = scan(value or "", schools)
        if key != "all":
            findings = [f for f in findings if f"{name}:{f.start}:{f.end}" == key]
        fixed[name] = replace(value or "", findings)
    return fixed
