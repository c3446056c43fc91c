"""Finding the names of pupils, family members and teachers: word lists plus context rules.

Linear in the length of the text: one pass over the words, and every look around a word
(back to the start of the sentence, on over a surname) is bounded.
"""

import re
from functools import cache

from . import words
from .patterns import WORD

# Names after these words are adults (teachers; parents addressed formally): "juf [naam]".
ADULT_TITLES = frozenset({"juf", "meester", "meneer", "mevrouw", "mw", "dhr", "mr"})
ADULT_REPLACEMENT = "[naam]"
PRONOUNS = frozenset(
    {"ik", "jij", "je", "u", "hij", "zij", "ze", "we", "wij", "jullie", "er", "het", "dat"}
)
# A bracket right after a word with an age, a group or a birth date: "Roos (9)", "Bo (groep 3)".
BRACKET = re.compile(
    r"\s{0,2}\(\s?(?:\d{1,2}(?:\s?(?:jaar|jr\.?))?\s?[),;]|groep\b|gr\.|geb\b|geb\.|geboren\b|bsn\b)",
    re.IGNORECASE,
)
MAX_PARTICLES = 3  # "van der", "van de", "van 't": never more than three in a row
# Particles that are mostly prepositions: "juf Anouk op de Regenboog" is no surname, so
# after these a surname must be a known one.
PREPOSITION_PARTICLES = frozenset({"op", "in", "te", "het"})
# An author in a list of sources: "Taylor, G., Anderson, R."
CITATION = re.compile(r",\s?[A-Z]\.(?:\s?[A-Z]\.){0,4}[,\s]")
# "over wytse, hij bijt ...": a pronoun right after a comma makes the word before it a person.
PRONOUN_AFTER = re.compile(r",\s?(?:hij|zij|ze)\s", re.IGNORECASE)


@cache
def _not_name_phrases() -> re.Pattern:
    return re.compile(
        r"(?<![\w'’-])(?=[^\W\d_])(?:" + "|".join(words.not_name_phrases()) + r")(?![\w'’-])",
        re.IGNORECASE,
    )


def sentence_start(text: str, start: int) -> bool:
    """Does the word at start begin a sentence (or the text)?"""
    k = start
    while k > 0 and text[k - 1].isspace():  # only the spaces right before this one word
        k -= 1
    if k == 0 or "\n" in text[k:start]:
        return True  # a new line starts a new sentence or an item of a list
    # Markdown marks a new sentence too: "- **Vraag niet door**", "### Kleuters".
    return text[k - 1] in ".!?:;\"'([“‘•*_#>" or (k < start and text[k - 1] in "-–—")


def find_names(text: str, add) -> None:
    known, tricky, extra = words.first_names(), words.name_words(), words.extra_first_names()
    not_names = words.not_names()
    masked = _masked(text)
    tokens = [t for t in WORD.finditer(text) if t.start() not in masked]
    lows = [t.group().lower() for t in tokens]
    found_at: set[int] = set()  # indexes of tokens that start a name
    i = 0
    while i < len(tokens):
        tok, raw = tokens[i], tokens[i].group()
        core = raw.strip("'’-")
        word = core[:-2] if core[-2:] in ("'s", "’s") else core  # "Sterre's moeder"
        low = word.lower()
        capital = word[:1].isupper()
        if not capital and low not in known and low not in extra:
            i += 1  # most words: lower case and no name
            continue
        prev = lows[i - 1].rstrip(".") if i else ""
        after_trigger = prev in words.name_triggers() or prev in ADULT_TITLES
        next_word = lows[i + 1] if i + 1 < len(tokens) else ""
        after_name = prev == "en" and (i - 2) in found_at

        def bracket(tok=tok):
            return "(" in text[tok.end() : tok.end() + 3] and BRACKET.match(text, tok.end())

        def family_next(raw=raw, next_word=next_word):
            possessive = raw[-1:] in "'’" or raw[-2:] in ("'s", "’s")
            return possessive and next_word in words.family_words()

        def before_name(i=i, next_word=next_word):
            return next_word == "en" and _is_plain_name(tokens, i + 2)

        is_name = False
        if low in not_names or len(low) < 2:
            # "gezin De Graaf": a tussenvoegsel after a trigger starts a surname.
            is_name = (
                after_trigger
                and low in words.tussenvoegsels()
                and capital
                and next_word[:1].isalpha()
                and tokens[i + 1].group()[:1].isupper()
            )
        elif prev in words.not_person_triggers():
            is_name = False  # "de knuffel Tim", "onze hamster Max"
        elif low in words.verb_names() and (prev in PRONOUNS or next_word in PRONOUNS):
            is_name = False  # "Ik ben (groep 6) nieuw", "Ben jij ook ...": the verb
        elif capital and CITATION.match(text, tok.end()):
            is_name = False  # an author in a list of sources
        elif low in known and low not in tricky:
            # A known first name, in lower case too ("daan slaat").
            is_name = len(low) > 2 or capital
        elif low in known or low in extra:
            # "roos", "storm", and names from the larger list: a name only with evidence.
            evidence = (
                (after_trigger and capital)
                or prev in ADULT_TITLES  # "juf wende"
                or bracket()
                or family_next()
                or _followed_by_surname(tokens, i)
                or (
                    next_word in words.person_verbs()
                    and _only_space_between(text, tok, tokens[i + 1])
                    and prev not in words.articles()
                )
                or before_name()
                or (after_name and capital)
                or PRONOUN_AFTER.match(text, tok.end()) is not None
            )
            is_name = bool(evidence) or (capital and not sentence_start(text, tok.start()))
        else:
            # An unknown capitalised word is a name after a trigger ("mijn leerling Xandro"),
            # before a bracket with an age or group, with a possessive before "moeder", or
            # next to another name ("Awet en Daan"). Not when the word starts a new sentence
            # after a trigger: "... bij het kind. Na de pauze".
            is_name = bool(
                bracket()
                or family_next()
                or (after_trigger and not sentence_start(text, tok.start()))
                or ((before_name() or after_name) and low not in words.articles())
                or _unknown_subject(text, tokens, i, low, next_word)
            )
        if not is_name:
            i += 1
            continue
        end = _surname_end(tokens, i)
        replacement = ADULT_REPLACEMENT if prev in ADULT_TITLES else None
        name_end = tokens[end].end()
        if end == i:  # "Sterre's moeder": replace "Sterre", keep "'s"
            name_end = tok.start() + raw.find(word) + len(word)
        add("name", tok.start(), name_end, replacement)
        found_at.add(i)
        i = end + 1


def _unknown_subject(text, tokens, i, low, next_word) -> bool:
    """ "Bayu heeft ...": an unknown word that starts a sentence and is followed by a verb of
    a person is a name when it is no Dutch word (and looks like a name)."""
    if next_word not in words.person_verbs() or not _only_space_between(
        text, tokens[i], tokens[i + 1]
    ):
        return False
    word = tokens[i].group()
    if not (3 <= len(word) <= 12 and word.isalpha() and word[1:].islower()):
        return False
    from .lexicon import is_dutch_word  # loads the word list on first use

    return sentence_start(text, tokens[i].start()) and not is_dutch_word(low)


def _only_space_between(text, a, b) -> bool:
    return b.start() - a.end() <= 3 and not text[a.end() : b.start()].strip()


def _masked(text: str) -> set[int]:
    """Start offsets of words that belong to a saying, a title or a character, not a person.

    A character named in such a phrase ("Jip en Janneke") is that character elsewhere in
    the same text too ("zoals Jip").
    """
    masked: set[int] = set()
    characters: set[str] = set()
    for m in _not_name_phrases().finditer(text):
        for w in WORD.finditer(m.group()):
            masked.add(m.start() + w.start())
            if w.group()[:1].isupper() and w.group().lower() not in words.not_names():
                characters.add(w.group())
    if characters:
        for w in WORD.finditer(text):
            if w.group() in characters:
                masked.add(w.start())
    return masked


def _is_plain_name(tokens, j) -> bool:
    """Is token j a first name that is not also a word ("Fleur en Sterre")?"""
    if j >= len(tokens):
        return False
    low = tokens[j].group().lower()
    plain = low in words.first_names() and low not in words.name_words()
    extra = low in words.extra_first_names() and tokens[j].group()[:1].isupper()
    return (plain or extra) and low not in words.not_names()


def _surname_end(tokens, i) -> int:
    """Extend a name over tussenvoegsels and a surname: "Daan van der Berg"."""
    end_index, j = i, i + 1
    known = words.surnames()
    prepositions = False
    while (
        j < len(tokens)
        and j - i <= MAX_PARTICLES + 1
        and tokens[j].start() - tokens[j - 1].end() <= 1
    ):
        word = tokens[j].group()
        if word.lower() in words.tussenvoegsels():
            prepositions = prepositions or word.lower() in PREPOSITION_PARTICLES
            j += 1
            continue
        surname = word.lower() in known and (j > i + 1 or word[:1].isupper())
        capitalised = (
            word[:1].isupper()
            and word.lower() not in words.not_names()
            and not _acronym(word)
            and not word.lower().endswith("school")  # "Ivo van de Dukdalfschool"
        )
        if surname or (capitalised and not prepositions):
            end_index = j
        break
    return end_index


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _followed_by_surname(tokens, i) -> bool:
    j = i + 1
    while (
        j < len(tokens)
        and j - i <= MAX_PARTICLES
        and tokens[j].group().lower() in words.tussenvoegsels()
    ):
        j += 1
    if j >= len(tokens) or any(
        tokens[k].start() - tokens[k - 1].end() > 1 for k in range(i + 1, j + 1)
    ):
        return False  # "Harper. Van Overveld": no surname across punctuation
    word = tokens[j].group()
    particles = {t.group().lower() for t in tokens[i + 1 : j]}
    if word.lower() in words.surnames():
        return True
    return (
        j > i + 1
        and word[:1].isupper()
        and not _acronym(word)
        and word.lower() not in words.not_names()
        and not particles & PREPOSITION_PARTICLES
    )
