"""Finding the names of pupils and family members: word lists plus context rules."""

import re
from functools import cache

from . import words
from .patterns import WORD


@cache
def _not_name_phrases() -> re.Pattern:
    return re.compile("|".join(words.not_name_phrases()), re.IGNORECASE)


def sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;\n\"'(" or before.endswith("- ")


def find_names(text: str, add) -> None:
    names, tricky = words.first_names(), words.name_words()
    masked = set()
    for m in _not_name_phrases().finditer(text):
        masked.update(range(m.start(), m.end()))
    tokens = [t for t in WORD.finditer(text) if t.start() not in masked]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = re.sub(r"['’]s$", "", tok.group().strip("'’-"))  # "Sterre's moeder"
        low = word.lower()
        capital = word[:1].isupper()
        prev = tokens[i - 1].group().lower().rstrip(".") if i else ""
        after_trigger = prev in words.name_triggers()
        next_word = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
        # "Roos (9)", "Bo (groep 3)": a bracket with an age or group right after a word.
        bracket = re.match(r"\s*\((?:\d|groep)", text[tok.end() : tok.end() + 8]) is not None
        is_name = False
        if low in words.not_names() or len(low) < 2:
            # "gezin De Graaf": a tussenvoegsel after a trigger starts a surname.
            is_name = (
                after_trigger
                and low in words.tussenvoegsels()
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
                or (next_word in words.person_verbs() and prev not in words.articles())
                or (next_word == "en" and _is_plain_name(tokens, i + 2))
            )
            is_name = evidence or (capital and not sentence_start(text, tok.start()))
        elif capital and (after_trigger or bracket):
            # Not when the word starts a new sentence: "... bij het kind. Na de pauze".
            is_name = not sentence_start(text, tok.start()) or bracket
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
    return (
        low in words.first_names()
        and low not in words.name_words()
        and low not in words.not_names()
    )


def _surname_end(tokens, i) -> int:
    """Extend a name over tussenvoegsels and a surname: "Daan van der Berg"."""
    end_index, j = i, i + 1
    known = words.surnames()
    while j < len(tokens) and tokens[j].start() - tokens[j - 1].end() <= 1:
        word = tokens[j].group()
        if word.lower() in words.tussenvoegsels():
            j += 1
            continue
        surname = word.lower() in known and (j > i + 1 or word[:1].isupper())
        if (word[:1].isupper() and word.lower() not in words.not_names()) or surname:
            end_index = j
        break
    return end_index


def _followed_by_surname(tokens, i) -> bool:
    j = i + 1
    while j < len(tokens) and tokens[j].group().lower() in words.tussenvoegsels():
        j += 1
    if j >= len(tokens):
        return False
    word = tokens[j].group()
    return word.lower() in words.surnames() or (j > i + 1 and word[:1].isupper())
