"""Finding the names of pupils, family members and teachers: word lists plus context rules.

Linear in the length of the text: one pass over the words, and every look around a word
(back to the start of the sentence, on over a surname) is bounded.
"""

import bisect
import re
from functools import cache, lru_cache

from . import words
from .patterns import NON_ANSWERS, SCHOOL_PREFIXES, WORD, lower_case_writer, words_before

# Names after these words are adults (teachers; parents addressed formally): "juf [naam]".
ADULT_TITLES = frozenset(
    {"juf", "meester", "meneer", "mevrouw", "mw", "mevr", "dhr", "mr", "dr", "dokter", "heer"}
    | {"mrs", "ms", "miss"}  # parents who write in English: "Dear Mrs. Peters"
)
ADULT_REPLACEMENT = "[naam]"
ABBREVIATED_TITLES = frozenset({"dr", "mw", "mevr", "dhr", "mr", "fam", "mrs", "ms"})
PRONOUNS = frozenset(
    {"ik", "jij", "je", "u", "hij", "zij", "ze", "we", "wij", "jullie", "er", "het", "dat"}
)
# A bracket right after a word with an age, a group or a birth date: "Roos (9)", "Bo (groep 3)".
BRACKET = re.compile(
    r"\s{0,2}\(\s?(?:\d{1,2}(?:\s?(?:jaar|jr\.?))?\s?[),;]|groep\b|gr\.|gr\s?\d|geb\b|geb\.|geboren\b|bsn\b"
    # "Sofiia (zeven)", "Armando Sordam (oom van Djaimy)", "Winta (de jongste)".
    r"|(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)(?:\sjaar)?\s?[),;]"
    r"|(?:oom|tante|moeder|vader|broer|zus|opa|oma|neef|nicht|stiefvader|stiefmoeder)\s(?:van|uit)\b"
    r"|de\s(?:jongste|oudste)\)"
    # A role or a class in a list of who was there: "Pauline (ib), Miep (1/2a)", "Olena
    # (mama van Sofiia)".
    r"|(?:mama|papa|moeder|vader)\s(?:van\b|\))|\d/\d[a-z]?\)|\d[a-z]\)"
    # "Mandy (moeder Jurre)", "Ahmed (vader Bilal)": the parent of a pupil named after it.
    r"|(?:mama|papa|moeder|vader|opa|oma)\s(?-i:[A-Z])[\w'’-]{1,30}\)"
    # Who someone is to the pupil in a contact list: "Gracia (moeder), 06 ...", "Naser
    # (oom)", "Yan (voogd)"; and "Storm (jongen, groep 3)".
    r"|(?:moeder|vader|mama|papa|oom|tante|opa|oma|voogd|pleegmoeder|pleegvader|stiefvader"
    r"|stiefmoeder|broer|zus|buurvrouw|buurman|oppas)\s?\)|(?:jongen|meisje),"
    r"|(?:ib|ib'er|ib-er|iber|leerkracht|lk|directeur|directrice|logopedist|logopediste"
    r"|rt|rt'er|smw|jgz|intern begeleider|gedragsspecialist|zorgco[öo]rdinator|invaller"
    r"|stagiair|stagiaire|onderwijsassistent|oa|voorzitter|notulist|co[öo]rdinator"
    r"|jeugdverpleegkundige|schoolarts|tolk|ambulant begeleider|ab'er)\s?[),])",
    re.IGNORECASE,
)
AGE_OR_GROUP_BRACKET = re.compile(r"\s{0,2}\(\s?(?:\d|groep\b|gr\b|gr\.)", re.IGNORECASE)
# The first word of a line in a list of pupils: "Mariya – inhalator om 12:00", "• Tygo:
# praat nog weinig", "- Stoyan - eerste dag".
# A colon only after a bullet: "E-mail: ..." and "Lesidee: ..." are a form's or a note's labels.
LIST_ENTRY = re.compile(r"[ \t]{0,4}(?:([-*•·>✅⚠️️]{1,3})[ \t]{0,3})?$")
LIST_SEPARATOR = re.compile(r"[ \t]{1,2}[–—-][ \t]|(:)[ \t]")
# The line after a greeting is the writer's name: "Groet,\nHuub", "Liefs,\nAnouk".
SIGN_OFF = re.compile(
    r"(?im)^[ \t]*(?:groet|groeten|groetjes|gr|mvg|met vriendelijke groet|vriendelijke groet"
    r"|hartelijke groet|met hartelijke groet|liefs|dank|bedankt|dankjewel|hgr|x|xx|xxx"
    r"|dank u wel|dank je wel|alvast bedankt|hartelijk dank|met groet|vriendelijke groeten)"
    r"[ \t]*[,!.]?[ \t]*\n[ \t]*(?=[A-Z])"
)
# A greeting at a line's start: "Beste Giorgos,", "Hoi Patrick,", "Dag Mariela, wil je ...".
SALUTATION = re.compile(
    r"(?im)^[ \t]*(?:beste|dag|hoi|hallo|hai|hey|hee|lieve|goedemorgen|goedemiddag"
    r"|goedenavond|geachte)[ \t]+(?=[^\W\d_])"
)
SALUTATION_END = re.compile(r"[ \t]*[,!]|[ \t]*\r?$", re.M)
# A chat's speaker after the time: "[16:42] Halyna: ...", "12-03-24 16:42 - olena: ...".
CHAT_SPEAKER = re.compile(
    r"(?m)^[ \t]*\[?(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4},?[ \t]{1,2})?\d{1,2}[:.]\d{2}\]?"
    r"[ \t]{0,2}(?:[-–][ \t]{0,2})?(?=[^\W\d_][\w'’-]{0,30}:)"
)
# The speaker before the time: "Joke 15:02: de nieuwe leerling ...".
# Also with a surname, and a time that ends the line (the message below): "Frank 13:41",
# and the time in brackets: "Tarek Alshami (08:20): Is er morgen gym?".
CHAT_SPEAKER_FIRST = re.compile(
    r"(?m)^[ \t]*(?=[^\W\d_][\w'’-]{0,30}(?:[ \t][^\W\d_][\w'’-]{0,30})?[ \t]{1,2}"
    r"(?:\[\d{1,2}[:.]\d{2}\]|\(\d{1,2}[:.]\d{2}\)|\d{1,2}[:.]\d{2})(?::|[ \t]*\r?$))"
)
# A line of a chat or a transcript without times: "Wendell: Quincy heeft hem".
SPEAKER_LINE = re.compile(r"(?m)^[ \t]*(?=[A-Z][a-z]{1,15}:[ \t])")
MIN_SPEAKER_LINES = 3
# Initials before a surname: "J. de Boer", "K. Sijbesma", "H. Postma, directeur"; not a
# letter that ends a sentence: "Zie bijlage B. Daarna", "Plan B. Iedereen".
_INITIAL_PARTICLES = r"(?:(?:van|de|der|den|ter|ten|te|'t)[ ]){0,3}"
INITIALS = re.compile(
    r"(?<![\w.])(?:[A-Z]\.[ ]?){1,3}[ ]?(?=" + _INITIAL_PARTICLES + r"[A-ZÀ-ÖØ-ÞŁŚŽŠČĆ][a-zà-ÿ])"
)
INITIAL_PARTICLES = re.compile(_INITIAL_PARTICLES)
LETTER_LABEL = re.compile(
    r"(?i)\b(?:bijlage|bijlagen|plan|groep|stap|fase|optie|vraag|deel|niveau|avi|klas|lokaal"
    r"|route|variant|versie|model|type|blok|vak|punt|item|hoofdstuk|paragraaf|les|thema|kolom"
    r"|rij|gebouw|ingang|vleugel|vitamine|categorie|schema|rapport|cijfer|score)[ ]{1,2}$"
)
# Where a line holds a phone number, an e-mail address, a BSN or a date, the words at its
# start before a separator are whose they are: "Chadrick Winklaar: 0638777490", "Maduro,
# Yudelka — 06-...", "Yifan Wong,8a,188210672", "Liu, Haoran\tgr 4\t12-12-2015".
_CAP = r"[A-Z][\w'’-]{1,30}"
_ENTRY_PARTICLES = r"(?:[ ](?:van|de|der|den|ter|ten|te|'t|el|al|ben|bin|da|dos|do))"
ENTRY_NAMES = re.compile(
    r"(?m)^[ \t]{0,4}(?:[-*•·>]{1,3}[ \t]{0,3})?"
    r"(" + _CAP + r"(?:" + _ENTRY_PARTICLES + r"{0,3}[ ]" + _CAP + r"){0,3})"
    r"(?:,[ ]?(" + _CAP + r"(?:[ ]" + _CAP + r"){0,2}))?"
    r"(?=[ \t]{0,2}(?:[:–—|;,\t]|-[ \t]|\())"
)
NEWLINE = re.compile("\n")
MAX_PARTICLES = 3  # "van der", "van de", "van 't": never more than three in a row
# Particles that are mostly prepositions: "juf Anouk op de Regenboog" is no surname, so
# after these a surname must be a known one.
PREPOSITION_PARTICLES = frozenset({"op", "in", "te", "het"})
# ... unless "'t", "den" or "der" follows: "Merel in 't Zandt", "Bas op den Akker".
SURNAME_PARTICLES = frozenset({"'t", "den", "der"})
# An author in a list of sources: "Taylor, G., Anderson, R."
CITATION = re.compile(r",\s?[A-Z]\.(?:\s?[A-Z]\.){0,4}[,\s]")
# "over wytse, hij bijt ...": a pronoun right after a comma makes the word before it a person.
PRONOUN_AFTER = re.compile(r",\s?(?:hij|zij|ze)\s", re.IGNORECASE)
# "Xandro uit groep 6", "Xandro, 8 jaar,": a group or an age right after a word, no bracket.
GROUP_AFTER = re.compile(
    r"(?:\s{1,2}(?:uit|in|van)|,)\s{1,2}(?:groep|gr\.?)\s?\d|,\s?\d{1,2}\s?(?:jaar|jr)\b"
    # "Emir Hodžić, 6, komt ...", "Max, een jongen van zeven jaar, ..."
    r"|,\s?\d{1,2}\s?[,)]|,\s(?:een|mijn|onze)\s(?:jongen|meisje|leerling|kleuter|zoon|dochter|kind)\b",
    re.IGNORECASE,
)
# A form's line that names a person: "Naam kind: Oleksandr Bondarenko", "Contactpersoon:
# Iryna Bondarenko, +31 6 ...". What follows the label up to the end of the name is a name.
FORM_LABEL = re.compile(
    r"(?im)^[ \t*•-]{0,4}(?:(?:roep|voor|achter|meisjes|geboorte)?naam"
    r"(?:[ \t](?:van[ \t](?:het|de)[ \t])?[a-z0-9]{1,12}){0,2}"
    r"|contactpersoon(?:[ \t][a-z]{2,12})?|leerling|kind|moeder|vader|verzorger|ouder|ouders"
    r"|voogd|broer|zus|mentor|leerkracht|ouder/verzorger(?:[ \t]\d)?|verzorger[ \t]\d|betreft"
    r"|groepsleerkracht|ib'?er|ib-er|intern[ \t]begeleider|huisarts|contact|aanvrager"
    r"|aanwezig|afwezig|afgemeld"  # the minutes of a meeting: "Aanwezig: Artem, ..."
    # who wrote a log or an observation: "Pedagogisch medewerker: Kelly"
    r"|(?:pedagogisch[ \t])?medewerker|observator|observant|begeleider|notulist|verslag)"
    r"[ \t]{0,3}:[ \t]{0,3}(?=[A-Z])"
)
# The labels whose value is a name whatever the word: "Roepnaam: Bao", "Voornaam: Mo".
NAME_FIELD = re.compile(
    r"(?im)^[ \t*•-]{0,4}(?:roep|voor|achter)?naam(?:[ \t](?:leerling|kind|ouder|moeder|vader))?"
    r"[ \t]{0,3}(?::|[ \t]-)[ \t]{0,3}(?=[A-Z])"  # "Naam leerling - Jiayi Zhou" too
)
# Words after which "van" + a word is the person it is about: "moeder van Dmytro", "het BSN
# van Maksym", "de postcode van Kimani".
ABOUT_PERSON = frozenset(
    {"bsn", "postcode", "adres", "telefoonnummer", "geboortedatum", "dossier", "naam",
     "verjaardag", "groepsplan", "ontwikkelingsperspectief", "opp", "rapport", "klasgenoot",
     "klasgenootje", "vriend", "vriendje", "vriendin", "vriendinnetje", "verhaal", "ouders"}
)  # fmt: skip
# Titles and particles after which a lower-case tussenvoegsel starts a surname: "mevrouw van
# Dijk", "familie de Boer" (after other triggers only with a capital: "gezin De Graaf").
SURNAME_TITLES = ADULT_TITLES | {"familie", "fam", "gezin"}
# "Dirk" in "bij de Dirk" is a shop, a school or a hospital: no person has "de";
# "het" only after a preposition ("naar het Sophia"), since "omdat het Daan lukt" is Daan.
PLACE_ARTICLES = frozenset({"de"})
PLACE_PREPOSITIONS = frozenset({"aan", "bij", "in", "naar", "naast", "op", "uit", "vanuit", "voor"})
# Words that give a name: after a toy or a pet ("onze klassenpop heet Pompom") no person's.
NAMING = frozenset({"heet", "heette", "heten", "hieten", "genaamd", "noemen", "noemden", "genoemd"})
# After these a capitalised word is a place, even one that is also a name ("uit India").
PLACE_ONLY = frozenset({"in", "uit", "vanuit", "te"})
# Buildings and places named after someone: "de Julianatoren", "het Wilhelminapark".
PLACE_ENDINGS = (
    "toren", "park", "plein", "brug", "kerk", "straat", "laan", "weg", "hal", "huis", "museum",
    "bos", "kade", "gracht", "zaal", "haven", "dorp", "stad", "plantsoen",
)  # fmt: skip
# Before a place's second word: "São Paulo", "San Francisco", "Santa Cruz".
PLACE_FIRST_WORDS = frozenset({"são", "san", "santa", "santo", "sankt", "saint", "los", "las"})
# "Kelly, moeder van Ryan", "Ik ben Kalinda, moeder van Shakti": a person's role after a comma.
ROLE_APPOSITION = re.compile(r",[ \t]{1,2}(?:de[ \t])?([a-z]{2,12})[ \t]van[ \t]")
# "een nieuw meisje in mijn groep, Yoana, uit Bulgarije": the name between commas.
PERSON_NOUN_BEFORE = re.compile(
    r"(?i)\b(?:meisje|meid|jongen|jongetje|knul|leerling|leerlinge|kind|kleuter|zoon|dochter"
    r"|broertje|zusje|broer|zus|nichtje|neefje|(?:schoon|stief|pleeg)?(?:moeder|vader)"
    r"|oma|opa|tante|oom|buurman|buurvrouw)\b[^,.!?\n]{0,30},[ \t]$"
)
# A text's last line or sentence that is only a first name and perhaps a surname: the
# writer's name ("... Dank je! Aukje", "... in India. Priyanka Reddy").
# A lower-case writer's sign-off on one line at the end: "mvg merel".
LOWER_SIGN_OFF = re.compile(
    r"(?m)^[ \t]*(?:mvg|groetjes|groeten|groet|gr|liefs|dank)[ \t]*,?[ \t]{1,3}"
    r"(?=[a-z]{3,20}[ \t]*\Z)"
)
# A known first name spoken to at the start of a text or a line: "Mark, je moet het rapport
# van Lieke nog even ..." (not "Dus, je").
VOCATIVE_AFTER = re.compile(
    r",[ \t](?:je|jij|jullie|kun|kan|kunnen|wil|wilt|zou|heb|ben|mag|moet|weet|denk)\b"
)
END_SIGNATURE = re.compile(
    r"(?:[.!?][ \t]{1,3}|\n[ \t]*)(?=[A-Z])[\w'’-]{2,30}(?:[ \t][A-Z][\w'’-]{1,30})?[ \t]*\Z"
)
# Salutations and prepositions after which a lower-case writer names a person: "hoi jasmijn",
# "met oksana gebeld".
GREETINGS = frozenset({"hoi", "dag", "beste", "hallo", "hey", "hee"})
LOWER_NAME_BEFORE = GREETINGS | {"met", "van"}
CALLED_AFTER = re.compile(r",[ \t]{1,3}(?i:roepnaam|bijnaam|ook wel)\b")
CLAUSE_END = re.compile(r"[ \t]*(?:[.,;:!?]|$)")
PLURAL_NAMING = frozenset({"heten", "hieten", "noemen", "noemden"})
POSSESSIVES = frozenset({"zijn", "haar", "z'n", "d'r"})
# Words that end like a verb form ("met" like "zet") but are none.
NOT_VERBS = frozenset(
    {"dat", "echt", "eerst", "het", "juist", "laatst", "meest", "met", "net", "niet", "nooit",
     "ooit", "tot", "vast", "want", "wat", "best", "dit", "liefst", "tegelijk", "erg"}
)  # fmt: skip
# Verbs that things do as often as people ("Padlet werkt", "Ouderportaal helpt niet"): only
# the verb list makes them a person's.
THING_VERBS = frozenset(
    {"bestaat", "betekent", "bevat", "biedt", "duurt", "gebeurt", "geldt", "hangt", "helpt",
     "klopt", "kost", "levert", "lukt", "ontbreekt", "past", "telt", "werkt", "zorgt"}
)  # fmt: skip
_NAME = r"[A-Z][\w'’-]{1,30}"
_PARTICLES = r"(?:\s(?:van|de|der|den|ter|ten|te|'t|in|op))"
# "liedjes van Henk Westbroek", "geschreven door Paul Biegel": a first name and a surname after
# a kind of work are its author or singer, no pupil. Only with a surname: "de tekening van
# Daan" is a pupil's.
WORK_BY = re.compile(
    r"(?<![\w'’-])(?=[^\W\d_])"
    r"(?i:liedjes|liedje|liederen|lied|muziek|album|cd|films?|series?|boeken|boekje|boek|romans?"
    r"|prentenboeken|prentenboek|theorie|onderzoek|documentaire|lezing|artikel|column|programma"
    r"|gedichten|strips|voorstellingen|voorstelling|shows?|methode|podcasts?|filmpjes|video's"
    r"|nummers|geschreven|gezongen|bedacht|ge[iï]llustreerd)"
    r"\s{1,3}(?i:van|door)\s{1,3}(" + _NAME + _PARTICLES + r"{0,2}\s" + _NAME + ")"
)
# A title in quotes after a book, a film or reading: "we lezen 'Pluk van de Petteflet'". Not
# quoted speech: "Hij riep: 'Daan is stom'" has no such word before it.
# A quoted sentence with a number in it, as a sum or an exercise is written.
# (The digit is checked in Python: a pattern that looks for it inside the quote backtracks.)
EXERCISE_QUOTE = re.compile(r"[\"“„‘'](?=[A-Z])([^\"“”„‘’'\n]{1,240})[\"”’']")
EXERCISE_WORDS = re.compile(
    r"(?i)\b(?:som|sommen|\w+som|opgave|opgaven|oefening|rekenen|reken\w*|werkblad|"
    r"methode|lesboek|werkboek|gynzy|snappet|getal & ruimte|wereld in getallen|pluspunt)\b"
)
# A sentence about a method's text, sum or figures names its people: "In Alles telt staat een
# som over Kees", "In de methode Estafette komt een tekst voor over een jongen die Tim heet",
# "In de nieuwe rekenmethode heten de vaste figuren Bas en Lot". Both a method and a part of
# it must be named ("tijdens het rekenen sloeg Daan" is a pupil).
METHOD_SENTENCE = re.compile(r"[^.!?\n]{1,400}")
METHOD_NAME = re.compile(
    r"(?i)\b(?:\w*methode|alles telt|estafette|taal actief|staal|pluspunt|wereld in getallen"
    r"|getal (?:&|en) ruimte|veilig leren lezen|snappet|gynzy|taalverhaal|lijn 3|wizwijs"
    r"|blink|naut|meander|brandaan|kim[- ]versie|leesfontein|nieuwsbegrip)\b"
)
METHOD_PART = re.compile(
    r"(?i)\b(?:som|sommen|opgave|opgaven|tekst|teksten|verhaal|verhaaltje|figuren|figuurtjes"
    r"|personage|personages|hoofdpersoon|hoofdpersonen|dictee|leestekst)\b"
)
# Toys and animals written as compounds ("schoolhond Bobbie", "klassenknuffel Beer").
PET_ENDINGS = ("hond", "pop", "knuffel", "konijn", "kat", "poes", "cavia", "hamster", "mascotte",
               "paard", "pony", "schildpad", "vogel", "kip", "geit", "schaap", "beer")  # fmt: skip
QUOTED_TITLE = re.compile(
    r"(?<![\w'’-])(?=[^\W\d_])"
    r"(?i:boek|boekje|prentenboek|voorleesboek|film|filmpje|serie|verhaal|liedje|lied|gedicht"
    r"|titel|musical|toneelstuk|voorstelling|thema|lezen|lees|las|lazen|voorlezen|voorgelezen"
    r"|gelezen|kijken|keken|zingen|zongen)"
    r"\s{1,3}(?:(?i:we|wij|ik|ze|zij|hij|jullie|nu|samen|vaak|graag|het|de|een|van)\s{1,3}){0,2}"
    r"[\"“„‘'](?=[A-Z])([^\"“”„‘’'\n]{1,60})[\"”’']"
)
# A title in quotes that the sentence goes on to call a work, or gives an author: "'Tiny gaat
# naar school' is een fijn voorleesboek", "In 'Kees de jongen' van Theo Thijssen". Quoted
# speech is neither: "'Daan is stom', riep hij".
TITLE_THEN_WORK = re.compile(
    r"(?<![\w'’])[\"“„‘'](?=[A-Z])([^\"“”„‘’'\n]{1,60})[\"”’']"
    r"(?:(?=[^.!?\n]{0,40}?(?<![\w-])(?i:voorlees|prenten|lees)?(?i:boek|boekje|boeken|film|serie"
    r"|liedje|lied|spel|game|verhaal|gedicht|musical|toneelstuk|strip)(?![\w-]))"
    r"|\s{1,3}(?:van|door)\s{1,3}(" + _NAME + _PARTICLES + r"{0,2}\s" + _NAME + "))"
)
# A work's title right before "van" + its author: "Floortje van Jacques Vriens".
TITLE_BEFORE = re.compile(r"\s(?:van|door)\s{1,2}$")


def _phrases(lines) -> re.Pattern:
    """One pattern for a list of phrases, its branches grouped by their first letter.

    The engine tries every branch at every word start; grouped, a word start costs one
    branch per letter ("a(?:nne frank|strid lindgren)|b(?:...)") instead of one per phrase.
    """
    by_letter: dict[str, list[str]] = {}
    others = []
    for line in lines:
        if _starts_with_letter(line):
            by_letter.setdefault(line[0], []).append(line[1:])
        else:
            others.append(line)  # "(?:emma|sophia) kinderziekenhuis"
    branches = [f"{c}(?:{'|'.join(rest)})" for c, rest in by_letter.items()] + others
    return re.compile(
        # An opening quote may come before: "'Berend Botje'", not a word: "d'r".
        r"(?<![\w-])(?<!\w['’])(?=[^\W\d_])(?:" + "|".join(branches) + r")(?!\w|['’]\w)",
        re.IGNORECASE,
    )


def _starts_with_letter(line: str) -> bool:
    """May the first letter of a phrase be split off: "anne frank", not "e?mma" or "a|b"?"""
    if not (len(line) > 1 and line[0].isalpha() and line[0].islower()):
        return False
    if not (line[1].isalpha() or line[1] in " -'"):
        return False  # a quantifier or a group right after the letter
    depth, escaped, in_class = 0, False, False
    for c in line:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False  # "a|b": the letter would belong to the first branch only
    return True


@cache
def _all_first_names() -> frozenset[str]:
    """Both first-name lists in one set (made once: a union per word would cost 14,000)."""
    return words.first_names() | words.extra_first_names()


@cache
def _not_name_phrases() -> re.Pattern:
    return _phrases(words.not_name_phrases())


@cache
def _public_names() -> re.Pattern:
    return _phrases(words.public_names())


@cache
def _character_phrases() -> re.Pattern:
    return _phrases(phrase for phrase, _ in words.characters())


@lru_cache(maxsize=8)
def _case_sensitive(pattern: re.Pattern) -> re.Pattern:
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


@cache
def _works() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    """The works whose characters the list names ("frozen = elsa, olaf"), each on its own."""
    return tuple(
        (re.compile(phrase, re.IGNORECASE), names) for phrase, names in words.characters() if names
    )


TIME_AT_LINE_START = re.compile(r"(?:^|\n)[ \t]*\d{1,2}[:.]\d{2}$")


def sentence_start(text: str, start: int) -> bool:
    """Does the word at start begin a sentence (or the text)?"""
    k = start
    while k > 0 and text[k - 1].isspace():  # only the spaces right before this one word
        k -= 1
    if k == 0 or "\n" in text[k:start]:
        return True  # a new line starts a new sentence or an item of a list
    if text[k - 1].isdigit() and TIME_AT_LINE_START.search(text, max(0, k - 12), k):
        return True  # an observation log: "10.02 Jeandro duwt Kenrick"
    # Markdown marks a new sentence too: "- **Vraag niet door**", "### Kleuters".
    return text[k - 1] in ".!?:;\"'([“‘•*_#>" or (k < start and text[k - 1] in "-–—")


def find_names(text: str, add, numbers: list[int] | None = None) -> None:
    """Find the names in text; ``numbers``: where the guard found a phone number, an
    e-mail, a BSN or a date (found here when not given)."""
    known, tricky, extra = words.first_names(), words.name_words(), words.extra_first_names()
    not_names, particles = words.not_names(), words.tussenvoegsels()
    named: set[int] = set()  # where each name found so far starts
    add_finding = add

    def add(kind, start, end, replacement=None):
        named.add(start)
        add_finding(kind, start, end, replacement)

    masked = _masked(text)
    tokens = [t for t in WORD.finditer(text) if t.start() not in masked]
    lows = [_particle(t) for t in tokens]
    ends: set[int] = set()  # indexes of tokens that end a name
    found: list[tuple[int, int]] = []  # token indexes (first, last) of each name
    name_fields = {m.end() for m in NAME_FIELD.finditer(text)}
    form_starts = {m.end() for m in FORM_LABEL.finditer(text)} | name_fields
    about = words.family_words() | ABOUT_PERSON
    pets: set[str] = set()  # names this text gave to a toy or an animal
    listed: set[int] = set()  # tokens on a list of pets' names ("heten Henny, Gerda en Truus")
    signed = {m.end() for m in SIGN_OFF.finditer(text)}
    lower_signed = {m.end() for m in LOWER_SIGN_OFF.finditer(text, max(0, len(text) - 60))}
    if (m := END_SIGNATURE.search(text, max(0, len(text) - 80))) and m.start() > 0:
        signed.add(m.end() - len(m.group().lstrip(".!?\n \t")))
    # A writer who types no capital at all ("ik heb net met oksana gebeld"): the names in
    # the lists count after a greeting or a preposition as well.
    lower_writer = lower_case_writer(text)
    greeted = {m.end() for m in SALUTATION.finditer(text)}
    speakers = {m.end() for m in CHAT_SPEAKER.finditer(text)}
    # A known first name next to a time is a person even where it is also a word ("Joke
    # 15:02:", "[16:42] Roos:"); an unknown word before a time is not ("Snappet 9.00:").
    timed = speakers | {m.end() for m in CHAT_SPEAKER_FIRST.finditer(text)}
    speaker_lines = [m.end() for m in SPEAKER_LINE.finditer(text)]
    if len(speaker_lines) >= MIN_SPEAKER_LINES:
        speakers.update(speaker_lines)
    initialled = {
        # Where the surname starts, after its particles ("J. de Boer"): the name's start.
        INITIAL_PARTICLES.match(text, m.end()).end(): m.start()
        for m in INITIALS.finditer(text)
        if not LETTER_LABEL.search(text, max(0, m.start() - 20), m.start())
    }
    line_starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def line_start_of(pos):
        return line_starts[bisect.bisect_right(line_starts, pos) - 1]

    found_numbers = _numbers(text) if numbers is None else numbers
    # "L. slaat in de rij": a pupil written as one initial, at a sentence's start before a
    # verb of the person-verb list.
    for m in SINGLE_INITIAL.finditer(text):
        if m.group(1).lower() in words.person_verbs() and sentence_start(text, m.start()):
            add("name", m.start(), m.start() + 2)
    # "gedoe met K., hij schopte", "Casus: T. (groep 7, 11 jaar)": one initial with a pronoun
    # or a group right after it.
    for m in INITIAL_PUPIL.finditer(text):
        add("name", m.start(), m.start() + 2)
    # "Achternaam: van der Meer": a surname field that starts with its tussenvoegsel.
    for m in SURNAME_FIELD.finditer(text):
        add("name", m.start(1), m.end(1))
    _entry_names(text, add, masked, {line_start_of(p) for p in found_numbers})

    def salutation(i):
        # "Beste Giorgos,": the greeted person, up to a comma, "!" or the line's end.
        if tokens[i].start() not in greeted:
            return False
        end = _surname_end(tokens, lows, i)
        return SALUTATION_END.match(text, tokens[end].end()) is not None

    def list_entry(tok):
        line_start = line_start_of(tok.start())
        if tok.start() - line_start > 8:
            return False
        bullet = LIST_ENTRY.match(text, line_start, tok.start())
        separator = LIST_SEPARATOR.match(text, tok.end())
        return bool(bullet and separator and (bullet.group(1) or not separator.group(1)))

    def role_after_surname(i):
        # "Lei Smeets (ib)": the bracket follows the surname.
        return (
            i + 1 < len(tokens)
            and tokens[i + 1].group()[:1].isupper()
            and _only_space_between(text, tokens[i], tokens[i + 1])
            and BRACKET.match(text, tokens[i + 1].end()) is not None
        )

    def of_person(i):
        """ "moeder van Dmytro", "het BSN van Maksym": "van" after a word about a person."""
        return i > 1 and lows[i - 1] == "van" and lows[i - 2] in about

    def apposition(tok):
        """ "Kelly, moeder van Ryan"; "een meisje in mijn groep, Yoana, uit Bulgarije"."""
        if text[tok.end() : tok.end() + 1] != ",":
            return False  # both need the comma: the one cheap look for most words
        role = ROLE_APPOSITION.match(text, tok.end())
        if role and role.group(1) in about:
            return True
        if CALLED_AFTER.match(text, tok.end()):
            return True  # "Zabihullah, roepnaam Zabi,"
        return text[tok.end() : tok.end() + 1] == "," and bool(
            PERSON_NOUN_BEFORE.search(text, max(0, tok.start() - 50), tok.start())
        )

    def lower_named(i, low):
        """ "hoi jasmijn", "met oksana gebeld", "opa van mees": a lower-case writer's names."""
        prev = lows[i - 1] if i else ""
        if not lower_writer or not (prev in LOWER_NAME_BEFORE or prev in about):
            return False
        if prev in GREETINGS:
            # A greeting opens a line: "hoi jasmijn,", not "de hele dag door"
            start = tokens[i - 1].start()
            return not text[line_start_of(start) : start].strip()
        return low not in tricky or of_person(i)

    i = 0
    while i < len(tokens):
        tok, raw = tokens[i], tokens[i].group()
        core = raw.strip("'’-")
        word = core[:-2] if core[-2:] in ("'s", "’s") else core  # "Sterre's moeder"
        low = word.lower()
        parts = low.split("-")
        if len(parts) > 1 and all(part in known or part in extra for part in parts):
            low = parts[0]  # "Mila-Rose", "Jan-Willem": judged as their first part
        capital = word[:1].isupper()
        prev = lows[i - 1].rstrip(".") if i else ""
        surname_first = low in particles and _surname_after_title(tokens, lows, i, prev, capital)
        # "meester hoekstra zei": chat-style lower case after a title, when it is no word.
        lower_title = (
            not capital
            and prev in ADULT_TITLES
            and len(low) > 2
            and low not in not_names
            and _not_a_word(low)
        )
        speaker = tok.start() in speakers  # "[16:47] jianguo: ..." in lower case too
        if not (capital or low in known or low in extra or surname_first or lower_title or speaker):
            i += 1  # most words: lower case and no name
            continue
        # Not across a tab or a line: "Leerling\tGeboortedatum" are a table's two headers.
        after_trigger = prev in words.name_triggers() or prev in ADULT_TITLES
        if after_trigger:
            gap = text[tokens[i - 1].end() : tok.start()]
            after_trigger = "\t" not in gap and "\n" not in gap and "|" not in gap
        next_word = lows[i + 1] if i + 1 < len(tokens) else ""
        after_name = (
            prev == "en" and (i - 2) in ends and _only_space_between(text, tokens[i - 1], tok)
        )
        # "een jongen uit India", "in Assen (groep 7)": a place, also when it is a name.
        at_place = prev in PLACE_ONLY and _only_space_between(text, tokens[i - 1], tok)

        def bracket(tok=tok, at_place=at_place):
            if at_place:
                return False
            return "(" in text[tok.end() : tok.end() + 3] and BRACKET.match(text, tok.end())

        def group_after(tok=tok):
            return GROUP_AFTER.match(text, tok.end()) is not None

        def family_next(raw=raw, next_word=next_word):
            possessive = raw[-1:] in "'’" or raw[-2:] in ("'s", "’s")
            return possessive and next_word in words.family_words()

        def possessive_family(next_word=next_word, i=i, capital=capital, low=low):
            # "Amber haar vader", "Sevda d'r moeder", "dmytro zn moeder"
            return (
                next_word in POSSESSIVES | {"zn", "d"}
                and i + 2 < len(tokens)
                and lows[i + 2] in words.family_words()
                and _only_space_between(text, tokens[i], tokens[i + 1])
                and (capital or low not in tricky)  # "opgehaald door zijn oom"
            )

        def before_name(i=i, next_word=next_word):
            return next_word == "en" and _is_plain_name(tokens, i + 2)

        if (
            low == "storm"
            and i + 1 < len(tokens)
            and tokens[i + 1].group()[:1].isupper()
            # "door storm Ciarán": in lower case any capitalised word after it is the storm's
            and (not capital or lows[i + 1] in _all_first_names())
            and not _is_surname(lows[i + 1])
            and _only_space_between(text, tok, tokens[i + 1])
        ):
            i += 2  # "Storm Ciara", "Storm Eunice": a storm's name, no person
            continue
        is_name = unknown = False
        if surname_first:
            is_name = True  # "gezin De Graaf", "mevrouw van Dijk"
        elif low in not_names or len(low) < 2:
            is_name = False
        elif low in pets:
            is_name = False  # the class puppet or the school dog again: "dat Lotje meedoet"
        elif _next_in_list(text, tokens, lows, i, listed):
            is_name = False  # "de kippen heten Henny, Gerda en Truus"
            pets.add(low)
            listed.add(i)
        elif (
            prev in words.not_person_triggers()
            or (
                capital
                and len(prev) > 5
                and (prev.endswith(PET_ENDINGS) or prev.startswith("knuffel"))
            )
        ) and not sentence_start(text, tok.start()):  # "haar paard. Bjorn wilde": a new sentence
            # "de knuffel Tim", "onze hamster Max", "schrijver Paul Biegel", "schoolhond Bobbie"
            is_name = False
            if prev not in words.name_triggers():
                pets.add(low)
        elif i and text[tokens[i - 1].end() : tok.start()] == "(":
            is_name = False  # "kind(eren)": the end of a word, no name
        elif (prev == "te" or prev in PLACE_FIRST_WORDS) and _only_space_between(
            text, tokens[i - 1], tok
        ):
            is_name = False  # "geboren te Sofia", "in São Paulo": a place
        elif (
            len(low) > 7
            and low.endswith(PLACE_ENDINGS)
            and low not in known
            and low not in extra
            and prev not in ADULT_TITLES
            and prev not in words.name_triggers()
        ):
            is_name = False  # "de Julianatoren": a building named after someone
        elif (
            prev in NAMING
            or (prev in ("dat", "die") and next_word in NAMING)
            or NAMING & set(lows[i + 1 : i + 4])  # "die de kinderen Lars hebben genoemd"
        ) and _toy_or_pet_before(lows, i):
            is_name = False  # "Onze klassenpop heet Pompom", "een schaap dat Saartje heet"
            pets.add(low)
            if prev in PLURAL_NAMING:
                listed.add(i)
        elif low in words.verb_names() and (prev in PRONOUNS or next_word in PRONOUNS):
            is_name = False  # "Ik ben (groep 6) nieuw", "Ben jij ook ...": the verb
        elif (
            low in words.verb_names()
            and not capital
            and not lower_writer
            and CLAUSE_END.match(text, tok.end())
        ):
            is_name = False  # "dat ik zo'n meester ben.": the verb ends the clause
        elif capital and CITATION.match(text, tok.end()):
            is_name = False  # an author in a list of sources
        elif _after_place_article(text, tokens, lows, i) and (low in known or low in extra):
            is_name = False  # "bij de Dirk", "in het Sophia": a place, no person
        elif low in known and low not in tricky:
            # A known first name, in lower case too ("daan slaat").
            is_name = len(low) > 2 or capital
        elif low in known or low in extra:
            # "roos", "storm", and names from the larger list: a name only with evidence. A
            # name that is also a word needs a verb of the list ("Roos slaat", not "Lieve
            # groet"); one that is none may have any verb form ("Xandro fluistert").
            verb = _verb_after(text, tokens, lows, i, any_form=low not in tricky)
            evidence = (
                (after_trigger and (capital or lower_writer))  # "een leerling mees die"
                or prev in ADULT_TITLES  # "juf wende"
                or bracket()
                # "de hele dag door, groep 2": a word in lower case is no name before a group
                or (group_after() and (capital or low not in tricky or lower_writer))
                or family_next()
                or possessive_family()
                # "door de wijk" is no name, "roos van dijk" is: a name that is also a word
                # needs its capital or a "van" for this
                or (
                    (capital or low not in tricky or next_word == "van")
                    and _followed_by_surname(tokens, lows, i)
                )
                or _unknown_surname_then_verb(text, tokens, lows, i)
                # "wat fleur krijgt" is the word; "mees gooit" at a sentence start the name.
                or (
                    verb
                    and prev not in words.articles()
                    and (
                        capital
                        or low not in tricky
                        or prev in words.name_triggers()
                        or sentence_start(text, tok.start())
                    )
                )
                or before_name()
                or (after_name and capital)
                or PRONOUN_AFTER.match(text, tok.end()) is not None
                or _with_family(lows, i)
                or (capital and (of_person(i) or tok.start() in form_starts))
                or _pair_then_plural_verb(text, tokens, lows, i)
                or (capital and low not in tricky and (list_entry(tok) or tok.start() in signed))
                or (not capital and tok.start() in lower_signed)
                or (
                    capital
                    and VOCATIVE_AFTER.match(text, tok.end()) is not None
                    and not text[line_start_of(tok.start()) : tok.start()].strip()
                )
                or (capital and role_after_surname(i))
                or (capital and apposition(tok))
                or (not capital and lower_named(i, low))
                or (low not in tricky and (tok.start() in speakers or salutation(i)))
                or (capital and tok.start() in timed)  # a known name: "Joke 15:02:"
                or (capital and tok.start() in initialled)
            )
            mid_sentence = capital and not sentence_start(text, tok.start())
            is_name = (bool(evidence) or mid_sentence) and not (at_place and low not in known)
            # A name of the larger list is no Dutch word: what makes an unknown word a name
            # ("Elmedin Begović en Fiyori zitten") makes it one too.
            unknown = not is_name and low not in known
        else:
            unknown = True
        if unknown:
            # An unknown capitalised word is a name after a trigger ("mijn leerling Xandro"),
            # before a bracket with an age or group, with a possessive before "moeder", or
            # next to another name ("Awet en Daan"). Not when the word starts a new sentence
            # after a trigger: "... bij het kind. Na de pauze".
            is_name = bool(
                # "Gedragsprotocol (IB)" on an agenda: a role in brackets makes only a word
                # that is no Dutch word (or a surname) a name; an age or a group, any word.
                (
                    bracket()
                    and (
                        _not_a_word(word)
                        or _is_surname(low)
                        or AGE_OR_GROUP_BRACKET.match(text, tok.end())
                    )
                )
                or family_next()
                or (
                    after_trigger
                    and (
                        not sentence_start(text, tok.start())
                        or _after_abbreviation(text, tokens, i)
                    )
                )
                or ((before_name() or after_name) and low not in words.articles())
                or (
                    (group_after() or _with_family(lows, i) or possessive_family())
                    and _not_a_word(word)
                    and not _acronym(word)  # "naar SBO in groep 6"
                )
                or _unknown_subject(text, tokens, lows, i)
                or _inverted_subject(text, tokens, lows, i)
                or _introduced(tokens, lows, i, lower_writer)
                or lower_title
                or (after_trigger and text[tokens[i - 1].end() : tok.start()].strip() == "(")
                or (_comma_then_name(text, tokens, i) and _not_a_word(word))
                or (
                    low not in not_names
                    and not _acronym(word)
                    and tok.start() in form_starts
                    # "Vader: Onbekend", "Moeder: Gescheiden"; "Naam: Wei Chen" has a surname;
                    # after "Roepnaam:" any word is the name ("Roepnaam: Bao").
                    and (
                        _not_a_word(word)
                        or _unknown_next(tokens, i)
                        or (tok.start() in name_fields and low not in NON_ANSWERS)
                    )
                )
                or (of_person(i) and _looks_like_name(word) and _not_a_word(word))
                or ((tok.start() in speakers or (capital and salutation(i))) and _not_a_word(word))
                or (
                    # "K. Sijbesma", "H. Postma": surnames the word list has as proper names
                    capital
                    and tok.start() in initialled
                    and low not in words.sentence_words()
                    and low not in not_names
                )
                or _two_unknown_words(text, tokens, lows, i)
                or (
                    capital
                    and apposition(tok)
                    and low not in not_names
                    and low not in words.sentence_words()
                )
                or (
                    not capital
                    and len(low) > 3
                    and lower_named(i, low)
                    and low not in not_names
                    and _not_a_word(word)
                )
                or (
                    _not_a_word(word)
                    and low not in not_names
                    and not _acronym(word)
                    and (list_entry(tok) or tok.start() in signed or role_after_surname(i))
                )
            )
        if not is_name:
            i += 1
            continue
        end = _surname_end(tokens, lows, i)
        # The writer who signs is an adult: "Groet,⏎Huub", "mvg sanne".
        signer = tok.start() in signed or tok.start() in lower_signed
        replacement = ADULT_REPLACEMENT if signer or _an_adult(text, tokens, prev, i) else None
        start = tok.start()
        if _first_name_before(text, tokens, lows, i, ends):
            # "Armando Sordam (oom van Djaimy)": the evidence came after the surname.
            start = tokens[i - 1].start()
        start = initialled.get(start, start)  # "H. Postma": the initials are the name's too
        name_end = tokens[end].end()
        if end == i:  # "Sterre's moeder": replace "Sterre", keep "'s"
            name_end = tok.start() + raw.find(word) + len(word)
        add("name", start, name_end, replacement)
        ends.add(end)
        found.append((i, end))
        i = end + 1
    _list_mates(text, tokens, lows, named, add, line_starts)
    _again(text, tokens, lows, found, add)
    _minutes_initials(text, add, line_starts)
    _family_of(text, add, known, not_names)
    _exports_and_nicknames(text, add, known | extra, not_names)
    _mail_senders(text, add)
    # Last: a name the words found already keeps its span ("Kindkaart Hidde Bharos⏎06-...").
    _names_by_layout(text, add, masked | named, found_numbers)


# Minutes name people by their initials: "Aanwezig: JdV (lk gr 6), M.B. (IB), AH" and then
# "JdV meldt ...", "2. AH stelt voor ...". Initials with a particle ("JdV", "WvH", "JvdM",
# "EvL") are a person wherever they stand; capitals alone ("AH", "PK") and dotted ones
# ("M.B.") only on a line of who was there or right before a role in brackets ("A.V. (lk)"),
# and then wherever they come back in the same text.
# (The look behind comes after the first capital: the engine then skips to capitals.)
PARTICLE_INITIALS = re.compile(r"[A-Z](?<![\w.'’-][A-Z])(?:v|vd|vdr|d|t|te|vh)[A-Z](?![\w'’-])")
NOT_PARTICLE_INITIALS = frozenset(
    {"PvdA", "PvdD", "CvB", "RvT", "RvC", "RvdK", "CvdK", "KvK", "PvA", "PvE", "VvE", "OvJ",
     "RvS", "MvT", "CvO", "CvT", "CvI", "BvO", "TvO", "DvD"}
)  # fmt: skip
BARE_INITIALS = re.compile(
    r"[A-Z](?<![\w.'’/&-][A-Z])(?:[A-Z]{1,2}|\.(?:[ ]?[A-Z]\.){1,2})(?![\w'’/&-])"
)
# Dotted initials with a particle ("M.v.d.B.", "R.v.E.") are a person wherever they stand.
DOTTED_PARTICLE_INITIALS = re.compile(
    r"[A-Z](?<![\w.-][A-Z])\.(?:(?:v|d|vd|t|te)\.){1,3}[A-Z]\.(?:[A-Z]\.)?(?![\w'’-])"
)
# Dotted initials in brackets after who someone is: "Ouder (J.T.) dreigt", "My mentor (K.S.)".
BRACKET_INITIALS = re.compile(r"\((?=[A-Z]\.)([A-Z]\.(?:[ ]?[A-Z]\.){1,2})\)")
# In hasty minutes in lower case: "aanw: m.h. (moeder), r. de jong (ib), s. wijnja (ab)".
LOWER_ATTENDEE = re.compile(
    r"(?<![\w.])[a-z]\.(?:[ ]?[a-z]\.){0,2}"
    r"(?:[ ](?:(?:van|de|der|den|ten|ter|'t)[ ]){0,3}[a-z][a-z'’-]{1,30})?(?=[ ]?\()"
)
ATTENDANCE_LINE = re.compile(
    r"(?im)^[ \t\-*•]{0,4}(?:aanwezig(?:en)?|aanw\.?|afwezig|afgemeld"
    r"|met[ \t]kennisgeving[ \t]afwezig"
    r"|present|absent|deelnemers|notulist|notulen|voorzitter|gespreksleider)\b[^:\n]{0,30}:"
    r"([^\n]{1,400})"
)
ROLE_BRACKET = re.compile(r"[ \t]?\((?!\d)[^()\n]{1,40}\)")
# Dotted abbreviations that are no initials: "N.B.", "P.S.", "t.a.v." in capitals.
DOTTED_ABBREVIATIONS = frozenset(
    {"NB", "PS", "AUB", "TAV", "IVM", "OA", "BV", "NV", "ZSM", "RK", "PC", "VO", "SO", "PO",
     "IB", "EO", "DWZ", "TZT", "SVP", "ED", "OV", "AW", "VS", "USA", "UK", "EU", "NL"}
)  # fmt: skip
# Abbreviations of roles and bodies that stand where a person could ("IB", "CJG") ...
_ROLES = frozenset(
    {"IB", "IBER", "CJG", "GGD", "JGZ", "SMW", "AMW", "AB", "OA", "LIO", "PMT",
     "MT", "DIR", "LK", "LKR", "GMR", "MR", "OR", "TSO", "CB", "OT", "ZOT", "SWV", "BJZ", "GI",
     "VT", "POH", "JGT", "WMO", "OPP", "MDO", "HGW", "PAB", "VVE", "ICT", "RT", "BHV", "ZAT",
     "AED", "AVG", "GGZ", "JW", "JB", "HB", "HGPD", "NT", "NT2", "ISK", "AVI", "DMT", "CITO",
     "LVS", "ZIEK", "DUO", "GYM", "KNO", "OK", "TV", "PM", "PR", "ADHD", "ADD", "ASS", "ODD",
     "PDD", "DCD", "TOS", "EEG", "WC", "KT", "ST", "CLB", "MDT", "JGGZ", "IHP", "HP", "GP",
     "SOVA", "KIJK", "VSV", "LGF", "BB", "MB", "OB", "ZMLK", "ZML"}
)  # fmt: skip
# ... and the dotted abbreviations and the schools' prefixes in capitals ("OBS", "BSO").
ROLE_ACRONYMS = _ROLES | DOTTED_ABBREVIATIONS | {p.upper() for p in SCHOOL_PREFIXES if len(p) <= 4}


def _minutes_initials(text: str, add, line_starts: list[int]) -> None:
    """Find people written as their initials in minutes and action lists."""
    people: set[str] = set()
    initials = sorted(
        (m for p in (PARTICLE_INITIALS, DOTTED_PARTICLE_INITIALS, BARE_INITIALS)
         for m in p.finditer(text)),
        key=lambda m: m.start(),
    )  # fmt: skip
    for m in initials:
        if m.re is PARTICLE_INITIALS and m.group() not in NOT_PARTICLE_INITIALS:
            people.add(m.group())
    dotted_people = {m.group() for m in initials if m.re is DOTTED_PARTICLE_INITIALS}
    for m in BRACKET_INITIALS.finditer(text):
        if m.group(1).replace(".", "").replace(" ", "") not in DOTTED_ABBREVIATIONS:
            people.add(m.group(1))
    attendance = [(m.start(1), m.end(1)) for m in ATTENDANCE_LINE.finditer(text)]
    lower: list[tuple[int, int, str]] = []
    for start, end in attendance:
        for m in LOWER_ATTENDEE.finditer(text, start, end):
            surname = m.group().rsplit(" ", 1)[-1]
            if "." in surname or surname not in words.not_names():
                lower.append((m.start(), m.end(), m.group()))
    for m in initials:
        token = m.group()
        if m.re is not BARE_INITIALS or token in people:
            continue
        letters = token.replace(".", "").replace(" ", "")
        if letters in (DOTTED_ABBREVIATIONS if "." in token else ROLE_ACRONYMS):
            continue
        k = bisect.bisect_right(attendance, (m.start(), len(text))) - 1
        on_list = k >= 0 and attendance[k][0] <= m.start() < attendance[k][1]
        line_start = line_starts[bisect.bisect_right(line_starts, m.start()) - 1]
        before_role = ROLE_BRACKET.match(text, m.end()) and LIST_LINE.fullmatch(
            text, line_start, m.start()
        )
        # A text that writes one person as dotted initials with a particle writes the
        # others that way too: "R.v.E. weer te laat, L.K. boos op R.v.E.".
        styled = dotted_people and "." in token
        if on_list or styled or before_role:
            people.add(token)
    people |= dotted_people
    for m in initials:
        if m.group() in people:
            add("name", m.start(), m.end(), ADULT_REPLACEMENT)
    for start, end, _ in lower:
        add("name", start, end, ADULT_REPLACEMENT)
    _again_as_whole(text, {name for _, _, name in lower}, add, ADULT_REPLACEMENT)


# Whose parent someone is names the child, also in lower case and in English: "groetjes
# Sanne (moeder van roos)", "father of Adaeze"; so does whose file it is ("BSN van Lente").
# Found from the linking word: a search for "moeder|vader|..." at every position costs
# more than the rest of the rule ("van" and "of" are rare enough to check the word before).
FAMILY_LINK = re.compile(r"[ \t](van|of)[ \t]([A-Za-zÀ-ÿ][a-zà-ÿ'’-]{1,30})\b")
FAMILY_BEFORE = {
    "van": re.compile(
        r"(?i)\b(?:moeder|vader|mama|papa|oma|opa|broer(?:tje)?|zus(?:je)?|oppas"
        r"|bsn|geboortedatum|dossier|opp|oudergesprek)$"  # "BSN van Lente"
    ),
    "of": re.compile(r"(?i)\b(?:father|mother|dad|mum|mom|grandmother|grandfather|parents?)$"),
}


def _family_of(text: str, add, known, not_names) -> None:
    """Find the child whose parent a text names: "(moeder van roos)", "father of Adaeze"."""
    tricky = words.name_words()
    children: set[str] = set()
    for m in FAMILY_LINK.finditer(text):
        word = m.group(2)
        low = word.lower()
        if word in children or low in not_names:
            continue
        if not FAMILY_BEFORE[m.group(1)].search(text, max(0, m.start() - 16), m.start()):
            continue
        if low in known or low in tricky or (word[0].isupper() and _not_a_word(low)):
            children.add(word)
    # The child's name again, in one pass over the words (one search per child would cost
    # the text's length for each; there may be many: "mama van Aaaa, mama van Aaab, ...").
    for w in WORD.finditer(text) if children else ():
        if w.group().strip("'’-") in children:
            add("name", w.start(), w.start() + len(w.group().rstrip("'’-")))


# A forwarded mail's header names its sender: "Van: An Peeters <an.peeters@clb-kempen.be>",
# and the same name again signs it.
MAIL_SENDER = re.compile(
    r"(?m)^[ \t>]{0,4}(?:Van|From|Aan|To|Cc)[ \t]?:[ \t]{0,3}"
    r"([A-ZÀ-Þ][\w'’-]{1,30}"
    r"(?:[ ](?:(?:van|de|der|den|ter|ten|el|al)[ ]){0,3}[A-ZÀ-Þ][\w'’-]{1,30}){0,3})"
    r"[ \t]{0,3}[<\[(]"
)


def _mail_senders(text: str, add) -> None:
    """Find the people in a mail header and where their names come back."""
    senders = set()
    for m in MAIL_SENDER.finditer(text):
        name = m.group(1)
        if _acronym(name.split()[0]) or name.lower() in words.not_names():
            continue  # "Van: IB <ib@...>": a role's mailbox
        add("name", m.start(1), m.end(1), ADULT_REPLACEMENT)
        senders.add(name)
    _again_as_whole(text, senders, add, ADULT_REPLACEMENT)


# A pupil administration's export: surname, initials, particles, then a cell ("Dijk, S. van
# | gr 5 |", "Öztürk, D. | gr 5").
EXPORT_NAME = re.compile(
    r"(?m)^[ \t]{0,4}([A-ZÀ-Þ][\w'’-]{1,30},[ ](?:[A-Z]\.){1,3}"
    r"(?:[ ](?:van|de|der|den|ter|ten|'t|te)){0,3})(?=[ \t]*(?:\||\t|[–—][ ]|-[ ]|;))"
)
# On a line of who was there, a role and then a person: "zorgcoördinator Griet Vandenberghe".
CAPITAL_PAIR = re.compile(
    r"(?<![\w'’-])([A-ZÀ-Þ][a-zà-ÿ]{1,20}(?:-[A-Z][a-zà-ÿ]{1,20})?)"
    r"((?:[ ](?:van|de|der|den|ter|ten|'t|te|De|Van|Den|Der)){0,3}[ ][A-ZÀ-Þ][\w'’-]{1,30})"
)
# What a pupil is called instead: "Bas (die iedereen Bassie noemt)", "Tijn, die door iedereen
# Tijntje wordt genoemd", "Dasha (eigenlijk Daria Oliinyk)".
_NICK = r"([A-ZÀ-Þ][a-zà-ÿ]{1,20})"
NICKNAME = re.compile(
    r"(?:" + _NICK + r",?[ ]\(?)?"
    r"(?:die[ ](?:iedereen|we|wij|ze|zij|de[ ]klas)[ ]" + _NICK + r"[ ]noem(?:t|en|de|den)\b"
    r"|die[ ]door[ ](?:iedereen|ons|de[ ]klas)[ ]" + _NICK + r"[ ]wordt[ ]genoemd\b"
    r"|(?<=\()(?:eigenlijk|officieel|voluit)[ ]"
    r"([A-ZÀ-Þ][\w'’-]{1,30}(?:[ ][A-ZÀ-Þ][\w'’-]{1,30}){0,2})\))"
)


def _exports_and_nicknames(text: str, add, known, not_names) -> None:
    """Find names in an administration's export, after a role in minutes, and nicknames."""
    exported = set()
    for m in EXPORT_NAME.finditer(text):
        if m.group(1).split(",")[0].lower() not in not_names:
            name = m.group(1).rstrip()
            add("name", m.start(1), m.start(1) + len(name))
            exported.add(name)
    for m in ATTENDANCE_LINE.finditer(text):
        for n in CAPITAL_PAIR.finditer(text, m.start(1), m.end(1)):
            first = n.group(1).split("-")[0].lower()
            last = n.group(2).split()[-1]
            if first not in not_names and (first in known or _not_a_word(last)):
                add("name", n.start(), n.end())
    # The words a nickname needs first: the pattern opens with an optional name, so a search
    # of every position would cost more than the rest of this function.
    nicknamed = any(w in text for w in ("noem", "eigenlijk", "officieel", "voluit"))
    for m in NICKNAME.finditer(text) if nicknamed else ():
        for g in (1, 2, 3, 4):
            if m.group(g) and m.group(g).lower() not in not_names:
                add("name", m.start(g), m.end(g))
    _again_as_whole(text, exported, add)


MAX_AGAIN = 20  # names looked for again in one search; each costs a branch at every position


def _again_as_whole(text: str, names: set[str], add, replacement=None) -> None:
    """Find names already found where they come back as a whole ("r. de jong", "An Peeters",
    "Berg, J. van den"), in one search; names of several words or with dots, unlike _again."""
    if not names:
        return
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)[:MAX_AGAIN])
    for m in re.finditer(r"(?<![\w.'’-])(?:" + alternatives + r")(?![\w'’-])", text):
        add("name", m.start(), m.end(), replacement)


# Who is a parent or another adult of the family: "zijn moeder Mandy", "Mandy (moeder
# Jurre)"; but in "(moeder Jurre)" Jurre is the child.
PARENT_WORDS = frozenset(
    [
        "moeder",
        "vader",
        "mama",
        "papa",
        "oma",
        "opa",
        "oom",
        "tante",
        "voogd",
        "pleegmoeder",
        "pleegvader",
        "stiefmoeder",
        "stiefvader",
        "buurvrouw",
        "buurman",
        "oppas",
    ]
)
PARENT_BRACKET = re.compile(
    r"[ \t]{0,2}\((?i:moeder|vader|mama|papa|oma|opa|oom|tante|voogd)[ \t](?:van[ \t])?"
    r"[A-Z][\w'’-]{1,30}\)"
)


def _an_adult(text, tokens, prev: str, i: int) -> bool:
    """Is the name at token i an adult's (a title or a parent's word before it, or a
    bracket saying whose parent she is after it)?"""
    if prev in ADULT_TITLES:
        return True
    if prev in PARENT_WORDS:  # right before the name, not across a sentence: "moeder. Sem"
        before = tokens[i - 1]
        return (
            text[before.end() : tokens[i].start()] == " "
            and text[max(0, before.start() - 1) : before.start()] != "("
        )
    return PARENT_BRACKET.match(text, tokens[i].end()) is not None


SINGLE_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.[ \t]([a-z]{3,20})\b")
INITIAL_PUPIL = re.compile(
    r"(?<![\w.])(?<![A-Z]\.[ ])[A-Z]\.(?=,[ \t](?:hij|zij|ze)\b|[ \t]\((?:groep|gr\.?)[ \t]?\d)"
)
SURNAME_FIELD = re.compile(
    r"(?im)^[ \t*•|-]{0,4}achternaam[ \t]{0,3}:[ \t]{0,3}"
    r"((?-i:(?:(?:van|de|der|den|ter|ten|te|'t|in|het|op)[ ]){1,3}[A-Z])[\w'’-]{1,30})"
)
LIST_LINE = re.compile(r"[ \t]{0,4}(?:(?:\d{1,3}[.)]|[-*•·])[ \t]{1,3})?$")
LIST_LINE_END = re.compile(r"[ \t]*(?:$|[–—-][ \t]|:|\t|\()", re.M)
MIN_LIST = 3


def _list_mates(text, tokens, lows, named: set[int], add, line_starts: list[int]) -> None:
    """Find the other names of a list that is mostly names already found.

    "Kenrick, Shurandy, Yaritza, Sharlon" and a class list ("1. Adwoa⏎2. Benjamin⏎..."):
    when at least two and at least a third of a list's items are names, its other items that
    are no word are names too. A list is a run of single capitalised words joined by a comma
    or "en", or of lines that each hold one such word (after a number or a bullet, before
    a dash, a colon, a tab or a bracket). One pass over the tokens.
    """
    runs: list[list[int]] = []
    run: list[int] = []
    last = -2  # the token that ends the run's last item ("Koster" of "Sanne Koster")
    line_run: list[int] = []
    line_runs: list[list[int]] = []
    last_line_end = -2
    not_names, tricky = words.not_names(), words.name_words()
    titles = ADULT_TITLES | ABBREVIATED_TITLES
    for k, tok in enumerate(tokens):
        upper = tok.group()[:1].isupper()
        gap = text[tokens[k - 1].end() : tok.start()] if k else ""
        # A lower-case item that can only be a name: "Groep 2: olena, Amber, Lieke". Most
        # words are in no list: look at the commas first, the word lists only then.
        if not upper and not (
            (
                (run and last == k - 1 and gap in (", ", ","))
                or text[tok.end() : tok.end() + 1] == ","
            )
            and _lower_list_name(tok.group(), lows[k], not_names, tricky)
        ):
            continue
        if run and upper and last == k - 1 and _item_goes_on(tokens[k - 1].group(), gap):
            last = k  # "Sanne Koster", "M. Kurt": the same item
            continue
        # A comma list: joined to the item before by ", " or " en ", also with a title
        # before the name ("Artem, meneer Tekle, dhr. Dijkstra").
        titled = upper and k > 1 and lows[k - 1] in titles and gap in (" ", ". ")
        joined_at = k - 2 if titled else k - 1
        if run and (
            (
                last == joined_at
                and text[tokens[joined_at].end() : tokens[joined_at + 1].start()] in (", ", ",")
            )
            or (
                not titled
                and last == k - 2
                and lows[k - 1] == "en"
                and text[tokens[k - 2].end() : tok.start()] == " en "
            )
        ):
            run.append(k)
        else:
            if len(run) >= MIN_LIST:
                runs.append(run)
            run = [k]
        last = k
        if not upper:
            continue
        # A line list: the word is alone on its line but for a number, bullet or tail.
        line_start = line_starts[bisect.bisect_right(line_starts, tok.start()) - 1]
        if (
            tok.start() - line_start <= 12
            and LIST_LINE.match(text, line_start, tok.start())
            and LIST_LINE_END.match(text, tok.end())
        ):
            if not (line_run and last_line_end == line_start - 1):
                if len(line_run) >= MIN_LIST:
                    line_runs.append(line_run)
                line_run = []
            line_run.append(k)
            n = bisect.bisect_right(line_starts, tok.start())
            last_line_end = line_starts[n] - 1 if n < len(line_starts) else len(text)
    for rest, into in ((run, runs), (line_run, line_runs)):
        if len(rest) >= MIN_LIST:
            into.append(rest)
    for items in runs + line_runs:
        found = sum(tokens[k].start() in named for k in items)
        if found < 2 or 3 * found < len(items):
            continue
        # In a list that is two thirds names or more, a word is a name too: "Bao, Ravi,
        # Noor, Lente, Dunya" (a word at the start of a sentence may be the sentence's).
        mostly = 3 * found >= 2 * len(items)
        for k in items:
            word = tokens[k].group()
            if (
                tokens[k].start() not in named
                and len(word) > 1
                and lows[k] not in not_names
                and not _acronym(word)
                and (
                    lows[k] in _all_first_names()
                    or _not_a_word(word)  # "Mees", "Dani"
                    or (
                        mostly
                        and word[:1].isupper()
                        and len(word) > 2
                        and lows[k] not in words.sentence_words()
                        and not sentence_start(text, tokens[k].start())
                    )
                )
            ):
                add("name", tokens[k].start(), tokens[k].end())


def _lower_list_name(word: str, low: str, not_names, tricky) -> bool:
    """Can this lower-case word be an item of a list of names: a first name that is no
    word, or no Dutch word at all ("olena", "robel")?"""
    if len(word) < 3 or low in not_names or not word.isalpha() or low in ABBREVIATED_TITLES:
        return False  # "dhr. Dijkstra": the title
    return (low in _all_first_names() and low not in tricky and _not_a_word(word)) or (
        _not_a_word(word) and low not in words.sentence_words()
    )


def _item_goes_on(previous: str, gap: str) -> bool:
    """Does a capitalised word after ``previous`` (the end of a list's item) belong to the
    same item: a surname after one space, or after an initial ("M. Kurt")?"""
    if previous[:1].isupper() and gap == " ":
        return True
    return len(previous) == 1 and previous.isupper() and gap == ". "


def _again(text, tokens, lows, found, add) -> None:
    """Find a name again where the text names the person once more without evidence:
    "Winta Tesfay lopen ... maar Winta (de jongste) wil niet meer"."""
    if not found:
        return
    not_names, particles = words.not_names(), words.tussenvoegsels()
    taken = {k for first, last in found for k in range(first, last + 1)}
    seen = {
        lows[k]
        for first, last in found
        for k in range(first, last + 1)
        if len(lows[k]) > 2 and lows[k] not in particles and lows[k] not in not_names
    }
    i = 0
    while i < len(tokens):
        # Again in lower case too ("Jordayro ... jordayro heeft weer gebeten"), unless that
        # is a Dutch word.
        if (
            i in taken
            or lows[i] not in seen
            or not (tokens[i].group()[:1].isupper() or _not_a_word(lows[i]))
        ):
            i += 1
            continue
        end = _surname_end(tokens, lows, i)
        add("name", tokens[i].start(), tokens[end].end())
        i = end + 1


def _particle(token) -> str:
    """The lower-cased word; "'t" for the "t" of "in 't Zandt" (a word starts with a letter)."""
    low = token.group().lower()
    if low == "t" and token.start() and token.string[token.start() - 1] in "'’":
        return "'t"
    return low


def _surname_after_title(tokens, lows, i, prev, capital) -> bool:
    """Does the tussenvoegsel at i start a surname: "mevrouw van Dijk", "gezin De Graaf"?"""
    if not (prev in SURNAME_TITLES or (capital and prev in words.name_triggers())):
        return False
    if sentence_start(tokens[i].string, tokens[i].start()) and prev not in ABBREVIATED_TITLES:
        return False  # "... een jongen. De Kanjers": the trigger ends the sentence before
    following = lows[i + 1] if i + 1 < len(tokens) else ""
    lower_particle = following in SURNAME_PARTICLES and tokens[i + 1].group()[:1].islower()
    if lows[i] in PREPOSITION_PARTICLES and not lower_particle and not _is_surname(following):
        return False  # "bij familie in Klazienaveen" is a place; "familie in 't Veld" a name
    j = i + 1
    while j < len(tokens) and j - i < MAX_PARTICLES and lows[j] in words.tussenvoegsels():
        j += 1  # "mevrouw van der Berg"
    if j >= len(tokens) or not all(_adjacent(tokens, k) for k in range(i + 1, j + 1)):
        return False
    if not tokens[j].group()[:1].isupper():
        return False
    if lows[j].strip("'’") in words.not_names():
        return False  # "een mevrouw van Jeugdzorg": a body, no surname
    # "het gezin van Daan": a first name after "van" is the child, not a surname.
    return not (lows[j] in words.first_names() and not _is_surname(lows[j]))


def _introduced(tokens, lows, i, lower_writer: bool) -> bool:
    """ "ik ben Griet Verstraete, leerkracht ...", "ik ben ayşe van de bso": the writer's name.

    Not "Ik ben Pools" or "ik ben blij": the word is no Dutch word, or two capitalised words
    follow ("Griet Verstraete": both are in the word list).
    """
    if i < 2 or lows[i - 1] != "ben" or lows[i - 2] != "ik":
        return False
    word = tokens[i].group()
    if not (word[:1].isupper() or lower_writer) or _acronym(re.split("['’]", word)[0]):
        return False  # "Ik ben RT'er", "ik ben IB'er": a role
    if _not_a_word(word) and not _acronym(word):
        return True
    nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
    return (
        word[:1].isupper()
        and nxt[:1].isupper()
        and _adjacent(tokens, i + 1)
        and lows[i + 1] not in words.not_names()
        and lows[i + 1] not in words.sentence_words()
        and not _acronym(nxt)
    )


def _after_place_article(text, tokens, lows, i) -> bool:
    """Does "de" (or "het" after a preposition) stand right before token i?"""
    if not i or not _only_space_between(text, tokens[i - 1], tokens[i]):
        return False
    prev = lows[i - 1]
    return prev in PLACE_ARTICLES or (prev == "het" and i > 1 and lows[i - 2] in PLACE_PREPOSITIONS)


@lru_cache(maxsize=4096)  # a text names the same words again and again
def _not_a_word(word: str) -> bool:
    """Is a capitalised word no Dutch word ("Xandro", not "Kanjers"), nor two of them?

    The word list lacks most compounds ("Ouderportaal", "Beloningssysteem"): a long word
    made of two Dutch words is a word too. Short ones are not split, since many names are
    ("Bar|bara"), and long names rarely are.
    """
    from .lexicon import is_dutch_word  # loads the word list on first use

    low = word.lower()
    if len(low) > 30 or is_dutch_word(low):
        return False  # no name is that long; splitting it would cost its length squared
    head, _, tail = word.partition("-")
    if tail and is_dutch_word(tail.lower()) and (_acronym(head) or is_dutch_word(head.lower())):
        return False  # "AI-lessen", "gym-les": a compound with a hyphen
    for k in range(4, len(low) - 2) if len(low) >= 9 else ():
        head, tail = low[:k], low[k:]
        if is_dutch_word(tail) and (is_dutch_word(head) or is_dutch_word(head[:-1])):
            return False  # "ouder|portaal", "klassen|map", "belonings|systeem" (linking s)
    return True


def _looks_like_name(word: str) -> bool:
    return 3 <= len(word) <= 12 and word.isalpha() and word[:1].isupper() and word[1:].islower()


def _unknown_subject(text, tokens, lows, i) -> bool:
    """ "Bayu heeft ...": an unknown word that starts a sentence and is followed by a verb of
    a person is a name when it is no Dutch word (and looks like a name). So is the subject
    "Tsega Gebremariam schreeuwt", "Elmedin Begović en Fiyori zitten", "Fiyori en haar
    vader wonen"."""
    word = tokens[i].group()
    if not _looks_like_name(word) or not sentence_start(text, tokens[i].start()):
        return False
    end = _surname_end(tokens, lows, i)
    if _verb_after(text, tokens, lows, end, any_form=True):
        return _not_a_word(word)
    # Two people: "X (Surname) en Y (Surname)" or "X en haar moeder", then a plural verb.
    j = end + 2
    if end + 1 >= len(tokens) or lows[end + 1] != "en" or j >= len(tokens):
        return False
    if lows[j] in POSSESSIVES and j + 1 < len(tokens) and lows[j + 1] in words.family_words():
        last = j + 1
    elif _looks_like_name(tokens[j].group()) and lows[j] not in words.not_names():
        last = _surname_end(tokens, lows, j)
    else:
        return False
    return _verb_after(text, tokens, lows, last, plural=True) and _not_a_word(word)


def _inverted_subject(text, tokens, lows, i) -> bool:
    """ "Gisteren sloeg Xandro een kind", "Nu wil Xandro niet meer": a person after a verb.

    Not after "uit", which is "X uit groep 6" before a name and "uit Charkiv" after a verb.
    """
    word = tokens[i].group()
    if not i or not _looks_like_name(word) or sentence_start(text, tokens[i].start()):
        return False
    verb = lows[i - 1]
    if verb == "uit" or verb not in words.person_verbs():
        return False
    return _only_space_between(text, tokens[i - 1], tokens[i]) and _not_a_word(word)


def _verb_after(text, tokens, lows, i, any_form=False, plural=False) -> bool:
    """Is the word right after token i a verb of a person ("Roos slaat", "Oleksii danst")?

    With any_form, also any Dutch present or past tense of one person ("stroomt", "danste").
    """
    j = i + 1
    if j >= len(tokens) or not _only_space_between(text, tokens[i], tokens[j]):
        return False
    low = lows[j]
    if plural:
        return low in words.plural_verbs()
    return low in words.person_verbs() or (any_form and _verb_form(low))


@lru_cache(maxsize=4096)  # the same words come back in every sentence
def _verb_form(low: str) -> bool:
    """Is low a Dutch verb form of one person: a stem + t ("danst"), a past tense ("danste")?

    The word and an infinitive made from its stem must both be Dutch words: "vraagt" and
    "vragen", "leest" and "lezen", "rent" and "rennen".
    """
    if len(low) < 4 or low in NOT_VERBS or low in THING_VERBS or not low.isalpha():
        return False
    if low.endswith("t"):
        stems = (low[:-1], low)  # "danst" → "dans"; "zit", "praat" are stems themselves
    elif low.endswith(("de", "te")):
        stems = (low[:-2],)
    else:
        return False
    from .lexicon import _bloom, is_dutch_word  # loads the word list on first use

    if _bloom() is None or not is_dutch_word(low):
        return False  # without the word list every word would pass as a verb
    participle = low.startswith("ge") and len(low) > 5  # "ge|maak|t", not "ge|ef|t"
    if participle and any(is_dutch_word(i) for i in _infinitives(low[2:-1])):
        return False  # a participle, "Klassenmap gemaakt": no one does something there
    return any(is_dutch_word(inf) for stem in stems for inf in _infinitives(stem))


def _infinitives(stem: str) -> list[str]:
    """Infinitives a verb stem may have: "dans" → "dansen", "vraag" → "vragen", "ren" → "rennen"."""
    if len(stem) < 2:
        return []
    found = [stem + "en"]
    last = stem[-1]
    soft = {"f": "v", "s": "z"}.get(last)
    if soft:
        found.append(stem[:-1] + soft + "en")  # "leef" → "leven", "verhuis" → "verhuizen"
    if len(stem) >= 3 and stem[-3] == stem[-2] and stem[-2] in "aeou" and last not in "aeiou":
        short = stem[:-2] + last  # "vraag" → "vrag"
        found.append(short + "en")
        if soft:
            found.append(short[:-1] + soft + "en")  # "lees" → "lezen"
    elif stem[-2] in "aeiou" and last not in "aeiouwy" and stem[-3:-2] not in tuple("aeiou"):
        found.append(stem + last + "en")  # "ren" → "rennen"
    return found


def _unknown_next(tokens, i) -> bool:
    """Is token i followed by a capitalised word that is no Dutch word ("Wei Chen")?"""
    j = i + 1
    if j >= len(tokens) or not _adjacent(tokens, j):
        return False
    word = tokens[j].group()
    return word[:1].isupper() and not _acronym(word) and _not_a_word(word)


def _toy_or_pet_before(lows, i) -> bool:
    """A toy or an animal among the dozen words before: "Onze schoolhond (een labradoodle die
    drie dagen meekomt) heet Bikkel", "een nieuwe klassenknuffel, een pluche ijsbeer"."""
    window = lows[max(0, i - 12) : i - 1]
    return bool(set(window) & words.not_person_triggers()) or any(
        len(w) > 5 and (w.endswith(PET_ENDINGS) or _singular(w).endswith(PET_ENDINGS))
        for w in window
    )


def _singular(word: str) -> str:
    """Drop a plural ending, roughly: "kippen" -> "kip", "honden" -> "hond", "poezen" -> "poez"."""
    if word.endswith("ppen"):
        return word[:-3]
    if word.endswith("en"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _next_in_list(text, tokens, lows, i, listed: set[int]) -> bool:
    """Is token i the next item of a list of names given to pets ("heten A, B en C")?

    ``listed``: the tokens already on such a list. A list starts after a plural ("heten"):
    after "heet Max en" or "heet Max," a person may follow ("... en Daan gooit de bal").
    """
    if i and i - 1 in listed and text[tokens[i - 1].end() : tokens[i].start()] in (", ", ","):
        return True
    return (
        i > 1
        and lows[i - 1] in ("en", "of")
        and i - 2 in listed
        and _only_space_between(text, tokens[i - 1], tokens[i])
        and text[tokens[i - 2].end() : tokens[i - 1].start()] == " "
    )


def _entry_names(text: str, add, masked, lines: set[int]) -> None:
    """Names at the start of a line that holds someone's number, e-mail, BSN or date.

    "Zhou, Yichen\tgr 4\t04-03-2016", "Chadrick Winklaar: 0638777490": the words before
    the first separator are whose these are, when one of them is no Dutch word (or a known
    first name) and none is a label ("E-mail:", "Telefoon moeder:").
    """
    if not lines:
        return
    known, tricky, not_names = words.first_names(), words.name_words(), words.not_names()
    for m in ENTRY_NAMES.finditer(text):
        if m.start() not in lines:
            continue
        parts = [g for g in (1, 2) if m.group(g)]
        capitals = [w for g in parts for w in WORD.findall(m.group(g)) if w[:1].isupper()]
        lows = [w.lower() for w in capitals]
        if any(low in not_names for low in lows) or any(m.start(g) in masked for g in parts):
            continue
        pairs = zip(capitals, lows, strict=True)
        if any((low in known and low not in tricky) or _not_a_word(w) for w, low in pairs):
            for g in parts:
                add("name", m.start(g), m.end(g))


_LAYOUT_NAME = (
    r"([A-Z][\w'’-]{1,30}(?:[ ](?:(?:van|de|der|den|el|al)[ ]){0,3}[A-Z][\w'’-]{1,30}){0,2})"
)
# A line of a schedule: "13:00 Zihan", "18:00 - Wu Yuxin (met tolk)".
SCHEDULE_LINE = re.compile(
    r"(?m)^[ \t]{0,4}\d{1,2}[:.]\d{2}(?:[ \t]?uur)?[ \t]{1,3}(?:[-–—][ \t]{1,3})?"
    + _LAYOUT_NAME
    + r"[ \t]{0,3}(?:\([^)\n]{0,30}\))?[ \t]*\r?$"
)
PROPER_WORD = re.compile(r"[A-Z][^\W\d_A-Z]{1,30}(?:['’-][A-Z]?[^\W\d_A-Z]{1,30}){0,3}")
TIME_LINE = re.compile(r"(?m)^[ \t]{0,4}\d{1,2}[:.]\d{2}\b")
# A name right before its phone number: "Auto 1: Maksym (+31 6 ...)", "2. Wei, tel 06-...".
BEFORE_PHONE = re.compile(
    _LAYOUT_NAME + r"(?=[ \t]?\([ \t]?[+0]|,[ \t]?(?:tel|telefoon|mob|mobiel)\.?:?[ \t]?[+0])"
)
# A line that is only a name, above a line that starts with a number: a signature.
NAME_LINE = re.compile(r"(?m)^[ \t]{0,4}" + _LAYOUT_NAME + r"[ \t]*\r?\n[ \t]{0,4}(?=[+0(\w])")


def _names_by_layout(text: str, add, masked, numbers: list[int]) -> None:
    """Names that the layout shows: a schedule's lines ("13:00 Zihan"), a name before its
    phone number ("Maksym (+31 6 ...)") and a signature's name above its phone number
    ("Olena Tkachenko⏎+31 6 ..."), when one of the name's words is a known first name or no
    Dutch word and none is a word that is never a name."""
    known, tricky, not_names = words.first_names(), words.name_words(), words.not_names()
    sentence = words.sentence_words()

    def name_like(group: str) -> bool:
        capitals = [w for w in group.split() if w[:1].isupper()]
        if not all(PROPER_WORD.fullmatch(w) for w in capitals):
            return False  # "15:20 PBS-teamafspraken" is an agenda's item
        lows = [w.lower() for w in capitals]
        if any(low in not_names or low in sentence for low in lows):
            return False
        return any((low in known and low not in tricky) or _not_a_word(low) for low in lows)

    spans = []
    if len(TIME_LINE.findall(text, 0, 20000)) >= 2:  # a schedule has more than one line
        spans += [m.span(1) for m in SCHEDULE_LINE.finditer(text)]
    if numbers:
        starts = sorted(numbers)

        def number_within(pos, limit):
            k = bisect.bisect_left(starts, pos)
            return k < len(starts) and starts[k] - pos <= limit

        spans += [m.span(1) for m in BEFORE_PHONE.finditer(text) if number_within(m.end(), 14)]
        # A signature is the writer's: an adult.
        signatures = [m.span(1) for m in NAME_LINE.finditer(text) if number_within(m.end(), 6)]
    else:
        signatures = []
    for start, end in spans + signatures:
        if not any(p in masked for p in range(start, end)) and name_like(text[start:end]):
            add("name", start, end, ADULT_REPLACEMENT if (start, end) in signatures else None)


def _numbers(text: str) -> list[int]:
    """Where a phone number, an e-mail, a BSN or a date starts (what the guard finds)."""
    from .patterns import BSN, DATE, EMAIL, PHONE

    return [m.start() for pattern in (PHONE, EMAIL, BSN, DATE) for m in pattern.finditer(text)]


def _comma_then_name(text, tokens, i) -> bool:
    """ "welkom: Noëlla, Ruben en Zainab": a word in a list right before a plain first name."""
    j = i + 1
    if j >= len(tokens) or text[tokens[i].end() : tokens[j].start()] != ", ":
        return False
    return _is_plain_name(tokens, j) and tokens[j].group()[:1].isupper()


def _first_name_before(text, tokens, lows, i, ends) -> bool:
    """Is token i a surname right after a capitalised first name that is not yet a name?"""
    if not i or (i - 1) in ends or not _adjacent(tokens, i):
        return False
    word = tokens[i - 1].group()
    low = lows[i - 1]
    names = _all_first_names()
    return word[:1].isupper() and low in names and low not in words.not_names()


def _after_abbreviation(text, tokens, i) -> bool:
    """Is token i right after an abbreviated title ("dr. Smit", "mw. Öztürk")?"""
    if not i:
        return False
    prev = tokens[i - 1]
    if prev.group().lower() not in ABBREVIATED_TITLES:
        return False  # "... bij haar zus. Sinds": a sentence ends after "zus"
    between = text[prev.end() : tokens[i].start()]
    return between in (". ", ".")


def _two_unknown_words(text, tokens, lows, i) -> bool:
    """ "Ik ben bezorgd over Dmytro Melnyk": two capitalised words in the middle of a sentence
    that are no Dutch words are a first name and a surname (not a place: "in Buenos Aires")."""
    j = i + 1
    if j >= len(tokens) or not _adjacent(tokens, j) or sentence_start(text, tokens[i].start()):
        return False
    if i and lows[i - 1] in PLACE_PREPOSITIONS | {"te", "via", "met", "de", "het", "een"}:
        return False
    first, second = tokens[i].group(), tokens[j].group()
    not_names = words.not_names()
    return (
        _looks_like_name(first)
        and _looks_like_name(second)
        and lows[i] not in not_names
        and lows[j] not in not_names
        and _not_a_word(first)
        and _not_a_word(second)
    )


def _pair_then_plural_verb(text, tokens, lows, i) -> bool:
    """ "Roos en Fleur sluiten ...": two first names joined by "en", then a verb of two."""
    j = i + 2
    if j >= len(tokens) or lows[i + 1] != "en" or not tokens[j].group()[:1].isupper():
        return False
    names = _all_first_names()
    if lows[j] not in names or lows[j] in words.not_names():
        return False
    k = j + 1
    if k >= len(tokens) or not _only_space_between(text, tokens[j], tokens[k]):
        return False
    return lows[k] in words.plural_verbs() or _plural_verb_form(lows[k])


def _plural_verb_form(low: str) -> bool:
    """Is low a plural present or past tense: "sluiten" (sluit), "pesten", "zitten", "renden"?"""
    if len(low) < 5 or not low.endswith("en") or not low.isalpha():
        return False
    from .lexicon import _bloom, is_dutch_word  # loads the word list on first use

    if _bloom() is None or not is_dutch_word(low):
        return False
    stems = (low[:-2], low[:-3], low[:-4] if low.endswith(("den", "ten")) else "")
    return any(len(stem) > 2 and is_dutch_word(stem) for stem in stems)


def _with_family(lows, i) -> bool:
    """ "Fiyori en haar vader", "Tsega met zijn broer": a person, with family."""
    return (
        i + 3 < len(lows)
        and lows[i + 1] in ("en", "met")
        and lows[i + 2] in POSSESSIVES
        and lows[i + 3] in words.family_words()
    )


def _only_space_between(text, a, b) -> bool:
    # A tab separates a table's cells: "Leerling\tGeboortedatum" are two headers.
    gap = text[a.end() : b.start()]
    return b.start() - a.end() <= 3 and not gap.strip() and "\t" not in gap


def _masked(text: str) -> set[int]:
    """Start offsets of words that belong to a saying, a title, a public name or a character.

    A character named in such a phrase ("Jip en Janneke"), or one of a work the text names
    ("Frozen": Elsa), is that character elsewhere in the same text too ("zoals Jip"), unless
    a surname or an age follows ("Jip de Vries", "Jip (6)"). A public name is not: "Max Bakker
    wil net als Max Verstappen worden".
    """
    masked: set[int] = set()

    def mask(start, end):
        for w in WORD.finditer(text, start, end):
            masked.add(w.start())

    # The phrase lists are in lower case: matched on the text in lower case they cost half
    # of what a case-insensitive match costs, unless lower case changes the text's length.
    low = text.lower()
    subject = low if len(low) == len(text) else text

    def phrases(pattern: re.Pattern) -> re.Pattern:
        return _case_sensitive(pattern) if subject is low else pattern

    for m in phrases(_not_name_phrases()).finditer(subject):
        mask(m.start(), m.end())
    for m in phrases(_public_names()).finditer(subject):
        mask(m.start(), m.end())
        # "Floortje van Jacques Vriens", "Pippi Langkous van Astrid Lindgren": the title.
        before = TITLE_BEFORE.search(text, max(0, m.start() - 8), m.start())
        if before:  # words_before walks back from the word after the space
            mask(words_before(text, before.start() + 1, limit=4), before.start())
    for pattern in (WORK_BY, QUOTED_TITLE):
        for m in pattern.finditer(text):
            mask(m.start(1), m.end(1))
    for m in TITLE_THEN_WORK.finditer(text):
        mask(m.start(1), m.end(1))
        if m.group(2):
            mask(m.start(2), m.end(2))
    characters: set[str] = set()
    # The people of a sum or an exercise quoted from a method: "In de som staat: 'Fatima
    # koopt 4 pakken melk'", and the same name later in the text ("wie Fatima is").
    for m in EXERCISE_QUOTE.finditer(text):
        has_digit = any(c.isdigit() for c in m.group(1))
        if has_digit and EXERCISE_WORDS.search(text, max(0, m.start() - 80), m.start()):
            mask(m.start(1), m.end(1))
            for w in WORD.finditer(m.group(1)):
                if w.group()[:1].isupper():
                    characters.add(w.group().lower())
    # Most texts name no method: one search first, the sentences only when one does.
    for m in METHOD_SENTENCE.finditer(text) if METHOD_NAME.search(text) else ():
        part = METHOD_PART.search(m.group())
        if part and METHOD_NAME.search(m.group()):
            for w in WORD.finditer(text, m.start() + part.end(), m.end()):
                if w.group()[:1].isupper() and w.group().lower() not in words.not_names():
                    characters.add(w.group().lower())
    for m in phrases(_character_phrases()).finditer(subject):
        mask(m.start(), m.end())
        phrase = text[m.start() : m.end()]
        for w in WORD.finditer(phrase):
            if w.group()[:1].isupper() and w.group().lower() not in words.not_names():
                characters.add(w.group().lower())
        for work, names in _works():
            if work.fullmatch(phrase):
                characters.update(names)
    if characters:
        found = list(WORD.finditer(text))
        for n, w in enumerate(found):
            character = w.group().lower().strip("'’") in characters and w.group()[:1].isupper()
            if character and not _a_person(text, found, n, characters):
                masked.add(w.start())
    return masked


def _a_person(text, found, n, characters) -> bool:
    """Is the character's name at n a person all the same: "Jip de Vries", "Jip (6)"?"""
    w = found[n]
    if "(" in text[w.end() : w.end() + 3] and BRACKET.match(text, w.end()):
        return True
    j, particles = n + 1, words.tussenvoegsels()
    while j < len(found) and j - n <= MAX_PARTICLES and _particle(found[j]) in particles:
        j += 1
    if j >= len(found) or found[j].start() - w.end() > 2 * (j - n) + 1:
        return False
    nxt = found[j].group()
    return (
        nxt[:1].isupper()
        and nxt.lower() not in characters
        and nxt.lower() not in words.not_names()
        and not _acronym(nxt)
        and (j > n + 1 or _is_surname(nxt.lower()) or _not_a_word(nxt))
    )


def _is_plain_name(tokens, j) -> bool:
    """Is token j a first name that is not also a word ("Fleur en Sterre")?"""
    if j >= len(tokens):
        return False
    low = tokens[j].group().lower()
    plain = low in words.first_names() and low not in words.name_words()
    extra = low in words.extra_first_names() and tokens[j].group()[:1].isupper()
    return (plain or extra) and low not in words.not_names()


def _adjacent(tokens, j) -> bool:
    """Is token j one space (or " '" before "'t") after token j - 1?"""
    gap = tokens[j].start() - tokens[j - 1].end()
    if gap == 1 and tokens[j].string[tokens[j].start() - 1] in "\n\r\t":
        return False  # "Naam: Wei Chen\nGeboortedatum:": a new line, a new field
    return gap <= 1 or (gap == 2 and tokens[j].string[tokens[j].start() - 1] in "'’")


def _surname_end(tokens, lows, i) -> int:
    """Extend a name over tussenvoegsels and a surname: "Daan van der Berg"."""
    end_index, j = i, i + 1
    prepositions = False
    while j < len(tokens) and j - i <= MAX_PARTICLES + 1 and _adjacent(tokens, j):
        word = tokens[j].group()
        if lows[j] in words.tussenvoegsels():
            if lows[j - 1] == "van" and j > i + 1 and word in ("De", "Het"):
                break  # "meester Koen van De Wilgenhoek": after a first name, a school
            if lows[j] in SURNAME_PARTICLES:
                prepositions = False  # "in 't Zandt", "op den Akker": a surname after all
            elif lows[j] in PREPOSITION_PARTICLES:
                prepositions = True
            j += 1
            continue
        surname = _is_surname(lows[j]) and (j > i + 1 or word[:1].isupper())
        capitalised = (
            word[:1].isupper()
            and lows[j] not in words.not_names()
            and not _acronym(word)
            and not lows[j].endswith("school")  # "Ivo van de Dukdalfschool"
        )
        if surname or (capitalised and not prepositions):
            end_index = j
        break
    return end_index


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _followed_by_surname(tokens, lows, i) -> bool:
    j = i + 1
    while j < len(tokens) and j - i <= MAX_PARTICLES and lows[j] in words.tussenvoegsels():
        j += 1
    if j >= len(tokens) or not all(_adjacent(tokens, k) for k in range(i + 1, j + 1)):
        return False  # "Harper. Van Overveld": no surname across punctuation
    word = tokens[j].group()
    particles = set(lows[i + 1 : j])
    if _is_surname(lows[j]):
        return True
    prepositions = particles & PREPOSITION_PARTICLES and not particles & SURNAME_PARTICLES
    return (
        j > i + 1
        and word[:1].isupper()
        and not _acronym(word)
        and lows[j] not in words.not_names()
        and not prepositions
    )


def _unknown_surname_then_verb(text, tokens, lows, i) -> bool:
    """Is first name i followed by a surname in no list and then a verb ("Aaliyah Doelwijt
    zit ...")? Told from "Roos Vandaag" by the verb after it, and the surname being no word."""
    end = _surname_end(tokens, lows, i)
    return (
        end > i
        and _verb_after(text, tokens, lows, end, any_form=True)
        and _not_a_word(tokens[end].group())  # last: the dearest test
    )


def _is_surname(low: str) -> bool:
    """Is a lower-cased word a surname of the list, or a double one ("hoekstra-dijkstra")?"""
    known = words.surnames()
    return low in known or ("-" in low and all(part in known for part in low.split("-")))
