"""The patterns of the privacy guard: e-mail, phone, BSN, postcode, address, dates, schools."""

import re

from . import words

WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?\(?0?\)?[1-9](?:[\s-]?\d){8}(?!\d)")
BSN = re.compile(r"(?<![\d.])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d])")
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS|sa|sd|ss)[A-Za-z]{2}\b")
STREET_END = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|park|baan|erf|"
    r"markt|veld|wal|burg|akker|hoek|zijde|lei|kamp|rade|haven|berg|dal|oord|horst|hout)"
)
ADDRESS = re.compile(
    r"\b(?:[A-Z][\w'-]*\s+){0,3}[A-Za-z][\w'-]*" + STREET_END + r"\s+\d{1,4}(?:\s?[a-zA-Z]\b)?",
)
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DATE = re.compile(
    r"\b(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|\d{1,2}\s+(?:"
    + MONTHS
    + r")\.?\s+(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
BIRTH_CONTEXT = re.compile(r"(geboren|geb\.|geboortedatum|verjaardag|jarig)\W*(?:op\W*)?$", re.I)
SCHOOL = re.compile(
    r"\b(?i:basisschool|obs|cbs|pcbs|rkbs|ikc|kindcentrum|sbo|so|jenaplanschool|"
    r"montessorischool|daltonschool|school)\s+"
    r"(?:(?i:de|het|'t)\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"
)

AGE = re.compile(
    r"\b\d{1,2}\s?jaar\b|\(\d{1,2}\)|(?<=\bvan )\d{1,2}\b(?! (?:jaar|minuten|uur|de|het|\d))"
)


def bsn_valid(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def trim_address(text, m) -> tuple[int, int]:
    """Keep the street name and number, not the capitalised words before them."""
    parts = list(re.finditer(r"\S+", m.group()))
    start = m.start()
    # Drop leading words that are ordinary sentence words ("Woont", "In").
    for w in parts[:-2]:
        low = w.group().lower()
        if low in words.not_names() or low in ("woont", "in", "aan", "op"):
            start = m.start() + w.end() + 1
        else:
            break
    return start, m.end()


def school_variants(name: str) -> list[str]:
    """A school is named in full or by its distinctive part ("De Regenboog")."""
    name = name.strip()
    parts = name.split(maxsplit=1)
    variants = [name]
    if len(parts) == 2 and parts[0].lower() in {
        "basisschool", "obs", "cbs", "pcbs", "rkbs", "ikc", "kindcentrum", "sbo", "so",
    }:  # fmt: skip
        variants.append(parts[1])
    return [v for v in variants if len(v) >= 4]
