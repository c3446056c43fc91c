"""The patterns of the privacy guard: e-mail, phone, BSN, postcode, address, dates, schools.

Every pattern runs in time linear in the length of the text: each quantifier is bounded
or runs over a character class that the next part of the pattern cannot also match, and
patterns that begin with a run of characters may only start where such a run starts (a
lookbehind), so no match attempt starts again inside a long run. Where a rule needs more
than that (a street name before a house number), a simple pattern finds the anchor and
Python looks at a bounded stretch of text around it. ``bench/guard.py`` checks this on
adversarial inputs of 100 KB.
"""

import bisect
import re
from datetime import date
from functools import lru_cache

from . import words

LETTER = r"[^\W\d_]"
WORD = re.compile(LETTER + r"(?:" + LETTER + r"|['’-])*")
# A local part of at most 64 characters (RFC 5321), labels of at most 63.
EMAIL = re.compile(
    # "naam(at)school.nl", "naam [at] school.nl": written so that robots miss it
    # "naam(a)school.nl" too, but only without spaces: "vraag (a) en (b)" is no address
    r"(?<![\w.+-])[\w.+-]{1,64}(?:@|[ ]?[(\[]at[)\]][ ]?|[(\[]a[)\]])"
    r"[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b"
    r"(?![.\w-]{0,64}(?:@|[(\[]at?[)\]]))",
    re.ASCII,
)
PHONE = re.compile(
    # Not a date with the year right after it ("08-06-2012\t12" in a table); spaces and
    # dashes between the digits, also " - " after the area code ("076 - 514 22 98"), never a
    # tab or a line break (the next cell of a table).
    r"(?<![\w+])(?!\d\d-\d\d-(?:19|20)\d\d)"
    # Also a non-breaking hyphen (U+2011, what word processors paste), dots and a slash
    # ("0612.345.679", "06/24681357").
    r"(?:\+31|0031|0)[ \u00a0\u2011-]?\(?0?\)?[1-9](?:(?: [-–] |[ \u00a0\u2011./-])?\d){8}(?!\d)"
    # A number abroad: "+48 512 334 781", "+32 470 12 34 56".
    r"|(?<![\w+])\+(?!31)[1-9]\d{0,2}(?:[ \u00a0-]?\d){7,12}(?!\d)"
    # An area code in brackets: "(050) 318 44 72", "(0591) 61 23 45".
    r"|(?<![\w+(])\(0[1-9]\d\)[\s-]?\d(?:[\s-]?\d){6}(?!\d)"
    r"|(?<![\w+(])\(0[1-9]\d\d\)[\s-]?\d(?:[\s-]?\d){5}(?!\d)"
    # A mobile number with its 06 in brackets: "(06) 45824732", "((06) 23642403)".
    r"|(?<![\w+])\(06\)[ \u00a0-]?[1-9](?:[ \u00a0-]?\d){7}(?!\d)"
)
BSN = re.compile(r"(?<![\d.])(?:\d{9}|\d{4}([ .])\d{2}\1\d{3}|\d{3}([ .-])\d{3}\2\d{3})(?![\d])")
# Nine digits split anywhere, right after the word: "BSN-nummer ... is 9601-36320".
BSN_AFTER_WORD = re.compile(
    r"(?i:\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\b)"
    r"[^\n\d]{0,60}?(?<![\d.])(\d(?:[ .-]?\d){8})(?![\d])"
)
BSN_AGAIN_WITHIN = 40  # characters after a BSN found
OTHER_NUMBER = re.compile(r"\n|(?i:nummer|nr\b)")  # "leerlingnummer 745623609": its own label
# One space at most, never a line break ("2024-2025\nwk 4": a year, then a week).
POSTCODE = re.compile(r"\b[1-9]\d{3}[ \u00a0]?(?!SA|SD|SS|sa|sd|ss)[A-Za-z]{2}\b(?!-)")
# A helpline's number names nobody: "de Luisterlijn (088-0767000)", "Kindertelefoon: 0800-0432".
HELPLINE_BEFORE = re.compile(
    r"(?i)\b(?:luisterlijn|kindertelefoon|veilig[ \t]thuis|113(?:[ \t]zelfmoordpreventie)?|sensoor"
    r"|korrelatie|alles[ \t]ok[eé]\??[ \t]supportlijn|slachtofferhulp(?:[ \t]nederland)?|awel"
    r"|opvoedlijn|ouderlijn|fier|mind[ \t]korrelatie|juridisch[ \t]loket|huisartsenpost)"
    r"[ \t]?(?:\(|:|,)?[ \t]{0,2}(?:bel[ \t]|op[ \t]|via[ \t]|tel\.?[ \t]?)?$"
)
# A postcode in lower case with a space is one when a town follows: "9403 kh Assen" (not
# "2012 en Daarna": two-letter words are no postcode).
TOWN_AFTER = re.compile(r"[ \t]{1,3}[A-Z][a-z]{2,30}\b")
POSTCODE_LABEL = re.compile(r"(?i)\bpostcode[^:\n]{0,14}:[ \t]{0,3}$")
TWO_LETTER_WORDS = frozenset(
    {"al", "as", "bv", "ca", "de", "di", "do", "en", "er", "ga", "ik", "in", "je", "ja", "jr",
     "km", "kg", "me", "na", "nu", "of", "om", "op", "pm", "te", "tv", "uw", "vo", "wo", "we",
     "za", "zo", "ze", "zi"}
)  # fmt: skip
STREET_ENDS = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "hof", "pad",
    "steeg", "dreef", "park", "baan", "erf", "markt", "veld", "wal", "burg", "akker", "hoek",
    "zijde", "lei", "kamp", "rade", "haven", "berg", "dal", "oord", "horst", "hout", "vaart",
    "wetering", "vliet", "brink", "allee", "boulevard", "kanaal", "esch", "gaarde", "stede",
    "diep", "wei", "dyk", "paad", "loane", "strjitte", "leane", "buorren",
)  # fmt: skip
_SPACE = r"[ \t\u00a0]"
# A word followed by a house number: the anchor of an address. Python checks the word.
STREET_NUMBER = re.compile(
    r"(?<![\w'’-])(" + LETTER + r"[\w'’-]{0,40})" + _SPACE + r"{1,3}"
    r"(\d{1,4}(?:" + _SPACE + r"?[a-zA-Z](?![\w'’-])|-[a-zA-Z](?![\w'’-])|-\d{1,3}(?!\d))?)"
    r"(?![\d,.]\d)"
)
# "op de esweg 14 in Emmen": a street in lower case, with its town after it.
_TOWN_TAIL = re.compile(_SPACE + r"{1,3}(?:in|te)" + _SPACE + r"{1,3}[A-Z][a-z]{2,30}\b")
# "Akkerwinde 23, 9202RN", "Oude Vaart 36 in 9402 LK", "schoolstraat 21, 7941bn": a
# postcode right after the number (its letters in capitals where the street has no ending).
_STREET_TAIL = re.compile(
    r",?(?:"
    + _SPACE
    + r"{1,3}in)?"
    + _SPACE
    + r"{1,3}\(?[1-9]\d{3}"  # "Laan van Nieuw Oost-Indië 118 (2593BR)"
    + _SPACE
    + r"?(?P<letters>[A-Za-z]{2})\b"
)
_ADDRESS_CONTEXT = re.compile(
    r"(?:\bwoon\w{0,8}|\bwonen|\badres\w{0,6}:?|\badres\w{0,6}\s+\w{2,20}:|verhuisd\s+naar|\bgewijzigd\s+naar)"
    r"(?:\s+(?:sinds\s+kort|nu|al|bij\s+\w+\s+\w+))?(?:\s+(?:op|aan|in|naar))?"
    r"(?:\s+(?:de|het))?\s*$",
    re.IGNORECASE,
)
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
FULL_MONTHS = frozenset(MONTHS.split("|")[:12])
_UNITS = "een|twee|drie|vier|vijf|zes|zeven|acht|negen"
_NUMBER_WORD = (
    r"(?:(?:" + _UNITS + r")(?:en|ën)twintig|(?:een|één)endertig|dertig|twintig|tien|elf|twaalf"
    r"|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien|" + _UNITS + r")"
)
# Dictated text spells numbers out: "nul zes drie acht twee een vijf vijf nul negen".
_DIGIT_WORD = r"(?:nul|één|" + _UNITS + ")"
PHONE_WORDS = re.compile(rf"(?i)\bnul(?:[ \t,]{{1,2}}{_DIGIT_WORD}){{9}}\b")
# A Belgian number of nine digits in its own grouping: "014 31 22 87", "02 512 34 56".
PHONE_BELGIAN = re.compile(r"(?<![\w+.-])(?<!\d[ ])0[1-9]\d?[ ]\d{2,3}[ ]\d{2}[ ]\d{2}(?![ ]?\d|-)")
# "adres kastanjelaan twaalf": a street in lower case after "adres", its number in words.
WORD_ADDRESS = re.compile(
    r"(?i)\badres:?[ \t]{1,2}([a-z][a-z'-]{1,30}(?:straat|laan|weg|plein|singel|gracht|kade"
    r"|dreef|hof|pad|park|steeg|dijk|baan|ring|erf|veld|hout)[ \t]{1,2}(?:"
    + _NUMBER_WORD
    + r"|\d{1,4}[a-z]?))\b"
)
# "henk punt de jong apenstaartje obsdelinde punt nl": an address spoken aloud.
SPOKEN_EMAIL = re.compile(
    r"(?i)\b((?:[a-z][\w-]{0,30}[ \t](?:punt[ \t])?){0,3}[a-z][\w-]{0,30})[ \t]apenstaartje"
    r"[ \t][a-z][\w-]{0,40}(?:[ \t]punt[ \t][a-z][\w-]{0,20}){1,3}\b"
)
SPOKEN_LEAD = frozenset(
    {"op", "naar", "mail", "mailen", "via", "is", "adres", "mij", "me", "email"}
)
# After the word "postcode", a postcode in lower case: "postcode 7213 ax in gorssel".
POSTCODE_AFTER_WORD = re.compile(r"(?i:\bpostcode):?[ \t]{1,2}([1-9]\d{3}[ ]?[a-z]{2})\b")
_UNIT_VALUES = dict(zip(_UNITS.split("|"), range(1, 10), strict=True))
_TEEN_VALUES = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30,
}  # fmt: skip


def word_number(word: str) -> int | None:
    """1 to 39 written as one Dutch word ("vijftien", "tweeëntwintig"), else None."""
    word = word.replace("één", "een")
    if word in _UNIT_VALUES or word in _TEEN_VALUES:
        return _UNIT_VALUES.get(word) or _TEEN_VALUES[word]
    for tens, value in (("twintig", 20), ("dertig", 30)):
        for link in ("en", "ën"):
            unit = word.removesuffix(link + tens)
            if unit != word and unit in _UNIT_VALUES:
                return value + _UNIT_VALUES[unit]
    return None


# A day, a month and a year in words: "twaalf mei tweeduizend vijftien".
WORD_DATE = re.compile(
    r"(?i)\b" + _NUMBER_WORD + r"[ \t]{1,2}(?:" + MONTHS + r")[ \t]{1,2}"
    r"(?:tweeduizend[ \t]?(?:en[ \t]?)?(?P<year>" + _NUMBER_WORD + r")"
    r"|negentienhonderd[ \t]?\w{3,20})\b"
)
_MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
DATE = re.compile(
    r"(?<![\w/.-])(?=\d)(?:"
    r"(?P<d>\d{1,2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<y>(?:19|20)\d{2})"
    r"|(?P<iy>(?:19|20)\d{2})(?P<is>[-/])(?P<im>\d{1,2})(?P=is)(?P<id>\d{1,2})"
    r"|(?P<wd>\d{1,2})" + _SPACE + r"{1,3}(?P<wm>" + MONTHS + r")\.?" + _SPACE + r"{1,3}"
    r"(?P<wy>(?:19|20)\d{2})"
    r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
# A date with a two-digit year counts only right after "geb." and the like: "geb. 5/6/'18".
SHORT_DATE = re.compile(r"(?<![\w/.-])(\d{1,2})([-/.])(\d{1,2})\2'?(\d{2})(?![\w/-]|\.\d)")
BIRTH_CONTEXT = re.compile(
    r"(geboren|geb\.?|geboortedatum|verjaardag|jarig|geworden)\W{0,3}(?:is\W{1,3})?"
    r"(?:op\W{0,3})?$"
    r"|jarig:[ \t]{0,3}(?-i:[A-Z])[\w'’-]{1,30}[ \t]{1,3}op[ \t]{1,3}$"  # "Jarig: Saar op 23 mei"
    # The date in brackets after a remark: "jarig volgende week (2 december)", "jarig op kamp
    # (3 maart)"; and after a name: "Verjaardag Jamie-Lee 15 augustus".
    r"|\bjarig\b[^.!?\n()]{0,25}\($"
    r"|\bverjaardag[ \t]{1,3}(?-i:[A-Z])[\w'’-]{1,30}[ \t]{1,3}$",
    re.I,
)
# A birthday in words, in dictated text: "milan is jarig op zeventien juni".
WORD_BIRTHDAY = re.compile(
    r"(?i)\b(?:jarig|verjaardag|geboren)[ \t](?:is[ \t])?(?:op[ \t])?"
    r"(" + _NUMBER_WORD + r"[ \t]{1,2}(?:" + MONTHS + r"))\b"
)
# Earlier in the same sentence: "De geboortedatum van Nina staat fout: er staat 12/3/17".
BIRTH_WORD = re.compile(r"(?i)\b(?:geboortedatum|geboren|geb\.)")
# A parent who writes in English: "our son Oliver (born 14 August 2016)".
_EN_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
ENGLISH_BIRTH_DATE = re.compile(
    r"(?i)\b(?:born(?:[ \t]on)?|date[ \t]of[ \t]birth|d\.?o\.?b\.?)[:(]?[ \t]{0,3}"
    r"(\d{1,2}(?:st|nd|rd|th)?[ \t](?:" + _EN_MONTHS + r")[ \t](?:19|20)\d{2}"
    r"|(?:" + _EN_MONTHS + r")[ \t]\d{1,2}(?:st|nd|rd|th)?,?[ \t](?:19|20)\d{2})\b"
)
_AGE_WORD = r"(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien)"
# A day and a month without a year is a birthday only where the words say so: "jarig op 14
# maart", "haar verjaardag op 12 maart", "ze is 12 mei jarig", "Op vrijdag 3 mei wordt Olivia
# 7 jaar", or a line of a list of birthdays ("Saar – 4 januari" under "Geboortedata:").
DAY_MONTH = re.compile(
    r"(?<![\w/.-])\d{1,2}" + _SPACE + r"{1,3}(?:" + MONTHS + r")\b\.?"
    r"(?!" + _SPACE + r"{1,3}'?\d{2})",
    re.IGNORECASE,
)
BIRTHDAY_AFTER = re.compile(
    r"\W{0,3}(?:jarig\b|geboren\b|[^.!?\n]{0,40}\bwordt\b[^.!?\n]{0,30}\b\d{1,2} jaar\b"
    r"|[ \t](?:\d{1,2}|" + _AGE_WORD + r")[ \t]wordt\b"  # "op 14 april 4 wordt"
    # "Op 9 oktober, is Bilal jarig" (not the feast of "Jezus is jarig")
    r"|(?:is|wordt)[ \t](?!(?i:jezus|sinterklaas|sint|de[ \t]koning)\b)(?-i:[A-Z])[\w'’-]{1,30}"
    r"[ \t]jarig\b)",
    re.I,
)
BIRTHDAY_NEXT = re.compile(r"(?:,|\ben)[ \t]{1,3}[A-Z][\w'’-]{1,30}[ \t]{1,3}op[ \t]{1,3}$")
SENTENCE_END = re.compile(r"[.!?]\s")
# "Emma wordt 12 mei 6", "Merel wordt op 9 maart acht": "wordt" before, an age after.
BIRTHDAY_WORDT = re.compile(r"\bwordt\W{1,3}(?:op\W{1,3})?$", re.I)
AGE_AFTER_DATE = re.compile(
    r"[ \t](?:\d{1,2}|" + _AGE_WORD + r")(?:[ \t]*[,.!?]|[ \t]en\b|[ \t]jaar\b|[ \t]*$)",
    re.I | re.M,
)
BIRTHDAY_LIST = re.compile(r"(?i)geboortedat|geboortedag|verjaardag|jarig")
# A one-line list of birthdays: its heading before the colon is a word about birthdays (not
# "vierjarige" or "meerjarig"), and each date sits in brackets or after a name and a dash or
# colon: "Jarigen deze maand: Nora (3 maart), Tijn – 11 maart".
INLINE_BIRTHDAYS = re.compile(
    r"(?i)(?<![^\W\d_])(?:jarig(?:en|e)?|verjaardag(?:en|skalender|slijst)?|geboortedat(?:um|a)|geboortedag(?:en)?)\b"
)
INLINE_BIRTHDAY_BEFORE = re.compile(r"(?:\(|[A-Z][\w'’-]{1,30}[ \t]?[:–-][ \t]?)$")
# A heading without a colon, on a short line of its own: "Verjaardagen september", "jarig in
# oktober (gr 6)", "Verjaardagskalender groep 2", "🎂 Verjaardagen", "Wie is er jarig?".
BIRTHDAY_HEADING = re.compile(
    # ... also with a remark in brackets: "Verjaardagskalender groep 3 (niet delen!)"
    r"(?i)[^\w\s]{0,4}[ \t]{0,2}(?:(?:verjaardag|jarig|geboortedat|geboortedag)[^.!?:(]{0,40}"
    r"(?:\([^()\n]{0,60}\))?"
    r"|wie[ \t](?:is|zijn)[ \t]er[^.!?:\n]{0,30}[ \t]jarig[ \t]?\?)$"
)
# In a list of birthdays a day and a month in figures are a birthday too: "Jade 12-09".
NUMERIC_DAY_MONTH = re.compile(r"(?<![\w/.,-])(\d{1,2})[-/](\d{1,2})(?![\w/-]|[.,]\d|[ \t]?uur\b)")
JARIG_AFTER = re.compile(r"\)?[ \t]{1,2}jarig\b", re.I)
_GROUP_BEFORE = re.compile(r"(?i)\b(?:groep|gr|klas)\.?[ \t]{0,2}$")
# A line of a form that is about a birth date: "Geboortedatum vader: 1985-02-17",
# "Geboortedatum moeder (voor de GGD): 6 okt. 1988".
BIRTH_LINE = re.compile(r"[\W_]{0,4}(?:geboortedatum|geboren|geb\b)", re.I)
# A date after these words is when something started or ends, not a birthday.
NOT_BIRTH_CONTEXT = re.compile(
    r"\b(?:sinds|vanaf|per|tot|t/m|tot en met|wet van|van kracht|in werking|d\.d\.|versie"
    r"|gedateerd)\W{0,3}$",
    re.I,
)
# Childcare by its name: "BSO De Speelhaven", "Kinderopvang 't Kabouterhuis".
CHILDCARE = ("bso", "kinderopvang", "kinderdagverblijf", "kdv", "peuterspeelzaal", "psz")
SCHOOL_PREFIXES = (
    "basisschool", "obs", "cbs", "pcbs", "rkbs", "kbs", "ibs", "ikc", "kindcentrum", "sbo", "so",
    "ebs", "gbs", "vbs", "kc", "bs", "pcb", *CHILDCARE,
    "jenaplanschool", "montessorischool", "daltonschool", "vrijeschool",
)  # fmt: skip
_ABBREVIATED = r"o\.b\.s\.|c\.b\.s\.|k\.b\.s\.|r\.k\.b\.s\.|p\.c\.b\.s\."
_NAME_PART = r"[A-Z][\w'’-]{0,40}"
_SCHOOL_PREFIX = (
    "(?i:" + "|".join(SCHOOL_PREFIXES) + r"|vrije school)\b|school\b|(?i:" + _ABBREVIATED + ")"
)
SCHOOL = re.compile(
    rf"(?<![\w.])(?=[A-Za-z])(?:{_SCHOOL_PREFIX}){_SPACE}{{1,3}}"
    rf"(?:(?i:de|het|'t){_SPACE}{{1,3}})?{_NAME_PART}(?:{_SPACE}{_NAME_PART})?"
)
# Chat-style lower case after an abbreviation or "basisschool": "obs de linde", "basisschool
# het anker". Only with an article, so "de basisschool moet" or "cbs hebben" is no name.
_LOWER_PREFIX = r"(?:obs|cbs|pcbs|pcb|rkbs|kbs|ibs|vbs|bs|sbo|ikc|basisschool|kindcentrum)"
# "(vroeger obs oosterwei)": an abbreviation, then a lower-case word that is no Dutch word.
LOWER_SCHOOL_BARE = re.compile(
    rf"(?<![\w.])(?:obs|cbs|pcbs|rkbs|kbs|ibs|vbs|ikc){_SPACE}([a-z][a-z'’-]{{3,30}})\b"
)
LOWER_SCHOOL = re.compile(
    rf"(?<![\w.]){_LOWER_PREFIX}{_SPACE}{{1,3}}(?:de|het|'t){_SPACE}{{1,3}}"
    r"(?!(?:eerste|tweede|hele|laatste|meeste|andere|volgende|zelfde|komende|vorige)\b)"
    r"([a-z][a-z'’-]{2,30})\b"
)
# "kbs sint jozef", "obs st. maarten": a saint's name after the prefix, in lower case too.
SAINT_SCHOOL = re.compile(
    rf"(?<![\w.])(?i:obs|cbs|pcbs|pcb|rkbs|kbs|ibs|vbs|basisschool){_SPACE}{{1,3}}"
    rf"(?i:sint|st\.?){_SPACE}{{1,3}}[a-zA-Z][a-z'’-]{{2,30}}\b"
)
# Flemish schools are often a saint's institute or college: "Sint-Jozefsinstituut".
FLEMISH_SCHOOL = re.compile(  # ... also in two words: "Sint-Ursula Instituut"
    r"(?<![\w'’-])Sint-[A-Z][\w'’-]{2,40}?[ \t]?(?:[Ii]nstituut|[Cc]ollege)\b"
)
# A school group by its name: "Scholengemeenschap Het Drieluik", "CSG Dingstede".
SCHOOL_GROUP = re.compile(
    r"(?<![\w'’-])(?:Scholengemeenschap|Scholengroep|CSG|RSG|OSG)[ \t]"
    r"(?:(?:De|Het|'t)[ \t])?[A-Z][\w'’-]{2,30}"
)
# A parent or an intern who writes in English: "the new teaching assistant at The Globe".
ENGLISH_SCHOOL = re.compile(
    r"(?i:\b(?:teacher|assistant|intern|work(?:s|ed|ing)?|teach(?:es|ing)?|pupils?|students?"
    r"|principal|enrolled|start(?:s|ed|ing)?)[ \t](?:here[ \t])?at)"
    r"[ \t](The[ \t][A-Z][a-z]{2,30})\b"
)
# In a text typed all in lower case (dictated, a phone): "leerkracht van groep 8 van de
# kameleon", "bij ons op de kleine prins". Only these two frames, and never a word that
# names a part of a school or a time ("groep 8 van de buurschool", "bij ons op het plein").
LOWER_SCHOOL_CONTEXT = re.compile(
    # ... and with the group in words and "op" ("groep drie op de linde"), or after who works
    # there ("de gymleraar van de vlieger").
    r"\b(?:(?:groep|gr\.?)[ \t]?(?:\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht)[ \t](?:van|op)"
    r"|bij[ \t]ons[ \t]op"
    r"|(?:gymleraar|gymjuf|gymmeester|leerkracht|ib'?er|ib-er|directeur|directrice|conciërge)"
    r"[ \t](?:van|op))[ \t](?:de|het|'t)[ \t]"
    r"([a-z][a-z'’-]{2,30})(?:[ \t]([a-z][a-z'’-]{2,30}))?\b"
)
NOT_LOWER_SCHOOLS = frozenset(
    {"locatie", "plein", "speelplaats", "schoolplein", "gang", "klas", "groep", "juf",
     "meester", "week", "dag", "ochtend", "middag", "bovenbouw", "onderbouw", "middenbouw",
     "kleuters", "buren", "andere", "vorige", "zelfde", "nieuwe", "oude", "hele", "eerste",
     "laatste", "gym", "gymzaal", "bso", "tso", "opvang", "peuterspeelzaal", "overblijf",
     "kinderen", "leerlingen", "ouders", "thema", "methode", "les", "toets", "cito", "fiets",
     "camping", "foto", "computer", "tablet", "markt", "wc", "toilet", "trap", "kermis", "bank",
     "mat", "tafel", "stoel", "vloer", "bus", "excursie", "zolder", "kamp", "kring", "lijst",
     "wachtlijst", "dinsdag", "maandag", "woensdag", "donderdag", "vrijdag", "zaterdag",
     "zondag", "kleutergroep", "kleuterklas", "basisschool", "middelbare", "brugklas"}
)  # fmt: skip
# A second lower-case word belongs to the name only after an adjective ("de kleine prins").
_NOT_NAME_TAIL = frozenset(
    {"en", "ik", "hij", "zij", "ze", "die", "dat", "er", "is", "was", "heeft", "had", "maar",
     "want", "omdat", "toen", "nu", "ook", "weer", "in", "op", "met", "van", "voor", "bij",
     "een", "de", "het", "wij", "we", "jullie", "hun", "zijn", "haar", "mijn"}
)  # fmt: skip
# A school named without a prefix, known from what is said around it: "groep 8 van De
# Springplank", "zit op 't Startblok", "de ib'er van De Uiterwaard", "werk op Het Mozaïek",
# "een overdracht met De Wilgenhoek". The name has an article and a capital.
SCHOOL_CONTEXT = re.compile(
    r"(?:\b(?:groep|gr\.?)\s?\d{1,2}\s(?:van|op|bij)"
    r"|\b(?:zit|zat|zitten|zaten|werk|werkt|werkte|werken|werkten|begint|begon|start|startte"
    r"|stage|invaller|invalkracht|leerkracht|juf|meester|ingeschreven|aangemeld)"
    r"(?:\s[A-Z][\w'’-]{1,30})?"  # "zit Tesfay nu op 't Startblok"
    r"(?:\s(?:nu|al|ook|toen|hier|sinds|kort|een|twee|drie|paar|dagen|weken|maanden|jaar)){0,4}"
    r"\s(?:op)"
    # Said of the writer's own school: "Bij ons op de Wereldwijzer", "wij hebben op de
    # Boomgaard een ...": here a capitalised Dutch word after "de" is a school too.
    r"|(?P<strong>\b[Bb]ij\sons\sop|\b(?:[Ww]ij|[Ww]e)\s(?:hebben|doen|werken|gebruiken)\sop)"
    r"|\b(?:ib'?er|ib-er|intern\sbegeleider|directeur|directrice|team|leerkrachten|collega's"
    r"|school|locatie|schoolleider|overdracht(?:\sgehad)?|nieuwsbrief|schoolgids"
    r"|(?:groeps)?leerkracht(?:\s[A-Z][\w'’-]{1,30}){1,3})\s(?:van|met|op)"
    r"|\b(?:overgestapt|overgeplaatst|komt|komen|kwam|kwamen)(?:\s(?:nu|al|ook|net))?\svan"
    r"|\b(?:overgestapt|overgeplaatst)\snaar)"
    r"\s(?:De|Het|'t|de|het)\s(?P<name>[A-Z][\w'’-]{2,40})(?![\w'’-])"
)
# A school written as one word ("de Regenboogschool", "Anne Frankschool"): found from the
# word "school" at the end of a word, then by walking back over at most three words.
SCHOOL_END = re.compile(r"(?<=[^\W\d_])school(?![\w'’-])")

# A form's line for a school: "Vorige school: EBS De Kleine Reus (Barendrecht)", "Vorige
# school - Het Octaaf".
FORM_SCHOOL = re.compile(
    r"(?im)(?:^|\|)[ \t*•-]{0,4}(?:(?:vorige|nieuwe|huidige|oude|eigen|andere|gewenste"
    r"|toekomstige|beoogde|ontvangende|verwijzende)[ \t])?school[ \t]{0,3}(?::|[ \t]-)"
    r"[ \t]{0,3}([A-Za-z'’][\w'’.-]{0,40}(?:[ \t][\w'’.-]{1,40}){0,4})"
)
# "Op zijn vorige school, Kolegio Alejandro Paula, was hij ...": an earlier school's name
# without an article, capitalised, between commas.
EARLIER_SCHOOL_APPOSITION = re.compile(
    r"(?i:\b(?:vorige|oude|eerdere)[ \t]school),[ \t]"
    r"([A-Z][\w'’-]{2,40}(?:[ \t][A-Z][\w'’-]{1,40}){0,3})(?=,)"
)
# "Onze school, De Vlinderboom, verhuist", "een meisje van een andere school, De
# Toermalijn.": the school's name in an apposition.
SCHOOL_APPOSITION = re.compile(
    r"(?i:\b(?:onze|mijn|hun|jullie|die|deze|de|een|andere|nieuwe|vorige|oude)[ \t]school),[ \t]"
    r"((?:De|Het|'t)[ \t]([A-Z][\w'’-]{2,40})(?:[ \t][A-Z][\w'’-]{2,40})?)"
    r"(?=[,)]|[.;:!?](?:\s|$))"
)
# Another school right after one: "met De Triangel en De Tweemaster", "De Linde, De Es".
SCHOOL_NEXT = re.compile(
    r"(?:,[ \t]|[ \t]en[ \t]|[ \t]of[ \t])((?:De|Het|'t)[ \t]([A-Z][\w'’-]{2,40}))"
)
# "op De Kameleon", "bij De Kameleon", "van De Vlieger naar het SO": after these words a name
# with a capitalised article is a school in teachers' texts (a place has no article:
# "in Assen"; "de Efteling" and "de Veluwe" are written with a small "de").
SCHOOL_AFTER = re.compile(
    r"(?:(?<![\w'’-])[Oo]p|\b[Bb]ij|\bnaar|\bvan|\bat)\s(De|Het|'t)\s([A-Z][a-zà-ÿ]{3,30})"
    r"(?![\w'’-])"  # "at": a parent who writes in English, "I teach groep 5 at Het Palet"
)
# The secondary school a pupil goes to: "Stedelijk Gymnasium Breda", "het Calvijn College".
SECONDARY_SCHOOL = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’-]{1,30}[ \t]){1,2}(?:College|Lyceum|Gymnasium)\b"
    r"(?:[ \t](?!(?:In|En|Of|Voor|Met)\b)[A-Z][\w'’-]{2,30})?"
)
# A school next to a group: "(gr 4, De Vlinderboom)", "gr7 de Horizon –", "| gr 6 | Het
# Mozaïek |", "(De Klimop, schooljaar 2023-2024)".
SCHOOL_BY_GROUP = re.compile(
    r"(?i:\b(?:groep|gr\.?)[ \t]?\d{1,2}[a-z]?)(?:\)?,[ \t]|[ \t]?\|[ \t]?|[ \t])"
    r"((?:De|Het|'t|de|het)[ \t][A-Z][\w'’-]{2,40})(?=[ \t]?[)|–—-]|[,;]|\.(?:\s|$)|[ \t]*$)"
    r"|\(((?:De|Het|'t)[ \t][A-Z][\w'’-]{2,40}),[ \t](?i:schooljaar|sj|groep|gr\b)",
    re.MULTILINE,
)
WORKS = frozenset(
    {"aflevering", "afleveringen", "boek", "boeken", "film", "serie", "liedje", "liedjes",
     "programma", "uitzending", "krant", "tijdschrift", "spel", "musical", "voorstelling",
     "voorlezen", "voorgelezen", "prentenboek", "verhaal", "gelezen", "lezen"}
)  # fmt: skip
# "Op 't Startblok (groep 5) zit ...": a name with an article, then the group in brackets.
SCHOOL_BEFORE_GROUP = re.compile(
    r"(?<![\w'’-])(?:De|Het|'t|de|het)\s([A-Z][\w'’-]{2,40})(?=\s\((?:groep|gr\.?)\s?\d)"
)
# An age in words only where it is said as an age ("van negen jaar", "is zeven jaar",
# "tien jaar oud"), not as a span of time ("al twee jaar", "twee jaar geleden").
_AGE_BEFORE = "|".join(
    rf"(?<=\b{w} )" for w in ("van", "is", "wordt", "werd", "pas", "bijna", "net", "ben")
)
_CHILD_OF = "|".join(
    rf"(?<=\b{w} van )"
    for w in ("meisje", "jongen", "jongetje", "kind", "leerling", "kleuter", "zoon", "dochter")
    + ("broer", "broertje", "zus", "zusje")
)
AGE = re.compile(
    # Every age starts with a digit, a bracket or an age word: one look at each position
    # rules out the rest, instead of trying each lookbehind below there (about 4x faster).
    rf"(?=\d|\(|{_AGE_WORD}\b)(?:"
    # A number of years that is a time, not an age: "al 2 jaar in Nederland", "heeft 2 jaar
    # geen school gehad", "sinds 3 jaar", "2 jaar geleden".
    r"(?<!\bal )(?<!\bsinds )(?<!\bheeft )(?<!\bhad )(?<!\bruim )(?<!\bna )(?<!\bover )"
    r"\b\d{1,2}\s?(?:jaar|jr)\b(?! (?:geen|lang|geleden|in Nederland|hier|later|eerder|terug))"
    r"|\(\d{1,2}\)|(?:" + _CHILD_OF + r")\d{1,2}\b(?![,.]\d)"
    r"(?! (?:jaar|minuten|uur|de|het|\d))"
    rf"|(?:{_AGE_BEFORE}){_AGE_WORD} jaar(?: oud)?\b|\b{_AGE_WORD} jaar oud\b"
    # An apposition or a bracket: "Ilias Aarab, acht jaar, gaat ...", "Ahmad (twaalf jaar)",
    # "Sofiia (zeven)"; "nu negen jaar."
    rf"|(?<=, ){_AGE_WORD} jaar(?=[,.;)])|(?<=\bnu ){_AGE_WORD} jaar(?=[,.;)])"
    rf"|\({_AGE_WORD}(?: jaar| jr\.?)?\)"
    # "een meisje van tien", "Nour is elf en ...": the age said without "jaar".
    rf"|(?:{_CHILD_OF}){_AGE_WORD}\b(?! (?:jaar|maanden|weken|dagen|minuten|uur))"
    # "Nour is elf en ...", "Hij is 10 en heeft ADHD" (a number only before "en" or "jaar":
    # "het cijfer is 7," is no age).
    rf"|(?:(?<=\bis )|(?<=\bis pas )|(?<=\bis bijna )|(?<=\bis net ))"
    rf"(?:{_AGE_WORD}(?=[,.;!]|\s(?:en|geworden)\b)|\d{{1,2}}(?=\s(?:en|jaar|geworden)\b))"
    # A form's field: "Leeftijd: 8", "leeftijd 10"; "(10, CBS De Akkerwinde)".
    r"|(?:(?<=leeftijd: )|(?<=leeftijd:)|(?<=leeftijd ))\d{1,2}\b"
    # in words only as the value of a field or a bracket: "Leeftijd: negen", "(leeftijd vier)"
    rf"|(?:(?<=leeftijd: )|(?<=leeftijd:)|(?<=\(leeftijd )){_AGE_WORD}(?=(?: jaar)?[),.;]|\s*$)"
    r"|(?<=\()\d{1,2}(?=, ?[A-Z]))",
    re.IGNORECASE,
)


# Right after a name: "Gerben, 12, die ...", "(Boaz, 7)"; "Nour is elf en", "Daan is pas 9!",
# "Hamdi is 4" at the end of a line.
AGE_AFTER_NAME = re.compile(
    r",[ \t]?(\d{1,2}(?:[ \t]?(?:jaar|jr\.?))?)(?=[ \t]?[,)])"
    # "Thijs van 9 in mijn groep", "Lieke (mijn dochter, 4)"
    rf"|[ \t]van[ \t](\d{{1,2}}|{_AGE_WORD})"
    r"(?=[ \t]*[,.;!)]|[ \t](?:in|uit|op|bij|die|met|zit|is|heeft|komt)\b)"
    r"|[ \t]\((?:mijn|zijn|haar|onze)[ \t]\w{3,12},[ \t](\d{1,2})(?=\))"
    rf"|[ \t]is[ \t](?:pas[ \t]|bijna[ \t]|net[ \t])?((?:{_AGE_WORD}|\d{{1,2}})(?:[ \t]jaar)?)"
    r"(?=[,.;!]|[ \t]*(?:\n|$)|[ \t](?:en|geworden)\b)",
    re.IGNORECASE,
)
# After "hij/zij/ze is" the number is an age too when the clause ends: "Hij is 10, dus",
# "Hij is 12." (not "het cijfer is 7,": only after a pronoun).
AGE_AFTER_PRONOUN = re.compile(
    r"\b(?:hij|zij|ze)[ \t]is[ \t](?:pas[ \t]|bijna[ \t]|net[ \t]|nu[ \t])?"
    rf"(\d{{1,2}}|{_AGE_WORD})(?=[,.;!](?!\d)|[ \t]*(?:\n|$)|[ \t]en\b)",
    re.IGNORECASE,
)
# "Ayaan, van vijf.", "Semhar, een meisje van 9 uit Eritrea": an apposition after a name.
AGE_APPOSITION = re.compile(
    r",[ \t](?:een[ \t](?:meisje|jongen|kleuter|leerling)[ \t])?van[ \t]"
    rf"((?:\d{{1,2}}|{_AGE_WORD}))"
    r"(?=[ \t]?[,.;!)]|[ \t](?:uit|met|die|dat|en)\b)",
    re.IGNORECASE,
)
# A form's age line under any label: "Leeftijd bij aanvraag: 10", "Leeftijd op 1 oktober:
# 6", "Leeftijd Kacper: 11", "Leeftijd: negen".
AGE_FIELD = re.compile(
    rf"^[ \t*-]{{0,4}}leeftijd\b[^:\n]{{0,40}}:[ \t]*((?:\d{{1,2}}|{_AGE_WORD})(?:[ \t]?jaar)?)\b",
    re.IGNORECASE | re.MULTILINE,
)

# A pasted table: a header line with column names, then rows with the same separator.
TABLE_COLUMNS = (
    ("name", ("naam", "voornaam", "achternaam", "roepnaam", "leerling", "ouder", "moeder",
              "vader", "contactpersoon")),
    ("birthdate", ("geboortedatum", "geb.datum", "geb. datum", "geboren", "geb.")),
    ("address", ("adres", "straat", "straat + huisnummer")),
    ("school", ("school", "vorige school", "huidige school", "van school", "naar school",
                "oude school", "nieuwe school", "school van herkomst")),
    ("phone", ("telefoon", "tel", "tel.", "telefoonnummer", "mobiel")),
    ("age", ("leeftijd", "lft", "lft.")),
    ("bsn", ("bsn", "burgerservicenummer", "bsn-nummer", "bsn nummer")),
)  # fmt: skip
MAX_TABLE_LINE = 400


def table_cells(text: str):
    """Yield (kind, start, end) for the cells of name, address ... columns of a table.

    Linear: each line is split once, and only lines up to MAX_TABLE_LINE characters count.
    """
    columns: dict[int, str] | None = None
    separator = ""
    offset = 0
    for line in text.split("\n"):
        start_of_line, offset = offset, offset + len(line) + 1
        line = line.rstrip("\r")  # a browser posts a textarea with CRLF
        if len(line) > MAX_TABLE_LINE:
            columns = None
            continue
        if columns is not None and separator in line:
            cells = line.split(separator)
            position = start_of_line
            for n, cell in enumerate(cells):
                kind = columns.get(n)
                value = cell.strip(" \t|")
                if kind == "age":
                    looks = value.isdigit() and len(value) <= 2
                elif kind == "bsn":
                    looks = bsn_valid("".join(c for c in value if c.isdigit()))
                elif kind == "birthdate":
                    looks = value[:1].isdigit()
                elif kind == "name":
                    # "de Boer" in a column of surnames starts with its tussenvoegsel.
                    head, _, rest = value.partition(" ")
                    looks = value[:1].isupper() or (
                        head in words.tussenvoegsels() and rest[:1].isupper()
                    )
                else:
                    looks = value[:1].isupper()
                first = next(
                    (w.lower() for w in value.split() if w not in words.tussenvoegsels()), ""
                )
                if kind == "name" and (first in GENERIC_CELLS or first in words.not_names()):
                    looks = False  # "Jongen uit groep 5", "Leerling A": already anonymous
                if kind and looks:
                    begin = position + cell.find(value)
                    yield kind, begin, begin + len(value)
                position += len(cell) + len(separator)
            continue
        columns = None
        for sep in (";", "\t", "|"):
            cells = [c.strip(" \t|").lower() for c in line.split(sep)]
            if len(cells) < 3:
                continue
            found = {
                n: kind
                for n, cell in enumerate(cells)
                for kind, names in TABLE_COLUMNS
                if cell in names
            }
            if found:
                columns, separator = found, sep
                break


# Cells and answers that name nobody.
NON_ANSWERS = frozenset(
    {"onbekend", "nvt", "n.v.t.", "geen", "dezelfde", "idem", "zie", "-", "?", "niet", "nog"}
)  # fmt: skip
GENERIC_CELLS = NON_ANSWERS | {
    "jongen", "meisje", "leerling", "kind", "kinderen", "moeder", "vader", "ouder", "ouders",
    "broer", "zus", "oma", "opa", "verzorger",
}  # fmt: skip
# Places, stages of schooling and institutions written like a school's name.
NOT_SCHOOLS = frozenset(
    {"peuterspeelzaal", "kinderdagverblijf", "opvang", "bso", "speciaal", "voortgezet",
     "bibliotheek", "bovenbouw", "onderbouw", "middenbouw", "toekomst", "efteling", "veluwe",
     "klokhuis", "facebookgroep", "kinderopvang", "gemeente", "wijkteam", "jeugdzorg",
     "ruijter", "gorgels", "havo", "vwo", "mavo", "vmbo", "mbo", "hbo", "pabo", "gymnasium",
     "lyceum", "atheneum", "universiteit", "middelbare", "brugklas", "studiedag", "studiedagen",
     "teamdag", "kinderboerderij", "vreedzame", "achterhuis"}
)  # fmt: skip


def _dutch_word(low: str) -> bool:
    from .lexicon import is_dutch_word  # loads the word list on first use

    return is_dutch_word(low)


# A cell of a pasted table: "| 6237 kw |", "|3094 bm|", a tab or a semicolon around it.
_CELL_BEFORE = re.compile(r"[|\t;][ \t]{0,3}$")
_CELL_AFTER = re.compile(r"[ \t]{0,3}(?:[|\t;]|\r?$)", re.M)
_COMMA_CELL_BEFORE = re.compile(r",[ \t]{0,3}$")
_COMMA_CELL_AFTER = re.compile(r"[ \t]{0,3}(?:,|\r?$)", re.M)
_ADDRESS_GAP = re.compile(r",?[ \t]{1,3}$")


def postcodes(text: str, address_ends: set[int] | None = None):
    """Yield (start, end) of each postcode: "9721 PK", "1034ab", and "9403 kh" before a town.

    ``address_ends``: where the addresses of the text end, when the caller has them.
    """
    header = None
    for m in POSTCODE.finditer(text):
        found = m.group()
        if found[-2:].isupper() or found[-3] not in " \u00a0":
            yield m.start(), m.end()
            continue
        if address_ends is None:  # only for a postcode in lower case: most texts have none
            address_ends = {end for _, end in addresses(text)}
        gap = _ADDRESS_GAP.search(text, max(0, m.start() - 4), m.start())
        after_address = gap is not None and gap.start() in address_ends
        if header is None:  # a table with a postcode column: "kw" and "an" are its letters too
            header = text.lower().find("postcode")
        if _lower_postcode(text, m, after_address, 0 <= header < m.start()):
            yield m.start(), m.end()


def _lower_postcode(
    text: str, m: re.Match, after_address: bool = False, postcode_named: bool = False
) -> bool:
    """ "9403 kh Assen" is a postcode; "In 2019 is Daan", "2021 en Daarna" are not.

    Right after a street and its number ("zuiderweg 130b 2615 hk"), or on a form's postcode
    line before a town ("Postcode/woonplaats: 4417 an Goes"), even letters that make a word
    are a postcode's.
    """
    number, letters = m.group()[:4], m.group()[-2:]
    label = POSTCODE_LABEL.search(text, max(0, m.start() - 24), m.start()) is not None
    town = TOWN_AFTER.match(text, m.end()) is not None
    if 1900 <= int(number) <= 2099 and not after_address:
        return False
    cell = (
        _CELL_BEFORE.search(text, max(0, m.start() - 4), m.start()) is not None
        and _CELL_AFTER.match(text, m.end()) is not None
    )
    if letters in TWO_LETTER_WORDS or _dutch_word(letters):
        return after_address or (label and town) or (cell and postcode_named)
    if label or after_address:
        return True  # a form's line: "postcode: 3082 tr", "Postcode/woonplaats: 9203 kl"
    # A table's postcode column, also of a list with commas under a header that names
    # the postcode ("Naam, Leeftijd, Postcode⏎Femke van Dijk, 5, 1612 lm"); or "9403 kh Assen".
    comma_cell = (
        postcode_named
        and _COMMA_CELL_BEFORE.search(text, max(0, m.start() - 4), m.start()) is not None
        and _COMMA_CELL_AFTER.match(text, m.end()) is not None
    )
    return cell or town or comma_cell


@lru_cache(maxsize=64)
def _again_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    # A name found without a prefix may be a word ("Onbekend", "Speciaal"): not again alone.
    # The part of a name with a prefix ("Westerkim" of "OBS Westerkim") is a school's.
    variants = {
        v
        for name in names
        for v in school_variants(name)
        if v != name or " " in v or not _dutch_word(v.lower())
    }
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(r"(?<![\w'’-])(?:" + alternatives + r")(?![\w'’-])")


# A sign-off with the writer's school in brackets, at the text's end: "Mila (de Boomgaard)".
SIGNED_SCHOOL = re.compile(
    r"(?m)^[ \t]{0,4}[A-Z][\w'’-]{1,30}(?:[ ][A-Z][\w'’-]{1,30})?[ \t]{1,2}"
    r"\(((?:[Dd]e|[Hh]et|'t)[ ]([A-Z][\w'’-]{2,30})(?:[ ][A-Z][\w'’-]{2,30})?)\)[ \t]*\s*\Z"
)
# A school's short name next to its full name: "De JFS (Johan Frisoschool)", "(JFS)".
ACRONYM_BEFORE = re.compile(r"(?<![\w.])([A-Z]{2,5})[ \t]{1,2}\($")
ACRONYM_AFTER = re.compile(r"\)?[ \t]{1,2}\(([A-Z]{2,5})\)")


def signed_schools(text: str) -> list[tuple[int, int]]:
    """The school in brackets after the writer's name that ends the text."""
    m = SIGNED_SCHOOL.search(text, max(0, len(text) - 120))
    if not m or m.group(2).lower() in words.not_names() or m.group(2).lower() in NOT_SCHOOLS:
        return []
    return [m.span(1)]


def school_acronyms(text: str, named) -> list[tuple[int, int]]:
    """The short name written right before or after a school found: "JFS (Johan Frisoschool)"."""
    out = []
    for start, end in named:
        before = ACRONYM_BEFORE.search(text, max(0, start - 10), start)
        after = ACRONYM_AFTER.match(text, end)
        for m in (before, after):
            if m and not _acronym_of_other(m.group(1)):
                out.append(m.span(1))
    return out


def _acronym_of_other(acronym: str) -> bool:
    # A school's prefix or a body the guard leaves: "OBS (De Linde)", "(GGD)".
    return acronym.lower() in SCHOOL_PREFIXES or acronym.lower() in words.not_names()


def schools_next(text: str, ends) -> list[tuple[int, int]]:
    """A school named right after one found ("De Triangel en De Tweemaster"), in one pass."""
    out, ends = [], set(ends)
    for m in SCHOOL_NEXT.finditer(text):
        if m.start() in ends and m.group(2).lower() not in words.not_names():
            out.append((m.start(1), m.end(1)))
            ends.add(m.end(1))
    return out


def schools_again(text: str, names) -> list[tuple[int, int]]:
    """A school the text named once, where its name comes again: in the same capitals."""
    pattern = _again_pattern(tuple(names))
    return [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def bsn_valid(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def words_before(text: str, pos: int, limit: int = 3, capital: bool = True) -> int:
    """Walk back from pos over at most `limit` words (capitalised ones if `capital`).

    Each word is at most 40 characters and is separated by one to three spaces, so the work
    is bounded whatever the text. Returns where the first of these words starts.
    """
    start = pos
    for _ in range(limit):
        k = start
        # Not over a tab: it separates a table's cells, never the words of one name.
        while k > 0 and start - k < 3 and text[k - 1] in " \u00a0":
            k -= 1
        if k == start:
            break
        end = k
        while k > 0 and end - k <= 40 and (text[k - 1].isalnum() or text[k - 1] in "'’-"):
            k -= 1
        word = text[k:end]
        if (
            not word
            or (k > 0 and (text[k - 1].isalnum() or text[k - 1] in "'’-"))
            or (capital and not word[0].isupper())
        ):
            break
        start = k
    return start


def sentence_word(text: str, start: int) -> bool:
    """Is the word right before start an ordinary sentence word ("Op", "Bij")?"""
    first = words_before(text, start, limit=1)
    return text[first:start].strip().lower() in words.sentence_words()


def _strip_sentence_words(text: str, start: int, end: int, keep_articles=False) -> int:
    """Move start past leading ordinary sentence words ("Woont", "In", "Bij")."""
    for w in list(re.finditer(r"\S+", text[start:end]))[:-1]:
        low = w.group().lower()
        if keep_articles and low in ("de", "het", "'t"):
            continue
        if low in words.not_names() or low in words.sentence_words():
            start = start + w.end() + (1 if start + w.end() < end else 0)
            while start < end and text[start].isspace():
                start += 1
        else:
            break
    return start


def _is_street(low: str) -> bool:
    if not low.endswith(STREET_ENDS) or low.endswith(words.not_street_ends()):
        return False
    return any(low.endswith(e) and len(low) > len(e) for e in STREET_ENDS)


def _year(number: str) -> bool:
    return number.isdigit() and 1900 <= int(number) <= 2099  # "Zomerkamp Berg 2024"


def _street_of_two_words(text: str, start: int, word: str) -> bool:
    """ "Grote Markt 4", "Oude Vaart 36": a street ending as a word of its own after a
    capitalised word that is no sentence word ("Op Markt 3" is none)."""
    if not word[0].isupper() or word.lower() not in STREET_ENDS:
        return False
    first = words_before(text, start, limit=1)
    return first < start and _strip_sentence_words(text, first, start + len(word)) == first


def _capital_tail(text: str, at: int) -> bool:
    tail = _STREET_TAIL.match(text, at)
    return tail is not None and tail.group("letters").isupper()


# The words of a street's name before a particle: "Laan van Nieuw (Oost-Indië 118)".
_STREET_LEAD = re.compile(
    r"[A-Z][\w'’-]{1,30}[ ](?:(?:van|de|der|den|het|'t|aan|op|in)[ ]){1,2}"
    r"(?:[A-Z][\w'’-]{1,30}[ ]){0,2}$"
)
_BARE_STREET_BEFORE = re.compile(r"\b(?:aan|op)[ \t](?:de|het)[ \t]$")
_COUNT_AFTER = re.compile(
    r"[ \t](?:uur|minuten|minuutjes|keer|kinderen|leerlingen|dagen|weken|jaar|meter|rondjes)\b"
)


def addresses(text: str):
    """Yield (start, end) of each street name with a house number."""
    not_names = words.not_names()
    for m in STREET_NUMBER.finditer(text):
        word = m.group(1)
        low = word.lower()
        street = _is_street(low) or (
            _street_of_two_words(text, m.start(), word) and not _year(m.group(2))
        )
        other = not street and word[0].isupper() and len(low) > 3 and low not in not_names
        if not street and not other:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if (
            other
            and low in STREET_ENDS
            and _BARE_STREET_BEFORE.search(before)
            and not _COUNT_AFTER.match(text, m.end())
        ):
            yield m.start(), m.end()  # "aan de Markt 12", not "op de Markt 2 uur lang"
            continue
        context = _ADDRESS_CONTEXT.search(before) is not None
        tail = _STREET_TAIL.match(text, m.end()) or _TOWN_TAIL.match(text, m.end())
        if street and (word[0].isupper() or context or tail):
            start = m.start()
            if word[0].isupper():  # "Van Goghlaan 3a", "Oude Schoolstraat 12"
                start = _strip_sentence_words(text, words_before(text, start), m.end())
            yield start, m.end()
        elif other and (context or _capital_tail(text, m.end())):
            # "Akkerwinde 23, 9202RN" or "woont op Akkerwinde 23": no street ending needed.
            # The words before belong to it: "Laan van Nieuw Oost-Indië 118 (2593BR)".
            lead = _STREET_LEAD.search(text, max(0, m.start() - 60), m.start())
            start = _strip_sentence_words(text, lead.start(), m.end()) if lead else m.start()
            yield start, m.end()


def _birth_line(text: str, start: int) -> bool:
    """Is the date at start on a line (at most 80 characters before it) about a birth date?"""
    line_start = text.rfind("\n", max(0, start - 80), start) + 1
    if line_start == 0 and start > 80:
        return False  # the line began too long ago
    label = BIRTH_LINE.match(text, line_start, start)
    # "Geboren in Syrië, sinds 2022 hier. Intake 05-09-2024": a sentence ends in between.
    return label is not None and not re.search(r"[.;!?]\s", text[label.end() : start])


def _birth_sentence(text: str, start: int) -> bool:
    """Does the sentence of the date at start (at most 100 characters before it) speak of a
    birth date?"""
    window = text[max(0, start - 100) : start]
    cut = max((m.end() for m in SENTENCE_END.finditer(window)), default=0)
    return BIRTH_WORD.search(window, cut) is not None


def dates(text: str):
    """Yield (start, end, is_birth_date) for each full date."""
    this_year = date.today().year
    for m in DATE.finditer(text):
        if m.group("d"):
            day, month, year = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        elif m.group("iy"):
            day, month, year = int(m.group("id")), int(m.group("im")), int(m.group("iy"))
        else:
            day, month = int(m.group("wd")), _MONTH_NUMBER[m.group("wm").lower()]
            year = int(m.group("wy"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        birth = BIRTH_CONTEXT.search(before) is not None or _birth_line(text, m.start())
        # A date in the birth years of primary-school pupils is most likely a birth date,
        # unless it says when something began ("sinds 1 augustus 2014").
        # Pupils are 4 to 13: a date of this year or the last three is no pupil's birthday.
        likely = this_year - 14 <= year <= this_year - 4 and not NOT_BIRTH_CONTEXT.search(before)
        yield m.start(), m.end(), birth or likely
    for m in SHORT_DATE.finditer(text):
        day, month = int(m.group(1)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            before = text[max(0, m.start() - 30) : m.start()]
            birth = (
                BIRTH_CONTEXT.search(before) is not None
                or _birth_line(text, m.start())
                or _birth_sentence(text, m.start())
            )
            yield m.start(), m.end(), birth
    for m in ENGLISH_BIRTH_DATE.finditer(text):
        yield m.start(1), m.end(1), True
    # Dates in words are rare: a look for the words they need first (a case-insensitive
    # search of every position costs more than the rest of this function).
    low = text.lower()
    in_words = "tweeduizend" in low or "negentienhonderd" in low
    for m in WORD_DATE.finditer(text) if in_words else ():
        year = word_number(m.group("year").lower()) if m.group("year") else None
        birth = (
            BIRTH_CONTEXT.search(text[max(0, m.start() - 30) : m.start()]) is not None
            or _birth_sentence(text, m.start())
            or (year is not None and this_year - 14 <= 2000 + year <= this_year - 4)
        )
        yield m.start(), m.end(), birth
    birthday = "jarig" in low or "verjaardag" in low or "geboren" in low
    for m in WORD_BIRTHDAY.finditer(text) if birthday else ():
        yield m.start(1), m.end(1), True
    lists, last_birthday = None, None
    for m in DAY_MONTH.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        birth = (
            BIRTH_CONTEXT.search(before) is not None
            # "Marieke is 27 oktober jarig en Hans op 2 november": the next of the sentence
            or (
                last_birthday is not None
                and BIRTHDAY_NEXT.search(before) is not None
                and not SENTENCE_END.search(text, last_birthday, m.start())
            )
            or _birth_line(text, m.start())
            or BIRTHDAY_AFTER.match(text, m.end()) is not None
            or (
                BIRTHDAY_WORDT.search(before) is not None
                and AGE_AFTER_DATE.match(text, m.end()) is not None
            )
        )
        if not birth:
            lists = _birthday_lists(text) if lists is None else lists
            blocks, inline, loose = lists
            birth = _inside(blocks, m.start()) or (
                _inside(loose, m.start()) and _entry(text, m.start(), m.end())
            )
            if not birth and _inside(inline, m.start()):
                before_date = (max(0, m.start() - 34), m.start())
                birth = INLINE_BIRTHDAY_BEFORE.search(text, *before_date) is not None or (
                    _entry(text, m.start(), m.end(), inline=True)
                )
        if birth:
            end = m.end()
            if (
                text[end - 1] == "."
                and text[m.start() : end - 1].split()[-1].lower() in FULL_MONTHS
            ):
                end -= 1  # "op 29 februari.": the sentence's full stop stays
            last_birthday = end
            yield m.start(), end, True
    if lists is None and not BIRTHDAY_LIST.search(text):
        return
    blocks, inline, loose = _birthday_lists(text) if lists is None else lists
    for m in NUMERIC_DAY_MONTH.finditer(text):
        if not (1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12):
            continue
        if _GROUP_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "groep 5/6", "gr 7-8"
        # In figures, a date is a birthday only on a child's line of the list: "Jade 12-09",
        # not "we zingen 2-3 liedjes" or "bladzijde 4/5".
        listed = _inside(blocks, m.start()) or _inside(loose, m.start())
        if (
            (listed or _inside(inline, m.start()))
            and _entry(text, m.start(), m.end(), inline=not listed)
        ) or (
            # "Rachid is vandaag (19/10) jarig", "jarig op 3-11"
            JARIG_AFTER.match(text, m.end())
            or BIRTH_CONTEXT.search(text, max(0, m.start() - 30), m.start())
        ):
            yield m.start(), m.end(), True


def _inside(spans: tuple[int, ...], pos: int) -> bool:
    """Is pos inside one of the [start, end) spans (a flat, sorted list)?"""
    return bisect.bisect_right(spans, pos) % 2 == 1


# After a date that opens a line of a list, the child's name: "13 oktober – Joep wordt 7",
# "* 5 jun. Omar Al-Hassan wordt 12", "11 jul: Roos de Vries".
_NAME_AFTER_DATE = re.compile(
    r"[ \t]{0,3}[:–—-]?[ \t]{1,3}((?-i:[A-Z])[\w'’-]{1,30})"
    r"((?:[ ](?:(?:van|de|der|den)[ ]){0,2}(?-i:[A-Z])[\w'’-]{1,30}){0,2})"
)


def _entry(text: str, start: int, end: int, inline: bool = False) -> bool:
    """Is the date at start..end on a child's line of a birthday list: a name before it
    ("Jade 12-09", "Roos: 5 mei") or right after it ("13 oktober – Joep")? In a one-line
    list (``inline``) the entry starts after the last comma or colon."""
    seg = _entry_start(text, start, inline)
    if _opens_line(text, seg, start):
        m = _NAME_AFTER_DATE.match(text, end)
        return m is not None and _name_like(m.group(1))
    return _entry_name(text, seg, start) is not None


def _opens_line(text: str, seg: int, start: int) -> bool:
    """Does the date at start open its line (after a bullet at most: "* 15 februari Robel")?"""
    return not text[seg:start].strip(" \t-*•·")


def _entry_start(text: str, start: int, inline: bool) -> int:
    line_start = text.rfind("\n", max(0, start - 61), start) + 1
    if inline:
        line_start = max(line_start, text.rfind(",", line_start, start) + 1)
        line_start = max(line_start, text.rfind(":", line_start, start) + 1)
    return line_start


def _entry_name(text: str, seg: int, start: int) -> tuple[int, int] | None:
    if start - seg > 60 or not (m := _BIRTHDAY_ENTRY.fullmatch(text, seg, start)):
        return None
    return (m.start(1), m.end(1)) if _name_like(m.group(1).split()[0]) else None


def _name_like(word: str) -> bool:
    """Could this word be a child's name in a list: a first name, or no Dutch word?"""
    from .names import _all_first_names, _not_a_word  # names imports this module

    low = word.lower()
    if (
        low in words.not_names()
        or low in words.sentence_words()
        or low in _NO_ENTRY
        or low in FULL_MONTHS
        or BIRTHDAY_LIST.search(low)
    ):
        return False
    return low in _all_first_names() or _not_a_word(word)


# The child of a line in a birthday list, before the date: "Jade 12-09", "Roos: 5 mei",
# "- Tim van Dijk – 3 mei".
_BIRTHDAY_ENTRY = re.compile(
    r"[ \t]{0,4}(?:[-*•·][ \t]{0,3})?((?-i:[A-Z])[\w'’-]{1,30}(?:[ ](?:(?:van|de|der|den)[ ]){0,2}"
    r"(?-i:[A-Z])[\w'’-]{1,30})?)[ \t]{0,2}(?:[:–—(-]|[–—-][ \t]?\()?[ \t]{0,3}$"
)


# Words that open a sentence about a date, not a child's line: "Op 4 mei trakteert hij".
_NO_ENTRY = frozenset(
    [
        "op",
        "na",
        "voor",
        "tot",
        "vanaf",
        "sinds",
        "om",
        "rond",
        "per",
        "tussen",
        "uiterlijk",
        "vóór",
        "de",
        "het",
        "een",
        "deze",
        "dit",
        "elke",
        "iedere",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "vandaag",
        "morgen",
        "gisteren",
        "datum",
        "wanneer",
        "geboren",
        "geb",
    ]
)


def birthday_entry_names(text: str, births: list[tuple[int, int]]):
    """Yield (start, end) of the child's name on the line of each birthday in a list of
    birthdays: before the date, or after it where the date opens the line (``births``: each
    birth date's start and end, in text order)."""
    if not births:
        return
    blocks, inline, loose = _birthday_lists(text)
    for date_start, date_end in births:
        in_block = _inside(blocks, date_start) or _inside(loose, date_start)
        if not in_block and not _inside(inline, date_start):
            continue
        # "Verjaardagskalender groep 2: Lola 4 mei, Ravi 17 mei": after a comma or colon
        seg = _entry_start(text, date_start, inline=not in_block)
        if who := _entry_name(text, seg, date_start):
            yield who
        elif (
            _opens_line(text, seg, date_start)
            and (m := _NAME_AFTER_DATE.match(text, date_end))
            and _name_like(m.group(1))
        ):
            yield m.start(1), m.end(2) if m.group(2) else m.end(1)


@lru_cache(maxsize=4)  # dates() and birthday_entry_names() read the same text's lists
def _birthday_lists(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Return [start, end, ...] of the blocks of lines under a heading about birthdays, of
    the one-line lists (the part after the colon), and of the blocks under a heading
    without a colon (where only a child's line counts, see _entry).

    A heading is a line that names birthdays and ends in a colon ("Geboortedata groep 1/2
    voor de verjaardagskalender:"), or a short line that starts with such a word and has no
    colon or full stop ("Verjaardagen september"); its block runs to the next empty line. A
    line that names birthdays before a colon and goes on after it is a list of its own:
    "Jarigen deze maand: Nora (3 maart), Tijn (11 maart)". One pass.
    """
    spans: list[int] = []
    inline: list[int] = []
    loose: list[int] = []
    pos, open_at, is_loose = 0, None, False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            if open_at is not None:
                (loose if is_loose else spans).extend((open_at, pos))
                open_at = None
        elif open_at is None and stripped.endswith(":") and BIRTHDAY_LIST.search(stripped):
            open_at, is_loose = pos + len(line), False
        elif open_at is None and BIRTHDAY_HEADING.match(stripped):
            open_at, is_loose = pos + len(line), True
        elif (
            open_at is None
            and 0 < (colon := line.find(":")) <= 60
            and INLINE_BIRTHDAYS.search(line, 0, colon)
        ):
            inline += [pos + colon + 1, pos + len(line)]
        pos += len(line)
    if open_at is not None:
        (loose if is_loose else spans).extend((open_at, pos))
    return tuple(spans), tuple(inline), tuple(loose)


# "op school", "naar school": the noun, not a prefix of a name.
_NOUN_SCHOOL_BEFORE = re.compile(r"(?i)\b(?:op|naar|van|na|voor|uit|in|buiten)[ \t]$")


def lower_case_writer(text: str) -> bool:
    """Does the writer type no capital at all ("ik heb net met oksana gebeld")?"""
    return len(text) >= 20 and not any(c.isupper() for c in text[:2000])


def schools(text: str):
    """Yield (start, end) of school names that need no list: prefix + name, or one word."""
    for m in SCHOOL.finditer(text):
        name = m.group().split()[-1]
        if m.group()[:2] == "so" and re.match(r"I(?:['’]|$)", name):
            continue  # English: "so I feel a bit lost", "so I'm alone"
        if name.lower() in words.not_names() and m.group().split()[0].lower() in CHILDCARE:
            continue  # "Kinderopvang Humankind": a company, no one place
        if m.group().startswith("school"):
            # The noun, not a prefix: "we vieren op school Keti Koti", "mag de school het OPP
            # vaststellen". What follows may still name a school: "op school De Wegwijzer",
            # "op school OBS De Fuut", "school IBS De Zonnewijzer".
            noun = _NOUN_SCHOOL_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if noun or _acronym(name) or name.lower() in words.not_names():
                second = m.group().split()[1]
                at = m.start() + m.group().index(second, 6)
                after = SCHOOL.match(text, at)
                if noun and second in ("De", "Het", "'t"):
                    yield at, m.end()
                elif after and (
                    second.lower().rstrip(".") in SCHOOL_PREFIXES if noun else _acronym(second)
                ):
                    yield after.start(), after.end()
                continue
        yield m.start(), m.end()
    for m in SCHOOL_APPOSITION.finditer(text):
        if m.group(2).lower() not in words.not_names():
            yield m.start(1), m.end(1)
    generic = words.school_words()
    for m in SCHOOL_END.finditer(text):
        end = m.end()
        k = m.start()
        while k > 0 and end - k <= 46 and not text[k - 1].isspace() and text[k - 1] not in '("':
            k -= 1
        word = text[k:end]
        plain = word.replace("-", "")  # "Willem-Alexanderschool"
        if not word[:1].isupper() or not plain.isalpha() or word.lower() in generic:
            continue
        # Capitalised words before it belong to the name ("Pieter Bruegelschool"); so does a
        # capitalised article ("De Eikenhofschool"), not a sentence word ("Bij").
        start = words_before(text, k, limit=2)
        yield _strip_sentence_words(text, start, end, keep_articles=True), end
    for m in LOWER_SCHOOL.finditer(text):
        if m.group(1) not in words.not_names():
            yield m.start(), m.end()
    for m in SECONDARY_SCHOOL.finditer(text):
        start = _strip_sentence_words(text, m.start(), m.end())
        if start < m.end() and text[start : m.end()].split()[0].lower() not in words.not_names():
            yield start, m.end()
    for m in SAINT_SCHOOL.finditer(text):
        yield m.start(), m.end()
    for m in FLEMISH_SCHOOL.finditer(text):
        yield m.start(), m.end()
    for m in SCHOOL_GROUP.finditer(text):
        yield m.start(), m.end()
    for m in ENGLISH_SCHOOL.finditer(text) if "The" in text else ():
        if m.group(1).split()[1].lower() not in ("hague", "netherlands", "moment", "same", "end"):
            yield m.start(1), m.end(1)
    for m in EARLIER_SCHOOL_APPOSITION.finditer(text):
        if m.group(1).split()[0].lower() not in words.not_names():
            yield m.start(1), m.end(1)
    if lower_case_writer(text):
        for m in LOWER_SCHOOL_CONTEXT.finditer(text):
            first, second = m.group(1), m.group(2)
            if first in NOT_LOWER_SCHOOLS or first.endswith("school"):
                continue
            if first in NOT_SCHOOLS:
                continue  # (a word that is never a name may still name a school here)
            keep_second = second and first.endswith("e") and second not in _NOT_NAME_TAIL
            article = text.rfind(" ", 0, m.start(1) - 1) + 1  # "de kameleon": with its "de"
            yield article, m.end(2) if keep_second else m.end(1)
    for m in LOWER_SCHOOL_BARE.finditer(text):
        name = m.group(1)
        if name not in words.not_names() and name not in NOT_SCHOOLS and not _dutch_word(name):
            yield m.start(), m.end()
    for m in FORM_SCHOOL.finditer(text):
        value = m.group(1).rstrip(" .-")
        answer = value.lower().split()[0] if value.split() else ""
        if answer in NON_ANSWERS:
            continue  # "Vorige school: Onbekend"
        # In lower case only after an article or a school's prefix: "de Klimop", "kbs sint
        # jozef" (not "Vorige school: geen" or "basisschool in Kyiv").
        parts = value.lower().split()
        lower_ok = len(parts) > 1 and (
            answer in ("de", "het", "'t")
            or (answer.rstrip(".") in SCHOOL_PREFIXES and parts[1] not in words.sentence_words())
        )
        if (
            value
            and value.lower() not in words.school_words()
            and (value[:1].isupper() or lower_ok)
        ):
            yield m.start(1), m.start(1) + len(value)
    for m in SCHOOL_AFTER.finditer(text):
        before = words_before(text, m.start(), limit=1, capital=False)
        if (
            m.group(2).lower() in words.not_names()
            or m.group(2).lower() in NOT_SCHOOLS
            or text[before : m.start()].strip() in WORKS
        ):
            continue  # "afleveringen van De Fabeltjeskrant" is a programme
        if m.group().startswith("van") and _surname_van(text, before, m.start()):
            continue  # "Sanne van 't Erve": a surname
        yield m.start(1), m.end()
    for m in SCHOOL_BY_GROUP.finditer(text):
        group = 1 if m.group(1) else 2
        name = m.group(group).split(maxsplit=1)[1]
        if name.lower() not in words.not_names() and name.lower() not in NOT_SCHOOLS:
            yield m.start(group), m.end(group)
    for m in SCHOOL_BEFORE_GROUP.finditer(text):
        if m.group(1).lower() in words.not_names():
            continue
        if words_before(text, m.start(), limit=1) < m.start() and not sentence_word(
            text, m.start()
        ):
            continue  # "Sem de Vries (groep 5)": a surname after a first name
        yield m.start(), m.end()
    for m in SCHOOL_CONTEXT.finditer(text):
        name = m.group("name")
        if name.lower() in words.not_names() or _acronym(name) or name.endswith("school"):
            continue  # "...school" is found above, as one word
        article = m.group().split()[-2]
        attends = m.group().split(maxsplit=1)[0] in ("zit", "zat", "zitten", "zaten")
        strong = m.group("strong") or attends  # "Niels (8) zit op de Vlieger"
        if article[0].islower() and _dutch_word(name.lower()) and not strong:
            continue  # "van de Bibliotheek", "op het Kinderdagverblijf"
        if name.lower() in NOT_SCHOOLS:
            continue
        # A capitalised article is part of the name ("De Springplank"), "de" is not.
        yield m.start("name") - (len(article) + 1 if article[0].isupper() else 0), m.end()


def _surname_van(text: str, before: int, at: int) -> bool:
    """Is "van De ..." at `at` part of a surname: is the word before it a first name?

    "Sanne van 't Erve" is a person; "Iemand van De Vuurtoren" (a capitalised Dutch word)
    and "Jolanda Mulder van De Wissel" (a first name and a surname already) are not.
    """
    word = text[before:at].strip()
    if not word[:1].isupper():
        return False
    low = word.lower()
    if _dutch_word(low) and low not in words.first_names() and low not in words.name_words():
        return False  # "Iemand van De Vuurtoren hier?"
    # "Jolanda Mulder van De Wissel": a first name before the word makes the word a surname
    # already; "Juf Sanne van 't Erve", "Ook Lotte van 't Veer": a title or a sentence word
    # before a first name does not.
    earlier = words_before(text, before, limit=1)
    first = text[earlier:before].strip().lower()
    is_first = first in words.first_names() or first in words.extra_first_names()
    return not (earlier < before and is_first and first not in words.not_names())


@lru_cache(maxsize=64)
def _school_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    full, short = set(), set()
    for name in names:
        for i, variant in enumerate(school_variants(name)):
            (full if i == 0 else short).add(variant)
    if not full and not short:
        return None
    # The full name in any case; its distinctive part ("De Regenboog") with a capital, so a
    # drawing of "de regenboog" is no school.
    alternatives = [re.escape(v) for v in sorted(full, key=len, reverse=True)]
    alternatives = ["(?i:" + a + ")" for a in alternatives]
    for v in sorted(short, key=len, reverse=True):
        first, rest = v.split(maxsplit=1) if " " in v else ("", v)
        head = "(?i:" + re.escape(first) + ")" + _SPACE + "{1,3}" if first else ""
        alternatives.append(head + re.escape(rest[0]) + "(?i:" + re.escape(rest[1:]) + ")")
    return re.compile(r"(?<![\w'’-])(?=[^\W\d_])(?:" + "|".join(alternatives) + r")(?![\w'’-])")


# "Achter de Regenboog" is a charity for grieving children, not the school De Regenboog.
_NOT_SCHOOL_BEFORE = re.compile(r"(?i)\bachter[ \t]$")


def region_schools(text: str, names) -> list[tuple[int, int]]:
    pattern = _school_pattern(tuple(names))
    if not pattern:
        return []
    return [
        (m.start(), m.end())
        for m in pattern.finditer(text)
        if not _NOT_SCHOOL_BEFORE.search(text, max(0, m.start() - 7), m.start())
    ]


def school_variants(name: str) -> list[str]:
    """A school is named in full or by its distinctive part ("De Regenboog")."""
    name = name.strip()
    parts = name.split(maxsplit=1)
    variants = [name]
    if len(parts) == 2 and parts[0].lower() in SCHOOL_PREFIXES:
        variants.append(parts[1])
    return [v for v in variants if len(v) >= 4]
