"""The guard's word lists, kept as data files in ``privacy/data`` (one word per line)."""

from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    """The lines of a data file, without comments and blank lines."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@cache
def wordlist(name: str) -> frozenset[str]:
    """The lower-cased words of a data file."""
    return frozenset(line.lower() for line in _lines(name))


def first_names() -> frozenset[str]:
    return wordlist("voornamen.txt")


def surnames() -> frozenset[str]:
    return wordlist("achternamen.txt")


def name_words() -> frozenset[str]:
    """First names that are also ordinary Dutch words: they need more evidence."""
    return wordlist("naam-woorden.txt")


def not_names() -> frozenset[str]:
    """Capitalised words that are never a person's name in teachers' texts."""
    return wordlist("geen-namen.txt")


def name_triggers() -> frozenset[str]:
    """Words after which a capitalised word is a name ("mijn leerling Xandro ...")."""
    return wordlist("naam-aanwijzers.txt")


def tussenvoegsels() -> frozenset[str]:
    return wordlist("tussenvoegsels.txt")


def person_verbs() -> frozenset[str]:
    """Verbs that make a sentence-initial "Roos" a person: "Roos is ...", "Storm slaat ..."."""
    return wordlist("persoon-werkwoorden.txt")


def articles() -> frozenset[str]:
    return wordlist("lidwoorden.txt")


@cache
def not_name_phrases() -> list[str]:
    """Phrases with a first name in them that are no person (regular expressions)."""
    return _lines("geen-naam-zinnen.txt")
