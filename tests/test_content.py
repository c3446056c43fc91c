"""The content files follow content/README.md: dossiers, intervisie methods, the demo region.

Fast and self-contained: it reads the files under ``content/`` and needs no model and no
database. Every failure names the file and the item, so an editor can fix the content (the
check itself is the standard: fix the text, never the test).
"""

import json
import re
from datetime import date
from pathlib import Path

import frontmatter
import pytest

import privacy
from portal.kennisbank import dossiers
from portal.kennisbank.dossiers import Source
from portal.questions.cases import ANSWER_KINDS, CLUSTERS, GRADE_BANDS

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
DOSSIER_DIR = CONTENT / "dossiers"
DEMO_DIR = CONTENT / "demo"
METHOD_DIR = CONTENT / "intervisie"

DOSSIER_FILES = sorted(DOSSIER_DIR.glob("*.md"))
METHOD_FILES = sorted(METHOD_DIR.glob("*.md"))
DOSSIERS = {p.stem: dossiers.parse_dossier(p) for p in DOSSIER_FILES}
METHODS = {p.stem: frontmatter.load(p) for p in METHOD_FILES}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _jsonl(name: str) -> list[dict]:
    with open(DEMO_DIR / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _json(name: str):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


REGION = _json("region.json")
PEOPLE = {p["local"]: p for p in REGION["people"]}
SCHOOLS = [s["name"] for s in REGION["schools"]]
PLACES = {s["place"] for s in REGION["schools"]}
CASES = _jsonl("cases.jsonl")
OPEN = _jsonl("open_questions.jsonl")
CIRCLES = _json("circles.json")
SUPPORT = _jsonl("support.jsonl")
ACTIVITIES = _json("activities.json")
QUESTION_REFS = {q["ref"] for q in CASES + OPEN}

# Who may do what in the demo (README, "The demo region").
ASKERS = {"teacher", "expert"}
ANSWERERS = {"teacher", "expert"}
SUPPORTERS = {"expert"}
FACILITATORS = {"expert"}
MEMBERS = {"teacher", "expert"}
ROLES = {"coordinator", "teacher", "expert", "parent"}
HELPED = {"ja", "deels", "nee", None}
WHO = {"inbrenger", "groep", "begeleider", "iedereen"}
# Routes under /kennisbank/ that are not dossiers.
KENNISBANK_ROUTES = {"beheer", "voorstellen"}

# [n] / [2, 5] in the running text, not a Markdown link "[tekst](...)" (as in the parser).
CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\](?!\()")
LINK = re.compile(r"/kennisbank/([A-Za-z0-9_-]+)(?:#([^\s)\]\"'>]*))?")
YEAR = re.compile(r"^(\d{4}[a-z]?|z\.d\.)$")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# An author-year citation in running text: "Marzano (2003)", "Ttofi en Farrington (2011)",
# "(Marzano, 2003)", "Marzano et al. (2003)".
AUTHOR_YEAR = re.compile(
    r"\b[A-Z][a-zà-ÿ'-]+(?:\s+(?:et al\.|en|&|and)\s+[A-Z][a-zà-ÿ'-]+)?(?:\s+et al\.)?"
    r"\s*\(\s*(?:\d{4}[a-z]?|z\.d\.)\s*[),;]"
    r"|\(\s*[A-Z][a-zà-ÿ'-]+(?:\s+(?:et al\.|en|&)\s*[A-Z]?[a-zà-ÿ'-]*)?,?\s+\d{4}[a-z]?\s*\)"
)
# "volgens Barkley", "aldus Greene": a capitalised word that is not an acronym (NJi, DSM-5 ...).
VOLGENS = re.compile(r"\b(?:volgens|aldus)\s+([A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*)\b")
# "Surname, A. B." in an APA author list.
PERSON_AUTHOR = re.compile(r"((?:[A-Z][a-zà-ÿ'-]+ )*[A-Z][A-Za-zà-ÿØø'-]+), (?:[A-Z]\.[ -]?)+")
# Source authors whose surname is also an ordinary Dutch word ("Onrust, boosheid ...").
SURNAMES_THAT_ARE_WORDS = {"Berg", "Boer", "Buil", "Lier", "Onrust", "Oud", "Ploeg", "Prins",
                           "Valk", "Wit", "Worden", "Zoon"}  # fmt: skip

# Real Dutch regions, provinces and towns: the demo region is fictional (issue 12). Only
# words that are not also ordinary Dutch words, matched case-sensitively as whole words.
REAL_PLACES = (
    "Rivierenland", "Betuwe", "West-Betuwe", "Bommelerwaard", "Alblasserwaard",
    "Hoeksche Waard", "Tielerwaard", "Achterhoek", "Veluwe", "Twente", "Salland",
    "Kempen", "Westland", "Randstad", "Zaanstreek", "Gelderland", "Overijssel",
    "Drenthe", "Friesland", "Fryslân", "Flevoland", "Brabant", "Limburg", "Zeeland",
    "Noord-Holland", "Zuid-Holland", "Groningen", "Utrecht", "Amsterdam", "Rotterdam",
    "Den Haag", "Eindhoven", "Tilburg", "Almere", "Breda", "Nijmegen", "Arnhem",
    "Haarlem", "Enschede", "Apeldoorn", "Amersfoort", "Zwolle", "Leiden", "Maastricht",
    "Dordrecht", "Zoetermeer", "Deventer", "Delft", "Alkmaar", "Venlo", "Leeuwarden",
    "Helmond", "Heerlen", "Hilversum", "Emmen", "Assen", "Gouda", "Veenendaal",
    "Wageningen", "Tiel", "Culemborg", "Geldermalsen", "Zaltbommel", "Gorinchem",
    "Ede", "Oss", "Roermond", "Sittard", "Hengelo", "Almelo", "Lelystad", "Purmerend",
    "Zaandam", "Schiedam", "Vlaardingen", "Spijkenisse", "Harderwijk", "Doetinchem",
    "Winterswijk", "Kampen", "Meppel", "Hoorn", "Den Helder", "Middelburg", "Vlissingen",
    "Goes", "Terneuzen", "Bergen op Zoom", "Roosendaal", "Waalwijk", "Uden", "Veghel",
    "Weert", "Kerkrade", "Drachten", "Heerenveen", "Sneek", "Hoogeveen", "Coevorden",
    "Stadskanaal", "Veendam", "Winschoten", "Nieuwegein", "Houten", "Zeist", "Woerden",
    "IJsselstein", "Leerdam", "Vianen", "Barneveld", "Nijkerk", "Putten", "Ermelo",
)  # fmt: skip
REAL_PLACE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in REAL_PLACES) + r")\b")


def _fail(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _body(d: dossiers.Dossier) -> str:
    """The dossier's Markdown after the front matter."""
    return frontmatter.loads(d.markdown).content


def _running_text(d: dossiers.Dossier) -> str:
    """What a reader sees: the body without the audience and question comments."""
    return COMMENT.sub("", _body(d))


def _raw_sections(d: dossiers.Dossier) -> list[tuple[str, str]]:
    parts = re.split(r"^## +(.+?)\s*$", _body(d), flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def _sub_blocks(markdown: str) -> dict[str, str]:
    """The text under each ### heading of a section, up to the next ### heading."""
    parts = re.split(r"^### +(.+?)\s*$", markdown, flags=re.MULTILINE)
    return {h.strip(): b for h, b in zip(parts[1::2], parts[2::2], strict=True)}


def _source_problems(label: str, sources: list[Source]) -> list[str]:
    out, seen = [], {}
    for s in sources:
        parts = s.parts
        if parts is None:
            out.append(
                f"{label}: source {s.number} is not 'Author. (Year). Title.' "
                f"(a page without a date has (z.d.)): {s.text!r}"
            )
            continue
        if not parts["author"].strip():
            out.append(f"{label}: source {s.number} has no author: {s.text!r}")
        if not YEAR.match(parts["year"]):
            out.append(f"{label}: source {s.number} year {parts['year']!r} is not YYYY or z.d.")
        elif parts["year"][:4].isdigit() and int(parts["year"][:4]) > date.today().year:
            out.append(f"{label}: source {s.number} is from the future ({parts['year']})")
        if len(parts["title"].strip(" .")) < 3:
            out.append(f"{label}: source {s.number} has no title: {s.text!r}")
        key = re.sub(r"\W+", " ", s.text.lower()).strip()
        if key in seen:
            out.append(f"{label}: source {s.number} repeats source {seen[key]}")
        seen.setdefault(key, s.number)
    return out


def _citation_problems(label: str, text: str, count: int) -> list[str]:
    cited = {int(n) for m in CITATION.finditer(text) for n in m.group(1).split(",")}
    numbers = set(range(1, count + 1))
    out = [f"{label}: [{n}] is cited but there is no source {n}" for n in sorted(cited - numbers)]
    out += [f"{label}: source {n} is never cited as [{n}]" for n in sorted(numbers - cited)]
    return out


def _link_problems(label: str, text: str) -> list[str]:
    out = []
    for m in LINK.finditer(text or ""):
        slug, anchor = m.group(1), m.group(2)
        if slug in KENNISBANK_ROUTES:
            continue
        if slug not in DOSSIERS:
            out.append(f"{label}: links to {m.group(0)}, but there is no dossier '{slug}'")
        elif anchor is not None and anchor not in DOSSIERS[slug].anchors:
            out.append(
                f"{label}: links to {m.group(0)}, but dossier '{slug}' has no anchor '{anchor}'"
            )
    return out


def _surnames() -> set[str]:
    """The surnames of every person who wrote a source of a dossier or an intervisie method."""
    sources = [s for d in DOSSIERS.values() for s in d.sources]
    for post in METHODS.values():
        sources += [Source(n, str(s)) for n, s in enumerate(post.get("sources") or [], start=1)]
    names = {n for s in sources if s.parts for n in PERSON_AUTHOR.findall(s.parts["author"])}
    return names - SURNAMES_THAT_ARE_WORDS


def _author_problems(label: str, text: str) -> list[str]:
    out = [f"{label}: author-year citation in the text: {m.group(0)!r} (use [n])"
           for m in AUTHOR_YEAR.finditer(text)]  # fmt: skip
    out += [f"{label}: 'volgens ...' names an author: {m.group(0)!r} (use [n])"
            for m in VOLGENS.finditer(text)]  # fmt: skip
    for name in sorted(SURNAMES):
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            around = text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
            out.append(f"{label}: names the author {name!r} in the text: ...{around}...")
    return out


SURNAMES = _surnames()


# --- dossiers -------------------------------------------------------------------------------

dossier_params = pytest.mark.parametrize("slug", list(DOSSIERS), ids=list(DOSSIERS))


def test_there_are_dossiers_and_methods():
    assert DOSSIERS, f"no dossiers in {_rel(DOSSIER_DIR)}"
    assert METHODS, f"no intervisie methods in {_rel(METHOD_DIR)}"


@dossier_params
def test_dossier_meets_the_kennisbank_standard(slug):
    label = f"content/dossiers/{slug}.md"
    _fail([f"{label}: {p}" for p in dossiers.problems(DOSSIERS[slug])])


@dossier_params
def test_dossier_sections_have_audience_and_questions(slug):
    d, label = DOSSIERS[slug], f"content/dossiers/{slug}.md"
    low, high = dossiers.QUESTIONS_PER_SECTION
    out = []
    headings = [h.strip() for h, _ in _raw_sections(d)]
    if headings != list(dossiers.REQUIRED_SECTIONS):
        out.append(
            f"{label}: the ## sections are {headings}, not {list(dossiers.REQUIRED_SECTIONS)}"
        )
    for heading, raw in _raw_sections(d):
        found = re.search(r"<!--\s*audience:\s*(\w+)\s*-->", raw)
        if not found:
            out.append(f"{label}: '## {heading}' has no <!-- audience: ... --> line")
        elif found.group(1) not in dossiers.AUDIENCES:
            out.append(f"{label}: '## {heading}' audience {found.group(1)!r} is not one of "
                       f"{', '.join(dossiers.AUDIENCES)}")  # fmt: skip
    for s in d.sections:
        if not low <= len(s.questions) <= high:
            out.append(
                f"{label}: '## {s.heading}' has {len(s.questions)} teacher questions "
                f"({low} to {high})"
            )
        if len(set(q.lower() for q in s.questions)) != len(s.questions):
            out.append(f"{label}: '## {s.heading}' repeats a teacher question")
        if not s.plain.strip():
            out.append(f"{label}: '## {s.heading}' is empty")
    _fail(out)


@dossier_params
def test_dossier_has_age_groups_and_urgency_guide(slug):
    d, label = DOSSIERS[slug], f"content/dossiers/{slug}.md"
    out = []
    for heading in ("Wat kun je doen", "Per leeftijd", "Wat zeg je", "Wanneer schakel je hulp in"):
        section = d.section(heading)
        if section is None:
            out.append(f"{label}: '## {heading}' is missing")
            continue
        blocks = _sub_blocks(section.markdown)
        for sub in dossiers.REQUIRED_SECTIONS[heading]:
            if sub not in blocks:
                out.append(f"{label}: '## {heading}' has no '### {sub}'")
            elif not re.sub(r"^#{4}.*$", "", blocks[sub], flags=re.MULTILINE).strip():
                out.append(f"{label}: '### {sub}' in '## {heading}' is empty")
    _fail(out)


@dossier_params
def test_dossier_suggestions_start_with_a_bold_imperative(slug):
    d, label = DOSSIERS[slug], f"content/dossiers/{slug}.md"
    section = d.section("Wat kun je doen")
    assert section is not None, f"{label}: '## Wat kun je doen' is missing"
    out = [
        f"{label}: a suggestion in 'Wat kun je doen' does not start with **...**: {line[:60]!r}"
        for line in re.findall(r"^[-*] +(.*)$", section.markdown, flags=re.MULTILINE)
        if not line.startswith("**")
    ]
    _fail(out)


@dossier_params
def test_dossier_sources_parse_and_are_all_cited(slug):
    d, label = DOSSIERS[slug], f"content/dossiers/{slug}.md"
    out = [] if d.sources else [f"{label}: no sources in the front matter"]
    out += _source_problems(label, d.sources)
    out += _citation_problems(label, _body(d), len(d.sources))
    _fail(out)


@dossier_params
def test_dossier_front_matter(slug):
    d, label = DOSSIERS[slug], f"content/dossiers/{slug}.md"
    out = []
    for other in d.related:
        if other == slug:
            out.append(f"{label}: 'related' names the dossier itself")
        elif other not in DOSSIERS:
            out.append(f"{label}: 'related' names '{other}', but there is no such dossier")
    if not 20 <= len(d.summary) <= dossiers.SUMMARY_MAX:
        out.append(
            f"{label}: summary is {len(d.summary)} characters (20 to {dossiers.SUMMARY_MAX})"
        )
    if d.cluster not in CLUSTERS:
        out.append(f"{label}: cluster {d.cluster!r} is not one of {', '.join(CLUSTERS)}")
    try:
        reviewed = date.fromisoformat(d.reviewed)
    except ValueError:
        out.append(f"{label}: reviewed {d.reviewed!r} is not a date (YYYY-MM-DD)")
    else:
        if reviewed > date.today():
            out.append(f"{label}: reviewed {reviewed} lies in the future")
        elif (date.today() - reviewed).days > dossiers.REVIEW_DAYS:
            out.append(f"{label}: reviewed {reviewed} is more than two years ago")
    _fail(out)


@dossier_params
def test_dossier_names_no_authors_in_the_running_text(slug):
    _fail(_author_problems(f"content/dossiers/{slug}.md", _running_text(DOSSIERS[slug])))


@dossier_params
def test_dossier_links_resolve(slug):
    _fail(_link_problems(f"content/dossiers/{slug}.md", _body(DOSSIERS[slug])))


# --- intervisie methods --------------------------------------------------------------------

method_params = pytest.mark.parametrize("slug", list(METHODS), ids=list(METHODS))


@method_params
def test_intervisie_method_steps(slug):
    post, label = METHODS[slug], f"content/intervisie/{slug}.md"
    out = []
    for key in ("title", "summary"):
        if not isinstance(post.get(key), str) or not post[key].strip():
            out.append(f"{label}: front matter needs a '{key}'")
    if not isinstance(post.get("minutes"), int):
        out.append(f"{label}: 'minutes' is a whole number")
    steps = post.get("steps")
    if not isinstance(steps, list) or not steps:
        _fail([*out, f"{label}: no steps"])
    keys = [step.get("key") for step in steps]
    for n, step in enumerate(steps, start=1):
        key = step.get("key")
        if not isinstance(key, str) or not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", key):
            out.append(f"{label}: step {n} key {key!r} is not letters and '-'")
        for field in ("title", "record"):
            if not isinstance(step.get(field), str) or not step[field].strip():
                out.append(f"{label}: step {n} ({key}) has no '{field}'")
        if step.get("who") not in WHO:
            out.append(f"{label}: step {n} ({key}) who {step.get('who')!r} is not in {sorted(WHO)}")
        if not isinstance(step.get("minutes"), int) or step["minutes"] <= 0:
            out.append(f"{label}: step {n} ({key}) needs 'minutes' (a whole number)")
    doubles = sorted({k for k in keys if keys.count(k) > 1})
    if doubles:
        out.append(f"{label}: step keys {doubles} occur more than once")
    if "vraag" not in keys:
        out.append(f"{label}: there is no step with key 'vraag'")
    if keys[-1] != "opbrengst":
        out.append(f"{label}: the last step is {keys[-1]!r}, not 'opbrengst'")
    _fail(out)


@method_params
def test_intervisie_method_sources(slug):
    post, label = METHODS[slug], f"content/intervisie/{slug}.md"
    sources = post.get("sources") or []
    sources = [Source(n, str(s)) for n, s in enumerate(sources, start=1)]
    out = [] if sources else [f"{label}: no sources in the front matter"]
    out += _source_problems(label, sources)
    out += _citation_problems(label, post.content, len(sources))
    out += _link_problems(label, post.content)
    out += _author_problems(label, COMMENT.sub("", post.content))
    _fail(out)


# --- the demo region: people and references --------------------------------------------------


def _person(label: str, local, allowed: set[str]) -> list[str]:
    person = PEOPLE.get(local)
    if person is None:
        return [f"{label}: {local!r} is not a person in content/demo/region.json"]
    if person["role"] not in allowed:
        return [
            f"{label}: {local!r} is a {person['role']}; this takes a {' or '.join(sorted(allowed))}"
        ]
    return []


def test_region_people_and_schools():
    label = "content/demo/region.json"
    out = []
    locals_ = [p["local"] for p in REGION["people"]]
    doubles = sorted({x for x in locals_ if locals_.count(x) > 1})
    if doubles:
        out.append(f"{label}: people {doubles} occur more than once")
    if len(set(SCHOOLS)) != len(SCHOOLS):
        out.append(f"{label}: a school name occurs more than once")
    for s in REGION["schools"]:
        if s.get("kind") not in ("regulier", "sbo", "so"):
            out.append(f"{label}: school {s['name']!r} kind {s.get('kind')!r}")
    for p in REGION["people"]:
        who = f"{label}: person {p['local']!r}"
        if not re.fullmatch(r"[a-z0-9.-]+", p["local"]):
            out.append(f"{who}: 'local' is not an e-mail local part")
        if p.get("role") not in ROLES:
            out.append(f"{who}: role {p.get('role')!r} is not one of {sorted(ROLES)}")
        if p.get("school") is not None and p["school"] not in SCHOOLS:
            out.append(f"{who}: school {p['school']!r} is not a school of the region")
        if p.get("role") in ("teacher", "expert") and not p.get("school"):
            out.append(f"{who}: a {p['role']} belongs to a school")
        for cluster in p.get("expertise", []):
            if cluster not in CLUSTERS:
                out.append(f"{who}: expertise {cluster!r} is not a cluster")
    _fail(out)


def _question_problems(label: str, q: dict, resolved: bool) -> list[str]:
    label = f"{label} {q.get('ref')}"
    out = _person(f"{label} asker", q.get("asker"), ASKERS)
    if q.get("cluster") not in CLUSTERS:
        out.append(f"{label}: cluster {q.get('cluster')!r} is not one of {', '.join(CLUSTERS)}")
    if q.get("grade_band") not in GRADE_BANDS:
        out.append(f"{label}: grade_band {q.get('grade_band')!r} is not one of {GRADE_BANDS}")
    for key in ("title", "body"):
        if not isinstance(q.get(key), str) or not q[key].strip():
            out.append(f"{label}: no {key}")
    answers = q.get("answers") or []
    for n, a in enumerate(answers):
        where = f"{label} answer {n}"
        out += _person(f"{where} by", a.get("by"), ANSWERERS)
        if a.get("by") == q.get("asker"):
            out.append(f"{where}: {a.get('by')!r} answers their own question")
        if a.get("kind") not in ANSWER_KINDS:
            out.append(f"{where}: kind {a.get('kind')!r} is not one of {', '.join(ANSWER_KINDS)}")
        if not str(a.get("body", "")).strip():
            out.append(f"{where}: empty body")
    if resolved:
        best = q.get("best")
        if not isinstance(best, int) or isinstance(best, bool) or not 0 <= best < len(answers):
            out.append(
                f"{label}: best {best!r} is not the index of one of its {len(answers)} answers"
            )
        if q.get("helped") not in HELPED:
            out.append(f"{label}: helped {q.get('helped')!r} is not ja, deels, nee or null")
    elif "best" in q:
        out.append(f"{label}: an open question has no 'best'")
    addition = q.get("addition")
    if addition is not None and not str(addition.get("body", "")).strip():
        out.append(f"{label}: the addition has no body")
    return out


def test_demo_questions_people_and_fields():
    out = []
    for q in CASES:
        out += _question_problems("content/demo/cases.jsonl", q, resolved=True)
    for q in OPEN:
        out += _question_problems("content/demo/open_questions.jsonl", q, resolved=False)
    refs = [q.get("ref") for q in CASES + OPEN]
    doubles = sorted({r for r in refs if refs.count(r) > 1})
    if doubles:
        out.append(f"content/demo/cases.jsonl + open_questions.jsonl: refs {doubles} not unique")
    _fail(out)


def test_demo_support_requests():
    label = "content/demo/support.jsonl"
    out = []
    refs = [s.get("ref") for s in SUPPORT]
    doubles = sorted({r for r in refs if refs.count(r) > 1})
    if doubles:
        out.append(f"{label}: refs {doubles} not unique")
    for s in SUPPORT:
        where = f"{label} {s.get('ref')}"
        out += _person(f"{where} requested_by", s.get("requested_by"), ASKERS)
        if s.get("taken_by") is not None:
            out += _person(f"{where} taken_by", s["taken_by"], SUPPORTERS)
            if s["taken_by"] == s.get("requested_by"):
                out.append(f"{where}: taken by the person who asked for it")
        if s.get("question_ref") is not None and s["question_ref"] not in QUESTION_REFS:
            out.append(f"{where}: question_ref {s['question_ref']!r} is not a demo question")
    _fail(out)


def test_demo_circles():
    label = "content/demo/circles.json"
    out = []
    for circle in CIRCLES:
        where = f"{label} {circle.get('name')!r}"
        out += _person(f"{where} facilitator", circle.get("facilitator"), FACILITATORS)
        members = circle.get("members") or []
        for m in members:
            out += _person(f"{where} member", m, MEMBERS)
        if circle.get("facilitator") in members:
            out.append(f"{where}: the facilitator is also listed as a member")
        if circle.get("cluster") not in CLUSTERS:
            out.append(f"{where}: cluster {circle.get('cluster')!r}")
        for n, meeting in enumerate(circle.get("meetings", []), start=1):
            at = f"{where} meeting {n}"
            method = meeting.get("method")
            if method not in METHODS:
                out.append(f"{at}: method {method!r} is not in content/intervisie")
                continue
            keys = [step["key"] for step in METHODS[method]["steps"]]
            for case in meeting.get("cases", []):
                c = f"{at} case {case.get('title')!r}"
                by = case.get("brought_by")
                if by not in members:
                    out.append(f"{c}: brought_by {by!r} is not a member of the circle")
                ref = case.get("question_ref")
                if ref is not None and ref not in QUESTION_REFS:
                    out.append(f"{c}: question_ref {ref!r} is not a demo question")
                steps = list(case.get("steps", {}))
                unknown = [k for k in steps if k not in keys]
                if unknown:
                    out.append(f"{c}: steps {unknown} are not steps of {method} {keys}")
                elif steps != [k for k in keys if k in steps]:
                    out.append(f"{c}: steps are not in the order of {method}")
            for lesson in meeting.get("lessons", []):
                target = lesson.get("publish_as")
                if target is None or target == "case":
                    continue
                if not str(target).startswith("dossier:"):
                    out.append(f"{at}: lesson publish_as {target!r} (case, dossier:... or null)")
                    continue
                out += _link_problems(f"{at} lesson", "/kennisbank/" + target[len("dossier:") :])
    _fail(out)


# --- the demo region: texts -----------------------------------------------------------------


def demo_texts() -> list[tuple[str, str]]:
    """(where, text) for every text a demo visitor reads."""
    out = []
    for name, items in (("cases.jsonl", CASES), ("open_questions.jsonl", OPEN)):
        for q in items:
            where = f"content/demo/{name} {q['ref']}"
            out += [(f"{where} title", q["title"]), (f"{where} body", q["body"])]
            for n, a in enumerate(q.get("answers", [])):
                out.append((f"{where} answer {n}", a["body"]))
            if q.get("addition"):
                out.append((f"{where} addition", q["addition"]["body"]))
    for circle in CIRCLES:
        where = f"content/demo/circles.json {circle['name']!r}"
        out += [(f"{where} name", circle["name"]), (f"{where} theme", circle.get("theme", ""))]
        for n, meeting in enumerate(circle.get("meetings", []), start=1):
            at = f"{where} meeting {n}"
            out.append((f"{at} agenda", meeting.get("agenda", "")))
            for case in meeting.get("cases", []):
                out.append((f"{at} case title", case.get("title", "")))
                for key, text in case.get("steps", {}).items():
                    out.append((f"{at} case {case.get('title')!r} step {key}", text))
            for k, lesson in enumerate(meeting.get("lessons", []), start=1):
                out.append((f"{at} lesson {k}", lesson.get("text", "")))
    for s in SUPPORT:
        where = f"content/demo/support.jsonl {s['ref']}"
        for key in ("want_to_know", "availability"):
            out.append((f"{where} {key}", s.get(key) or ""))
        for key, text in (s.get("outcome") or {}).items():
            out.append((f"{where} outcome {key}", text or ""))
    for a in ACTIVITIES:
        where = f"content/demo/activities.json {a.get('title')!r}"
        for key in ("title", "description", "summary"):
            out.append((f"{where} {key}", a.get(key) or ""))
    return out


DEMO_TEXTS = demo_texts()


def test_demo_texts_pass_the_privacy_guard():
    out = []
    for where, text in DEMO_TEXTS:
        for f in privacy.scan(text, SCHOOLS):
            around = text[max(0, f.start - 30) : f.end + 30].replace("\n", " ")
            out.append(f"{where}: the privacy guard finds a {f.label} {f.text!r}: ...{around}...")
    _fail(out)


def test_demo_links_resolve():
    out = []
    for where, text in DEMO_TEXTS:
        out += _link_problems(where, text)
    _fail(out)


def test_demo_places_are_fictional():
    venues = [(f"content/demo/circles.json {c['name']!r}", c.get("place", "")) for c in CIRCLES]
    venues += [
        (f"content/demo/activities.json {a['title']!r}", a.get("place", "")) for a in ACTIVITIES
    ]
    texts = [
        *DEMO_TEXTS,
        *venues,
        ("content/demo/region.json", json.dumps(REGION, ensure_ascii=False)),
    ]
    out = [
        f"{where}: names the real place {m.group(0)!r}; use a place from region.json"
        for where, text in texts
        for m in REAL_PLACE.finditer(text)
    ]
    for where, venue in venues:
        # "SO Het Driespan, teamkamer (Lammerhoven)": the place in brackets is one of the region's.
        named = re.search(r"\(([^)]+)\)\s*$", venue)
        if named and named.group(1) not in PLACES:
            out.append(f"{where}: place {named.group(1)!r} is not a place in region.json")
    _fail(out)


# --- the demo region: balance (issue 12) ---------------------------------------------------

# The pupil a question is about, as a teacher writes it ("ze" is left out: it is also plural).
GIRL = re.compile(r"\b(?:meisjes?|meid(?:en|je)?|zij)\b", re.IGNORECASE)
BOY = re.compile(r"\b(?:jongens?|jongetje|knul(?:letje)?|hij)\b", re.IGNORECASE)


def test_demo_has_girls_about_as_often_as_boys():
    texts = [f"{q['title']}\n{q['body']}" for q in CASES + OPEN]
    girls = sum(len(GIRL.findall(t)) for t in texts)
    boys = sum(len(BOY.findall(t)) for t in texts)
    share = girls / (girls + boys) if girls + boys else 0
    assert 0.40 <= share <= 0.60, (
        f"content/demo cases and open questions: {girls} mentions of meisje/meid/zij and "
        f"{boys} of jongen/knul/hij in titles and bodies; girls are {share:.0%} (40-60%)"
    )


def test_demo_cases_vary():
    counts = sorted({len(q["answers"]) for q in CASES})
    assert len(counts) >= 3, (
        f"content/demo/cases.jsonl: every case has one of {counts} answers; "
        "use at least three different answer counts"
    )
    best = sorted({q["best"] for q in CASES})
    assert len(best) > 1, f"content/demo/cases.jsonl: the best answer is always answer {best}"
    helped = {q.get("helped") for q in CASES}
    assert {"deels", "nee"} & helped, (
        "content/demo/cases.jsonl: every case helped; a real region has answers that did not work"
    )
