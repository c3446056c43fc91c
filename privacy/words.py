"""The guard's word lists, kept as data files in ``privacy/data`` (one word per line)."""

import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
# Lists derived at set-up from third-party data that we may not commit (git-ignored), built
# by ``python -m privacy.lexicon build``.
GENERATED = DATA / "generated"
EXTRA_FIRST_NAMES = GENERATED / "voornamen-extra.txt"


def _parse(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _lines(name: str) -> list[str]:
    """The lines of a data file, without comments and blank lines."""
    return _parse((DATA / name).read_text(encoding="utf-8"))


@cache
def wordlist(name: str) -> frozenset[str]:
    """The lower-cased words of a data file."""
    return frozenset(line.lower() for line in _lines(name))


def first_names() -> frozenset[str]:
    return wordlist("voornamen.txt")


@cache
def extra_first_names() -> frozenset[str]:
    """A larger list of first names: a name only with evidence, like the tricky ones.

    Generated at set-up from deduce's list (GPL-3.0 data, so not in git). Without the file
    the guard goes on with voornamen.txt alone: it finds fewer names, but never fails a
    request over a missing list. Cached, so the warning comes once per process.
    """
    try:
        text = EXTRA_FIRST_NAMES.read_text(encoding="utf-8")
    except OSError as e:
        log.warning(
            "no generated first-name list at %s (%s): names only in deduce's list are not"
            " found; run `python -m privacy.lexicon build` after downloading the deduce wheel"
            " (make setup does both)",
            EXTRA_FIRST_NAMES,
            e.strerror or e,
        )
        return frozenset()
    return frozenset(line.lower() for line in _parse(text))


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


def family_words() -> frozenset[str]:
    """Words after a possessive that make it a person: "Mees' vader", "Yusuf's ouders"."""
    return wordlist("familiewoorden.txt")


def verb_names() -> frozenset[str]:
    """First names that are also verb forms: no name next to a pronoun ("ik ben")."""
    return wordlist("naam-werkwoorden.txt")


def not_person_triggers() -> frozenset[str]:
    """Words after which a name is a toy, a puppet or a pet: "de knuffel Tim"."""
    return wordlist("geen-persoon-aanwijzers.txt")


def tussenvoegsels() -> frozenset[str]:
    return wordlist("tussenvoegsels.txt")


def person_verbs() -> frozenset[str]:
    """Verbs that make a sentence-initial "Roos" a person: "Roos is ...", "Storm slaat ..."."""
    return wordlist("persoon-werkwoorden.txt")


def articles() -> frozenset[str]:
    return wordlist("lidwoorden.txt")


def sentence_words() -> frozenset[str]:
    """Words that may start a sentence before a street or school name, never part of it."""
    return wordlist("zinswoorden.txt")


@cache
def not_street_ends() -> tuple[str, ...]:
    """Endings of words that look like a street name but are none ("bladzijde")."""
    return tuple(sorted(wordlist("geen-straten.txt")))


def school_words() -> frozenset[str]:
    """Words ending in "school" that name a kind of school ("montessorischool")."""
    return wordlist("school-woorden.txt")


def plural_verbs() -> frozenset[str]:
    """Verbs after two people: "Elmedin en Fiyori zitten ..."."""
    return wordlist("personen-werkwoorden.txt")


@cache
def not_name_phrases() -> list[str]:
    """Sayings and conditions with a first name in them, no person (regular expressions)."""
    return _lines("geen-naam-zinnen.txt")


@cache
def public_names() -> list[str]:
    """Public people, brands and helplines with a first name in them (regular expressions)."""
    return _lines("bekende-namen.txt")


@cache
def characters() -> list[tuple[str, tuple[str, ...]]]:
    """Characters (regular expressions), each with the other names of its work.

    A line "frozen = elsa, olaf" gives ("frozen", ("elsa", "olaf")); "jip en janneke" gives
    ("jip en janneke", ()).
    """
    found = []
    for line in _lines("personages.txt"):
        phrase, _, names = line.partition(" = ")
        found.append((phrase.strip(), tuple(n.strip() for n in names.split(",") if n.strip())))
    return found
