"""The working group's page: themes found in the questions, the funnel, small cells withheld."""

import re

import numpy as np

from index.themes import find_themes, silhouette
from portal.db import get_db, get_index
from portal.insights import data, themes
from portal.questions import cases

from .helpers import answer, ask, user_id
from .test_notifications import run_jobs

GROUPS = {
    "bijten": (
        "agressief",
        [
            "Kleuter bijt andere kinderen in de kring",
            "Een kleuter bijt en knijpt bij het buitenspelen",
            "Bijten in groep 1 als hij zijn zin niet krijgt",
            "Kleuter bijt zijn buurjongen tijdens het spelen in de hoek",
            "Hoe leer ik een kleuter om niet meer te bijten",
            "Bijten en krabben bij het opruimen van de kleuter",
            "Een kleuter die bijt als het druk is in de kring",
        ],
    ),
    "huiswerk": (
        "informatieverwerking-sociaal",
        [
            "Huiswerk vergeten en de planning lukt niet",
            "Hij vergeet elke week zijn huiswerk en zijn agenda",
            "Planning van huiswerk in groep 8 gaat steeds mis",
            "Agenda en huiswerk bijhouden lukt haar niet",
            "Huiswerk maken thuis: planning met ouders afspreken",
            "Steeds huiswerk vergeten, agenda kwijt, planning weg",
            "Hoe help ik met een planning voor het huiswerk",
        ],
    ),
    "stil": (
        "angstig-teruggetrokken",
        [
            "Meisje fluistert alleen en praat niet hardop in de klas",
            "Ze praat niet in de klas maar thuis wel, heel stil",
            "Stil kind fluistert tegen één vriendin, praat niet tegen mij",
            "Praat niet in de kring, fluistert alleen, erg stil",
            "Een stille leerling die niet praat bij de presentatie",
            "Heel stil en fluistert, praat niet met de juf",
            "Kind praat niet op school en fluistert, is stil",
        ],
    ),
}


def _ask_all(app):
    ids = {}
    for key, (cluster, titles) in GROUPS.items():
        ids[key] = [
            ask(app, title=t, body=f"{t}. Wat kan ik doen in de klas?", cluster=cluster)
            for t in titles
        ]
    return ids


def test_themes_follow_the_questions_and_are_labelled_with_their_own_words(app):
    ids = _ask_all(app)
    with app.app_context():
        result = themes.run(get_db(), get_index())
        found = themes.latest(get_db())
    assert result["insight_questions_embedded"] == 21 and result["insight_themes"] == 1
    assert len(found["themes"]) == 3  # found in the questions, not a fixed number
    for theme in found["themes"]:
        group = next(k for k, v in ids.items() if set(theme["questions"]) <= set(v))
        typical = {"bijten": {"bijt", "kleuter"}, "huiswerk": {"huiswerk", "planning"},
                   "stil": {"praat", "fluistert", "stil"}}[group]  # fmt: skip
        assert theme["size"] == 7 and typical & set(theme["words"][:3])
        assert all(title in GROUPS[group][1] for title in theme["examples"])
        assert 0.0 <= theme["covered_share"] <= 1.0
        assert list(theme["clusters"]) == [GROUPS[group][0]]
    # Nothing new: nothing embedded again, the themes are not recomputed.
    with app.app_context():
        again = themes.run(get_db(), get_index())
    assert again == {"insight_questions_embedded": 0, "insight_themes": 0}


def test_the_number_of_themes_adapts_to_the_corpus():
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(5, 32))
    vectors = np.concatenate([c + 0.05 * rng.normal(size=(12, 32)) for c in centres])
    texts = [f"woord{n // 12} tekst" for n in range(60)]
    assert len(find_themes(vectors, texts, min_size=5)) == 5
    two = np.concatenate([centres[0] + 0.05 * rng.normal(size=(15, 32)),
                          centres[1] + 0.05 * rng.normal(size=(15, 32))])  # fmt: skip
    assert len(find_themes(two, texts[:30], min_size=5)) == 2
    assert find_themes(vectors[:8], texts[:8], min_size=5) == []  # too few to say anything
    labels = np.repeat(np.arange(5), 12)
    assert silhouette(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), labels) > 0.8


def test_jobs_run_keeps_the_themes_up_to_date(app):
    _ask_all(app)
    assert run_jobs(app)["insight_themes"] == 1
    ask(app, title="Nog een kleuter die bijt in de kring", cluster="agressief")
    result = run_jobs(app)
    assert result["insight_questions_embedded"] == 1 and result["insight_themes"] == 0


def test_no_figure_shows_fewer_than_five(app, client, auth):
    qids = [ask(app, title=f"Vraag nummer {n} over onrust in de klas") for n in range(4)]
    answer(app, qids[0])
    auth.login("coordinator")
    html = client.get("/beheer/inzicht").get_data(as_text=True)
    assert "minder dan 5" in html
    # Four questions at De Linde: the school is not even named, and its row does not count.
    assert "De Linde" not in html.split('id="school"')[1].split("</section>")[0]
    row = re.search(r"<th scope=\"row\">Andere scholen[^<]*</th>(.*?)</tr>", html, re.S).group(1)
    assert ">4<" not in row and "minder dan 5" in row
    csv = client.get("/beheer/inzicht/school.csv")
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).startswith("\ufeff")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("school;vragen") and lines[1].startswith("Andere scholen (")
    assert "De Linde" not in csv.get_data(as_text=True)
    for n in range(4, 6):
        ask(app, title=f"Vraag nummer {n} over onrust in de klas")
    html = client.get("/beheer/inzicht").get_data(as_text=True)
    assert '<th scope="row">De Linde</th>' in html  # five: named, and counted
    with app.app_context():
        assert data.cell(4) is None and data.cell(0) == 0 and data.cell(5) == 5


def test_the_funnel_counts_each_step_once(app, client, auth):
    qids = [ask(app, title=f"Een vraag over druk gedrag, nummer {n}") for n in range(6)]
    for qid in qids[:5]:
        answer(app, qid)
    with app.app_context():
        db = get_db()
        for qid in qids[:5]:
            best = db.execute("SELECT id FROM answers WHERE question_id = ?", [qid]).fetchone()[0]
            cases.mark_best(db, get_index(), qid, best, user_id(app, "teacher"))
        steps = {s["key"]: s["count"] for s in data.funnel(db)}
    assert steps["gesteld"] == 6 and steps["beantwoord"] == 5 and steps["opgelost"] == 5
    assert steps["escalatie"] == 0 and steps["ondersteuning"] == 0
    auth.login("coordinator")
    page = client.get("/beheer/inzicht").get_data(as_text=True)
    assert '<svg class="chart bars"' in page and "Van vraag tot hulp" in page
    assert " style=" not in page and "<script" not in page.split("</head>")[1]
    funnel = client.get("/beheer/inzicht/trechter.csv").get_data(as_text=True)
    assert "Vragen gesteld;6" in funnel and "Beantwoord door collega's;5" in funnel
