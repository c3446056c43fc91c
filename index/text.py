"""Dutch text handling for keyword search: normalise, tokenise, stem."""

import re
import unicodedata

import Stemmer

# Bound the work one query can cause, whatever a user pastes in.
MAX_QUERY_CHARS = 2000
MAX_QUERY_TERMS = 48

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)

# Common Dutch function words: they match everything and so rank nothing.
STOPWORDS = frozenset(
    [
        "aan",
        "al",
        "alle",
        "alles",
        "als",
        "altijd",
        "andere",
        "ben",
        "bij",
        "daar",
        "dan",
        "dat",
        "de",
        "der",
        "deze",
        "die",
        "dit",
        "doch",
        "doen",
        "door",
        "dus",
        "een",
        "eens",
        "en",
        "er",
        "ge",
        "geen",
        "geweest",
        "haar",
        "had",
        "heb",
        "hebben",
        "heeft",
        "hem",
        "het",
        "hier",
        "hij",
        "hoe",
        "hun",
        "iemand",
        "iets",
        "ik",
        "in",
        "is",
        "ja",
        "je",
        "jij",
        "jou",
        "jouw",
        "kan",
        "kon",
        "kunnen",
        "maar",
        "me",
        "meer",
        "men",
        "met",
        "mij",
        "mijn",
        "moet",
        "na",
        "naar",
        "niet",
        "niets",
        "nog",
        "nu",
        "of",
        "om",
        "omdat",
        "onder",
        "ons",
        "ook",
        "op",
        "over",
        "reeds",
        "te",
        "tegen",
        "toch",
        "toen",
        "tot",
        "u",
        "uit",
        "uw",
        "van",
        "veel",
        "voor",
        "want",
        "waren",
        "was",
        "wat",
        "we",
        "wel",
        "werd",
        "wezen",
        "wie",
        "wil",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zei",
        "zelf",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zonder",
        "zou",
        "heel",
        "erg",
        "echt",
        "soms",
        "steeds",
        "vaak",
        "keer",
        "iemand",
        "waar",
        "hoe",
        "wat",
        "welke",
        "wanneer",
        "graag",
        "even",
        "beetje",
        "weet",
        "weten",
        "tips",
        "tip",
        "iemand",
        "ervaring",
        "vraag",
    ]
)

# Abbreviations teachers type, expanded so both spellings meet in the index.
ABBREVIATIONS = {
    "ll": "leerling",
    "lln": "leerlingen",
    "lk": "leerkracht",
    "lkr": "leerkracht",
    "ib": "intern begeleider",
    "ib'er": "intern begeleider",
    "ibers": "intern begeleider",
    "ib'ers": "intern begeleider",
    "gr": "groep",
    "sova": "sociale vaardigheden",
    "opp": "ontwikkelingsperspectief",
    "tso": "overblijf",
    "bso": "buitenschoolse opvang",
    "sbo": "speciaal basisonderwijs",
    "swv": "samenwerkingsverband",
    "adhd": "adhd",
    "ass": "autisme",
}

_stemmer = Stemmer.Stemmer("dutch")


def normalise(text: str) -> str:
    """Lower-case, strip accents and bound the length of a text."""
    text = unicodedata.normalize("NFKD", text[: MAX_QUERY_CHARS * 4])
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower().replace("\u2019", "'")


def tokens(text: str) -> list[str]:
    """Split text into words, expanding known abbreviations."""
    out: list[str] = []
    for word in _WORD.findall(normalise(text)):
        out.extend(ABBREVIATIONS.get(word, word).split())
    return out


def stems(text: str) -> list[str]:
    """Return the Dutch stems of the content words of a text."""
    words = [w for w in tokens(text) if w not in STOPWORDS and len(w) > 1]
    return _stemmer.stemWords(words)


def stem_string(text: str) -> str:
    """Return the stems of a text joined by spaces, for the FTS5 column."""
    return " ".join(stems(text))


def query_stems(text: str) -> list[str]:
    """Return the distinct stems of a query, in order, at most MAX_QUERY_TERMS."""
    seen: list[str] = []
    for s in stems(text[:MAX_QUERY_CHARS]):
        if s not in seen:
            seen.append(s)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return seen


def fts_match(terms: list[str]) -> str | None:
    """Build a safe FTS5 OR-query from stems, or None when there are none.

    Every term is quoted, so FTS5 syntax in user input is taken literally.
    """
    quoted = ['"' + t.replace('"', "") + '"' for t in terms if t.replace('"', "")]
    return " OR ".join(quoted) if quoted else None


def fts_query(text: str) -> str | None:
    """Build a safe FTS5 OR-query from free text, or None when nothing is left."""
    return fts_match(query_stems(text))
