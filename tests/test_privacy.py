"""The privacy guard: found in text, shown with a fix, checked on the server and on import."""

import json
import re
from pathlib import Path

import pytest

import privacy
import privacy.names
import privacy.patterns
from portal.db import get_db
from privacy import guard
from privacy.evaluate import evaluate as evaluate_privacy

from .helpers import ask, count

DATA = Path(__file__).parent / "data" / "privacy"
SCHOOLS = ["Basisschool De Regenboog", "SBO De Uiterwaard"]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Daan van der Berg slaat steeds.", "name", "Daan van der Berg"),
        ("gisteren schopte daan weer", "name", "daan"),
        ("Zijn BSN is 1112.22.333.", "bsn", "1112.22.333"),
        ("Bel moeder op 06-12345678.", "phone", "06-12345678"),
        ("Bel 020 123 4567 na drie uur.", "phone", "020 123 4567"),
        ("Mail vader@example.nl even.", "email", "vader@example.nl"),
        ("Ze wonen op Lindelaan 14a in 3512 AB.", "address", "Lindelaan 14a"),
        ("Ze wonen in 3512 AB.", "postcode", "3512 AB"),
        ("Hij is geboren op 12 maart 2017.", "birthdate", "12 maart 2017"),
        ("Ik werk op De Regenboog.", "school", "De Regenboog"),
        ("Roos (8) huilt veel.", "name", "Roos"),
        ("Een jongen van 7 op De Regenboog bijt.", "age", "7"),
        # Schools written as one word, and with every prefix.
        ("Hij zit op de Vlinderschool in groep 4.", "school", "Vlinderschool"),
        ("De Eikenhofschool heeft een rustplek.", "school", "De Eikenhofschool"),
        ("Bij Pieter Bruegelschool weten ze raad.", "school", "Pieter Bruegelschool"),
        ("Ik werk op KBS De Wegwijzer.", "school", "KBS De Wegwijzer"),
        ("Ze komt van IBS Noer.", "school", "IBS Noer"),
        ("Op PCBS Het Baken gaat het goed.", "school", "PCBS Het Baken"),
        ("Hij ging naar rkbs de Hoeksteen.", "school", "rkbs de Hoeksteen"),
        ("Wij zijn o.b.s. De Tandem.", "school", "o.b.s. De Tandem"),
        # Birth dates as ISO dates and with "geb.".
        ("Ze is geboren op 2017-03-14.", "birthdate", "2017-03-14"),
        ("Het meisje is van 2015-07-30.", "birthdate", "2015-07-30"),
        ("Gegevens: geb. 5/6/2018, groep 2.", "birthdate", "5/6/2018"),
        ("Gegevens: geb. 5/6/'18, groep 2.", "birthdate", "5/6/'18"),
        # First names that are not in the main list, found by their context.
        ("Maysa (7) speelt alleen.", "name", "Maysa"),
        ("Awet (groep 3) is net nieuw.", "name", "Awet"),
        ("Tycho gooit met stoelen.", "name", "Tycho"),
        ("Vandaag werd Djaimy weer boos.", "name", "Djaimy"),
        ("Mees' vader belde boos.", "name", "Mees"),
        ("Zijn ouders Ruurd zijn boos.", "name", "Ruurd"),
        ("Ik heb een vraag over wytse, hij bijt.", "name", "wytse"),
        ("Sietske de Boer leest slecht.", "name", "Sietske de Boer"),
        # A name in no list at all: starts a sentence, a verb follows, and it is no word.
        ("Het gaat slecht. Zuzana is nieuw en huilt.", "name", "Zuzana"),
        ("Awet heeft veel meegemaakt.", "name", "Awet"),
        # Addresses with a context but no street ending.
        ("Fenna (Akkerwinde 23, 9202RN Drachten) zorgt thuis.", "address", "Akkerwinde 23"),
        ("Ze woont sinds kort op Akkerwinde 23.", "address", "Akkerwinde 23"),
        ("Ze wonen op de Oude Schoolstraat 12.", "address", "Oude Schoolstraat 12"),
        # A street ending as a word of its own after a capitalised word, a postcode after "in".
        ("Ze wonen op de Grote Markt 4.", "address", "Grote Markt 4"),
        ("Vader zit op Lange Haven 12a in 8011 AB.", "address", "Lange Haven 12a"),
        ("Het gezin woont aan de Hoge Vaart 7.", "address", "Hoge Vaart 7"),
        # A name in no list that starts a sentence: any verb form after it, also after a
        # surname, or with another person and a plural verb.
        ("Oleksii fluistert de hele dag.", "name", "Oleksii"),
        ("Hij is nieuw. Tendai knutselde alleen.", "name", "Tendai"),
        ("Tsega Gebremariam schreeuwt vaak.", "name", "Tsega Gebremariam"),
        ("Fiyori en haar vader slapen bij een tante.", "name", "Fiyori"),
        # After a verb, in inverted word order.
        ("Gisteren sloeg Elmedin een kind.", "name", "Elmedin"),
        ("Nu wil Ngozi niet meer naar buiten.", "name", "Ngozi"),
        # With a group or an age after it, without a bracket; with family after "en"/"met".
        ("Wiktorija uit groep 6 gooit met stoelen.", "name", "Wiktorija"),
        ("Ik heb een vraag. Tigist, 8 jaar, komt uit Eritrea.", "name", "Tigist"),
        ("We zien Tsega met haar broer op het plein.", "name", "Tsega"),
        # A first name that is also a word, before a verb of the list.
        ("Roos vraagt steeds om hulp.", "name", "Roos"),
        ("Fleur wordt vaak gepest.", "name", "Fleur"),
        # Surnames: lower-case particles after a title, "'t" after a preposition.
        ("Het gezin van der Berg verhuist.", "name", "van der Berg"),
        ("De familie de Boer verhuist.", "name", "de Boer"),
        ("Sanne van 't Erve huilt vaak.", "name", "Sanne van 't Erve"),
        ("Merel in 't Zandt heeft dyslexie.", "name", "Merel in 't Zandt"),
        # Hyphenated first names and double surnames; a surname in no list before a verb.
        ("Mila-Rose komt zonder ontbijt.", "name", "Mila-Rose"),
        ("Mees Hoekstra-Dijkstra heeft een vraag.", "name", "Mees Hoekstra-Dijkstra"),
        ("Aaliyah Doelwijt zit in groep 6.", "name", "Aaliyah Doelwijt"),
        # Ages in words where they are said as an age, once a school is named.
        ("Op De Regenboog zit een jongen van negen jaar.", "age", "negen jaar"),
        ("Op De Regenboog hebben we Lieve, zeven jaar oud.", "age", "zeven jaar oud"),
        # A lower-case street with a postcode after it, an address after "adres <who>:".
        ("adres pleeggezin: schoolstraat 21, 7941bn meppel", "address", "schoolstraat 21"),
        ("Adres moeder: dorpsweg 4a", "address", "dorpsweg 4a"),
        # Schools known from what is said around them, in chat-style lower case, with a hyphen.
        ("Ze zit in groep 7 van De Kameleon.", "school", "De Kameleon"),
        ("Mijn neef werkt op het Esterpad als invaller.", "school", "Esterpad"),
        ("De ib'er van De Zandloper belde.", "school", "De Zandloper"),
        ("wie kent cbs de klimboom?", "school", "cbs de klimboom"),
        ("Hij kwam van de Koningin-Julianaschool.", "school", "Koningin-Julianaschool"),
        ("Ik zat vroeger op Vrije School Parcival.", "school", "Vrije School Parcival"),
        # Ages in appositions, brackets and without "jaar", once a school is named.
        ("Timo Bakker, negen jaar, zit op De Kameleon.", "age", "negen jaar"),
        ("Lotte (acht) zit op De Kameleon.", "age", "(acht)"),
        ("Ze zit op De Kameleon, een meisje van elf dat stottert.", "age", "elf"),
        ("Esmee is tien, ze zit op De Kameleon.", "age", "tien"),
        # A birth date on a form's line about it, also a parent's and with a short year.
        ("Geboortedatum moeder: 1990-04-21", "birthdate", "1990-04-21"),
        ("Geboortedatum Wout (zie dossier): 4/5/16", "birthdate", "4/5/16"),
        ("Geboren (vader): 3 mrt. 1987", "birthdate", "3 mrt. 1987"),
        # Area codes in brackets, postcodes in lower case before a town, "-A" house numbers.
        ("Bel haar op (0592) 34 56 78.", "phone", "(0592) 34 56 78"),
        ("Woonplaats: 7822 hk Emmen", "postcode", "7822 hk"),
        ("Adres: Hoofddiep 12-B, Emmen", "address", "Hoofddiep 12-B"),
        ("ze wonen op de kanaalweg 8 in Assen", "address", "kanaalweg 8"),
        # Names: after a form label, after "moeder van", two unknown words, a title in lower
        # case that is no word, "dr.", a bracket with family, named again without evidence.
        ("Naam leerling: Bohdan Tkachenko", "name", "Bohdan Tkachenko"),
        ("De vader van Taras belt morgen.", "name", "Taras"),
        ("Wij maken ons zorgen om Bohdan Hrytsenko sinds de zomer.", "name", "Bohdan Hrytsenko"),
        # A form's school line, a school named again without its prefix, after "bij De".
        ("Vorige school: GBS De Wingerd (Urk)", "school", "GBS De Wingerd"),
        ("Ik haal hem altijd op bij De Vuurtoren.", "school", "De Vuurtoren"),
        ("Op 't Kompasje (groep 3) gaat het goed.", "school", "'t Kompasje"),
        # A number after a name, a form's age field; a parent in brackets, with a possessive.
        ("Op De Kameleon zit Noud, 8, in groep 5.", "age", "8"),
        ("School: De Kameleon\nLeeftijd: 9", "age", "9"),
        ("Moeder (Ayşe) belde vanochtend.", "name", "Ayşe"),
        # Round three: an age line under any label, after "hij is", at a line's end after a
        # name, in a table's age column (each with a school); a postcode on a form's line;
        # the prefix "bs".
        ("Beoogde school: SO De Piramide\nLeeftijd bij aanvraag: 10", "age", "10"),
        ("School: OBS De Es\nLeeftijd: negen\nGroep: 6", "age", "negen"),
        ("Hij zit op OBS De Es. Hij is 10, dus hij komt in groep 6.", "age", "10"),
        ("Op OBS De Es zijn Sagal en Hamdi zusjes.\nHamdi is 4\nSagal start later", "age", "4"),
        ("Groep 5, OBS De Es\nNaam | Groep | Leeftijd\nJoris Bakker | 5 | 8", "age", "8"),
        ("adres: zeeheldenstraat 17\npostcode: 3082 tr\nschool: obs de es", "postcode", "3082 tr"),
        ("Op bs Meulenveld hebben we afgesproken dat het anders gaat.", "school", "bs Meulenveld"),
    ],
)
def test_finds_personal_data(text, kind, found):
    findings = privacy.scan(text, SCHOOLS)
    assert [(f.kind, f.text) for f in findings if f.kind == kind] == [(kind, found)]
    # An adult's name (after "juf" or "moeder") gets "[naam]", a pupil's "[leerling]".
    placeholders = {privacy.REPLACEMENTS[kind]} | ({"[naam]"} if kind == "name" else set())
    assert any(p in privacy.scrub(text, SCHOOLS) for p in placeholders)


@pytest.mark.parametrize(
    "text",
    [
        "Een jongen uit groep 5 roept steeds door de klas.",
        "We tekenden een roos en praatten over de storm van gisteren.",
        "Maandag start de Kanjertraining; in maart volgt Rots en Water.",
        "Het BSN-nummer staat in het dossier: 123456789 is geen geldig nummer.",
        "Op 12-10-2026 hebben we een gesprek met de GGD en Veilig Thuis.",
        "Een jongen van 7 in groep 3 bijt als hij boos is.",
        "We zongen in de kring Berend Botje en een nieuwkomer begon te huilen.",
        # "school" inside other words, and kinds of school, are no school names.
        "Op het schoolplein en tijdens de schoolreis gaat het mis.",
        "Een montessorischool of een Daltonschool? Of liever de Zwemschool eerst?",
        "De Vreedzame School werkt bij ons. Mag de school het OPP vaststellen?",
        "Op de Gezonde School is snoep verboden.",
        # Dates that are no birth dates.
        "Op 2026-03-14 hebben we een MDO. Het schooljaar 2025-2026 begon rustig.",
        "De wet geldt sinds 1 augustus 2014 en vanaf 1-1-2015 ook voor ons.",
        "Op 32-13-2016 kan niemand geboren zijn.",
        # Sayings, characters, public names, helplines, medicines, pages, verbs, titles.
        "Bij ons loopt Jan en alleman het lokaal in.",
        "Het is Jantje lacht, Jantje huilt bij hem.",
        "Joost mag weten waarom hij zo boos was.",
        "In de kring praat Raai de Kraai over boos en blij.",
        "Jan Klaassen en Katrijn maakten een kleuter bang.",
        "We lezen Jip en Janneke en hij wil een papa zoals Jip.",
        "Hans en Grietje vindt hij te eng.",
        "We lezen Mees Kees voor. Na het voorlezen van Matilda was het stil.",
        "In de klas hangt een poster van Anne Frank.",
        "Het nummer van de Kindertelefoon en van Villa Pinedo hangt op het bord.",
        "Jantje Beton gaf ons geld. Een meisje ligt in het Sophia Kinderziekenhuis.",
        "Hij krijgt Concerta (18 mg) en Ritalin. Medikinet werkt tot de lunch.",
        "Op bladzijde 12 staat het antwoord 3 en in de bouwhoek 2 liggen blokken.",
        "Ik ben (groep 6) nieuw. Ben jij ook moe? Ik ben en blijf de juf.",
        "Juf, mag ik naar de wc? Meester, hij begon! De juf van groep 5 is ziek.",
        "Hij is een jongen, Friese naam, en wordt uitgelachen.",
        "- **Vraag niet door over de vlucht.** ### Kleuters (groep 1-2)",
        "Zie Taylor, G., Anderson, R. en Harper, L. (2014) over angst.",
        # Sentence-initial words before a verb that are words, places or helplines.
        "Rust is belangrijk. Zwolle heeft een goede aanpak. Helpwanted is er ook.",
        "Strattera is een optie. Structuur is alles. Eritrea is ver weg.",
        "De knuffel Tim helpt bij ruzie, en de hamster Max ook.",
        # Verb forms after words that are no names: compounds, participles, things, tools.
        "Beloningssysteem faalt bij hem. Klassenmap gemaakt en opgeruimd.",
        "Kahoot werkt goed en Padlet helpt ook. Ouderportaal werkt niet.",
        "Lieve groet, de juf van groep 4. Ben benieuwd wat jullie doen.",
        "Incredible Years is een oudertraining. Triple P ook.",
        # "uit groep" and family after words that are Dutch, inverted order after "uit".
        "Kinderen uit groep 7 pesten een jongen. De Kanjers uit groep 5 winnen.",
        "Nederland en haar inwoners. Ze is met haar moeder uit Charkiv gevlucht.",
        # A first name after "de", or after "het" and a preposition: a shop or a hospital.
        "We halen fruit bij de Dirk. Ze ligt al weken in het Sophia.",
        # Public people and authors, the title of their book, the singer of songs.
        "Hij wil alleen over Cody Gakpo en Memphis praten. Volgens Carol Dweck werkt het.",
        "Floortje van Jacques Vriens lees ik voor, en Ronja van Astrid Lindgren.",
        "We zingen liedjes van Henk Westbroek en de boeken van Thijs Goverde zijn favoriet.",
        "De schrijver Paul Biegel en de zangeres Lisa komen op bezoek.",
        # Titles in quotes after a book or reading; characters of a work the text names.
        "We lezen 'Koning Arthur en de ridders' in groep 6.",
        "Ze zingt alle liedjes uit Frozen en wil Elsa zijn. Olaf vindt ze ook leuk.",
        "Hij kijkt de hele dag Brandweerman Sam en Bob de Bouwer.",
        "Met Sint-Juttemis komt dat goed. Magere Hein is een eng idee.",
        # Tools, medicines and youth care that the word list does not know.
        "Accare heeft een wachtlijst. Movicolon helpt niet, Buccolam ligt klaar.",
        # "Berg 2024" is a year, no house number.
        "Zomerkamp Berg 2024 was leuk.",
        # A saying glued to a word, a song in quotes, a title in quotes the sentence calls a
        # book, a place after "familie in", a year before an abbreviation, a time.
        "Dat is een Jan met de pet-aanpak. Bij het opruimen zingen we 'Berend Botje'.",
        "'Mees gaat logeren' is een mooi prentenboek over heimwee.",
        "Hij logeert bij familie in Zuidlaren.",
        "Sinds 2024 AI-lessen in groep 8. We gaan naar de Efteling en werken bij de Jumbo.",
        "Ze speelt Paw Patrol en wil altijd Skye zijn.",
        # A toy's name, the people of a feast's story, a programme, a place after "uit".
        "Onze klassenpop heet Pompie en zit elke ochtend in de kring.",
        "In het kerstverhaal spelen de kleuters Maria en Jozef, en een engel.",
        "We kijken afleveringen van De Fabeltjeskrant. Een jongen uit India kijkt mee.",
        "Versie 2 van het protocol is van 14-03-2024.",
        # Round three: a puppet named after a comma and then again, a school dog, a word's
        # ending in brackets, the people of a sum (also named again), characters, a shop.
        "De juf heeft een klassenpop, Lotje. De kinderen willen dat Lotje meedoet met alles.",
        "Onze schoolhond Bobbie (labradoodle) mag vanaf maandag weer mee.",
        "Naam kind(eren) + groep: ..........",
        "In de som staat: 'Fatima koopt 4 pakken melk.' Mijn lln vroegen wie Fatima is.",
        "Mijn groep 5 wil na Harry Potter verder met Percy Jackson. Of Mr. Bean?",
        "Wij hebben een ontbijtkast, gesponsord door de Jumbo. Is het Wilhelmus te lang?",
    ],
)
def test_clean_texts_raise_no_alarm(text):
    assert privacy.scan(text, SCHOOLS) == []


def test_a_name_beside_a_sum_or_a_pet_is_still_a_name():
    # The exercise rule masks the people inside the quoted sum, not a pupil outside it who
    # has another name; the pet rule the pet's name, not the child who walks it.
    text = "In de som staat: 'Fatima koopt 4 pakken melk.' Daan vroeg wie dat is."
    assert [f.text for f in privacy.scan(text)] == ["Daan"]
    text = "Onze schoolhond Bobbie loopt mee. Sem laat hem uit."
    assert [f.text for f in privacy.scan(text)] == ["Sem"]
    # No school named: an age alone is what every question says.
    assert privacy.scan("Hij is 10, dus hij komt in groep 6.") == []


def test_names_in_lists_minutes_and_sign_offs():
    scan = privacy.scan
    minutes = "aanw: Pauline (ib), Miep (1/2a), Dunya (1/2b)\n• Tygo: praat nog weinig"
    assert [f.text for f in scan(minutes)] == ["Pauline", "Miep", "Dunya", "Tygo"]
    medicines = "Ivan – mag buiten spelen\nMariya – inhalator om 12:00\nStoyan – eerste dag"
    assert [f.text for f in scan(medicines)] == ["Ivan", "Mariya", "Stoyan"]
    assert [f.text for f in scan("Mevrouw Bouzid weet ervan.\n\nGroet,\nHuub")] == [
        "Bouzid",
        "Huub",
    ]
    # A week's plan, a form's labels and a team's greeting name nobody.
    for text in (
        "Maandag – gym\nDinsdag – zwemmen\nLet op: de bus gaat eerder",
        "Naam: ....\nE-mail: ....\nLesidee: de kinderen interviewen elkaar",
        "Groet,\nHet team van groep 5",
    ):
        assert scan(text) == [], text


def test_teachers_names_are_names_too():
    text = "Vraag het aan juf Anouk op de Regenboog."
    assert privacy.scrub(text, SCHOOLS) == "Vraag het aan juf [naam] op [school]."
    found = privacy.scan("Meester Bart en juf marloes, en mevrouw Koster van het wijkteam.")
    assert [(f.text, f.replacement) for f in found] == [
        ("Bart", "[naam]"),
        ("marloes", "[naam]"),
        ("Koster", "[naam]"),
    ]
    # A surname with lower-case particles after a title: "mevrouw van der Berg".
    found = privacy.scan("Gesprek met mevrouw van der Berg en meneer de Wit.")
    assert [(f.text, f.replacement) for f in found] == [
        ("van der Berg", "[naam]"),
        ("de Wit", "[naam]"),
    ]
    assert privacy.REPLACEMENTS["name"] == "[leerling]"  # a pupil stays "[leerling]"
    assert [f.replacement for f in privacy.scan("Daan slaat.")] == ["[leerling]"]


def test_what_the_review_found_raises_no_alarm():
    # Years before a word, dates after a sentence that began with "Geboren", form fields
    # that name nobody, a table's generic cells, a mark after "is".
    for text in [
        "In 2019 is Daan bij ons gekomen.",
        "Geboortedatum ouders onbekend. Gesprek op 12-03-2024 gepland.",
        "Vader: Onbekend\nVorige school: Nvt",
        "Leerling;Gedrag;Aanpak\nJongen uit groep 5;slaat;time-out",
        "Op obs de linde is het cijfer 7, dat is goed (3, 4 en 5).",
    ]:
        assert [f.kind for f in privacy.scan(text) if f.kind != "name" and f.kind != "school"] == []
        assert "Onbekend" not in [f.text for f in privacy.scan(text)]
    # A table pasted from a textarea comes with CRLF line ends.
    assert [f.text for f in privacy.scan("Groep;Gedrag;Naam\r\n5;slaat;Xyzzo\r\n")] == ["Xyzzo"]


def test_a_pasted_table_and_a_form_keep_their_fields_apart():
    table = "Nr;Achternaam;Voornaam;Geb.datum\n1;Bakker;Fenna;03-04-2016\n2;Osei;Kwabena;1-9-2015"
    assert [(f.kind, f.text) for f in privacy.scan(table)] == [
        ("name", "Bakker"),
        ("name", "Fenna"),
        ("birthdate", "03-04-2016"),
        ("name", "Osei"),
        ("name", "Kwabena"),
        ("birthdate", "1-9-2015"),
    ]
    form = "Naam: Wei Chen\nGeboortedatum: 12-08-1986"
    assert [(f.kind, f.text) for f in privacy.scan(form)] == [
        ("name", "Wei Chen"),
        ("birthdate", "12-08-1986"),
    ]


def test_a_school_named_once_in_full_is_found_again_alone():
    text = "Ik werk op OBS Westerkim in Emmen. Op Westerkim zit een jongen die bijt."
    assert [f.text for f in privacy.scan(text) if f.kind == "school"] == [
        "OBS Westerkim",
        "Westerkim",
    ]
    # Not a school's name that is a word, nor in other capitals: "de bibliotheek".
    text = "Het team van de Bibliotheek komt langs. We gaan vaak naar de bibliotheek."
    assert [f for f in privacy.scan(text) if f.kind == "school"] == []


def test_adults_after_titles_in_lower_case_or_abbreviated():
    # Adults keep "[naam]"; the dot of "dr." ends no sentence; "meneer" + no word is a name.
    assert privacy.scrub("Huisarts: dr. Brouwer") == "Huisarts: dr. [naam]"
    assert privacy.scrub("mevr. Dijkhuis belde.") == "mevr. [naam] belde."
    assert privacy.scrub("meneer kowalczyk komt om drie uur") == "meneer [naam] komt om drie uur"
    assert privacy.scan("meester zei dat het goed ging") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Kyan en Daan zitten naast elkaar.", ["Kyan", "Daan"]),
        ("Daan en Awet zitten naast elkaar.", ["Daan", "Awet"]),
        ("Zijn ouders Ruurd en Wietske Dijkstra zijn boos.", ["Ruurd", "Wietske Dijkstra"]),
        ("Omar en Rama Al-Khatib zijn uit Syrië gekomen.", ["Omar", "Rama Al-Khatib"]),
    ],
)
def test_names_next_to_names(text, names):
    assert [f.text for f in privacy.scan(text) if f.kind == "name"] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Two people who are in no list, before a plural verb.
        ("Elmedin Begović en Fiyori zitten altijd samen.", ["Elmedin Begović", "Fiyori"]),
        # A public name leaves the same first name elsewhere alone, so does a character's
        # when a surname or an age follows it.
        ("Max Bakker wil later net als Max Verstappen coureur worden.", ["Max Bakker"]),
        ("Anne Visser maakt een werkstuk over Anne Frank.", ["Anne Visser"]),
        ("Jip (6) praat over Jip en Janneke, net als Jip.", ["Jip"]),
        ("We lezen Jip en Janneke. Jip de Vries wil ook zo'n vriendje.", ["Jip de Vries"]),
        # A character of a work counts only in a text that names the work.
        ("Elsa uit groep 4 is jarig.", ["Elsa"]),
        ("Anna kijkt de hele dag Frozen.", ["Anna"]),
        # Not quoted speech, not a pupil's own work, not "het" as a pronoun.
        ("Hij riep: 'Daan is stom!' Ik schrok.", ["Daan"]),
        ("De tekening van Daan hangt in de gang.", ["Daan"]),
        ("Ik weet niet of het Daan lukt.", ["Daan"]),
        ("De juf van Daan is ziek. Juf van groep 5 ook.", ["Daan"]),
        # Two names and a plural verb; a bracket with family; a name said again.
        ("Fleur en Roos pesten een meisje.", ["Fleur", "Roos"]),
        ("Armando Sordam (oom van Xandro) haalt hem op.", ["Armando Sordam", "Xandro"]),
        (
            "Zara Yilmaz en Dilan lopen samen. Dilan (de jongste) huilt.",
            ["Zara Yilmaz", "Dilan", "Dilan"],
        ),
    ],
)
def test_names_in_context(text, names):
    assert [f.text for f in privacy.scan(text) if f.kind == "name"] == names


def test_a_larger_name_list_needs_evidence():
    # Names only in the larger list count with context, not as bare lower-case words.
    assert [f.text for f in privacy.scan("Tycho slaat. Mijn leerling Tycho.")] == ["Tycho"] * 2
    assert privacy.scan("we lazen over tycho in het boek") == []


def test_scan_is_bounded():
    assert len(privacy.scan("Daan " * 50000)) <= privacy.MAX_SCAN_CHARS
    text = "Het gaat goed. " * 2000 + "Daan belt 06-12345678."
    assert len(text) > privacy.MAX_SCAN_CHARS
    assert privacy.scan(text) == []  # the live warning looks at the start only


def test_scrub_covers_the_whole_text_of_any_length():
    # Findings everywhere, also right around the edges of the windows scrub() reads in.
    filler = "Het gaat goed in de klas. "
    parts, placed = [], []
    pos = 0
    while pos < 5 * privacy.MAX_SCAN_CHARS:
        parts.append(filler * 37)
        pos += len(filler) * 37
        placed.append(pos)
        piece = "Daan van der Berg belt 06-12345678 en mailt naar ouder@example.nl. "
        parts.append(piece)
        pos += len(piece)
    text = "".join(parts)
    scrubbed = privacy.scrub(text)
    assert "Daan" not in scrubbed and "06-12345678" not in scrubbed and "@" not in scrubbed
    assert scrubbed.count("[leerling] belt [telefoon] en mailt naar [e-mail].") == len(placed)
    assert scrubbed.replace(
        "[leerling] belt [telefoon] en mailt naar [e-mail]. ", ""
    ) == text.replace("Daan van der Berg belt 06-12345678 en mailt naar ouder@example.nl. ", "")
    # Findings every few characters, so some cross every possible edge of a window.
    dense = "Daan belt 06-12345678. " * 4500
    assert privacy.scrub(dense) == "[leerling] belt [telefoon]. " * 4500
    # A finding that starts exactly where a window's own part ends, or where the next begins.
    step = privacy.MAX_SCAN_CHARS - guard.WINDOW_OVERLAP
    for at in (step - 501, step - 500, step - 499, step + 499, step + 500, step + 501):
        text = "x" * at + " Daan slaat. " + "Het gaat goed. " * 2000
        assert "Daan" not in privacy.scrub(text), at


def test_scrub_of_a_short_text_is_what_scan_finds():
    text = "Noor (8) zit op De Regenboog en woont op de Kerkstraat 12, 3512 AB."
    assert privacy.scrub(text, SCHOOLS) == privacy.replace(text, privacy.scan(text, SCHOOLS))
    assert privacy.scan_all(text, SCHOOLS) == privacy.scan(text, SCHOOLS)


def test_a_span_of_time_in_words_is_no_age():
    text = "Op De Regenboog werk ik al twee jaar; negen jaar geleden begon ik daar."
    assert [f.kind for f in privacy.scan(text, SCHOOLS)] == ["school"]


def test_the_age_rule_looks_at_the_whole_text():
    text = "Een meisje van de Vlinderschool. " + "Het gaat goed. " * 3000 + "Ze is 7 jaar."
    assert "7 jaar" not in privacy.scrub(text) and "[leeftijd]" in privacy.scrub(text)


def _unbounded_nested_repeats(pattern: re.Pattern) -> list[str]:
    """Repeats without an upper bound inside another repeat: the cause of quadratic time."""
    from re import _constants as c
    from re import _parser as parser

    found = []

    def walk(items, inside_repeat):
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, high, sub = av
                if high == c.MAXREPEAT and inside_repeat:
                    found.append(str(sub))
                walk(sub, inside_repeat or high > 1)
            elif op in (c.SUBPATTERN, c.ATOMIC_GROUP):
                walk(av[-1], inside_repeat)
            elif op == c.BRANCH:
                for branch in av[1]:
                    walk(branch, inside_repeat)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1], inside_repeat)

    walk(parser.parse(pattern.pattern, pattern.flags), False)
    return found


def test_no_pattern_can_backtrack_quadratically():
    patterns = [
        value
        for module in (privacy.patterns, privacy.names)
        for value in vars(module).values()
        if isinstance(value, re.Pattern)
    ]
    patterns += [
        privacy.names._not_name_phrases(),
        privacy.names._public_names(),
        privacy.names._character_phrases(),
    ]
    assert len(patterns) >= 15
    assert {
        p.pattern: _unbounded_nested_repeats(p) for p in patterns if _unbounded_nested_repeats(p)
    } == {}
    # The old address and e-mail patterns (issue 14) fail this check.
    old_address = re.compile(r"\b(?:[A-Z][\w'-]*\s+){0,3}[A-Za-z][\w'-]*straat\s+\d{1,4}")
    old_email = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
    assert _unbounded_nested_repeats(old_address) and _unbounded_nested_repeats(old_email)


def test_replacing_one_finding_keeps_the_rest():
    fixed = privacy.apply_fix({"body": "Daan belt 06-12345678"}, "body:0:4")
    assert fixed["body"] == "[leerling] belt 06-12345678"
    assert privacy.apply_fix({"body": "Daan belt 06-12345678"}, "all")["body"] == (
        "[leerling] belt [telefoon]"
    )


LABELLED_SCHOOLS = [
    line for line in (DATA / "schools.txt").read_text().splitlines() if line and line[0] != "#"
]


# Frozen held-out sets, each measured once at the end of a round (docs/PRIVACY.md), never
# tuned on: the targets below are not asserted on them. Earlier held-out sets (heldout to
# heldout-10) were each measured once and are development sets since; each was written by a
# helper that saw neither the guard, its lists nor any other set. A new round adds its own.
# heldout-11 was measured once (3 December 2026) and tuned on since (4 December 2026; its
# two 0800 numbers relabelled: a service number identifies nobody, as in heldout-8).
# heldout-12 (488 texts) was committed unread on 4 December 2026, its six service numbers
# relabelled by that rule before anything was measured, measured once the same day
# (docs/PRIVACY.md) and tuned on since. heldout-13 (480 texts) was committed unread on 4
# December 2026 after round six's last change, measured once right after and tuned on since.
# heldout-14 (494 texts) was committed unread on 4 December 2026 at the end of round six,
# measured once at the start of round seven (the same day) and tuned on since. heldout-15
# (480 texts) was committed unread on 4 December 2026 in round seven, measured once at the
# start of round eight (5 December 2026) and tuned on since. heldout-16 (480 texts) was
# written on 6 December 2026 by a helper that saw neither the guard nor any other set, and
# committed unread after round eight's last change to the guard, measured once the same day
# (docs/PRIVACY.md) and tuned on since. heldout-17 (480 texts) was written the same day by
# another such helper and committed unread after round nine's last change to the guard,
# measured once right after (docs/PRIVACY.md) and tuned on since. heldout-18 (480 texts)
# was written the same day by a third such helper and committed unread after the tuning on
# heldout-17, measured once at the end of round nine (docs/PRIVACY.md) and tuned on since
# (round ten). heldout-19 (480
# texts) was written on 6 December 2026 by a fourth such helper and committed unread before
# round ten tuned the guard on heldout-18, measured once after that tuning (docs/PRIVACY.md)
# and tuned on since. heldout-20 (480 texts) was written by a fifth such helper while the
# guard was tuned on heldout-19, and committed unread after that tuning.
FROZEN: set[str] = {"heldout-20"}


def labelled_sets(frozen=False):
    return sorted(p for p in DATA.glob("*.jsonl") if frozen or p.stem not in FROZEN)


@pytest.mark.parametrize("path", labelled_sets(), ids=lambda p: p.stem)
def test_meets_the_targets_on_labelled_sets(path):
    # The targets of issue 14: names >= 0.95, birth dates and schools >= 0.90, the rest
    # >= 0.95, false alarms on at most 3% of the clean texts.
    report = evaluate_privacy(path, LABELLED_SCHOOLS)
    assert report["texts"] >= 60
    kinds = report["kinds"]
    targets = {"name": 0.95, "birthdate": 0.90, "school": 0.90}
    for kind in ("name", "bsn", "email", "phone", "postcode", "address", "birthdate", "school"):
        assert kinds[kind]["recall"] >= targets.get(kind, 0.95), (kind, kinds[kind])
    assert report["false_alarm_rate"] <= 0.03, report["false_alarm_rate"]


def test_labelled_sets_are_well_formed():
    for path in labelled_sets(frozen=True):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            row = json.loads(line)
            for f in row["findings"]:
                assert f["kind"] in privacy.REPLACEMENTS, (path.name, n, f)
                assert row["text"][f["start"] : f["end"]] == f["text"], (path.name, n, f)


def test_cli_scan_reads_stdin(runner):
    result = runner.invoke(
        args=["privacy", "scan", "--json"], input="Daan (7) van De Linde, bel 06-12345678"
    )
    findings = json.loads(result.output)
    assert [f["kind"] for f in findings] == ["name", "age", "school", "phone"]
    assert set(findings[0]) == {"kind", "start", "end", "text", "replacement"}
    assert findings[0]["replacement"] == "[leerling]"


QUESTION = {
    "title": "Daan uit groep 6 roept steeds door de klas",
    "body": "Hij kan niet wachten op zijn beurt. Moeder is bereikbaar op 06-12345678.",
    "cluster": "druk-impulsief",
}


def test_posting_with_a_name_warns_first_and_posts_nothing(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "action": "post"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Let op" in html and "<mark>Daan</mark>" in html and "<mark>06-12345678</mark>" in html
    assert "Vervang door [leerling]" in html and "toch plaatsen" in html
    assert count(app, "questions") == 0


def test_one_click_replacement_then_post(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "privacy_fix": "all"})
    html = response.get_data(as_text=True)
    assert "[leerling] uit groep 6" in html and "[telefoon]" in html
    assert "Let op" not in html
    fixed = {
        **QUESTION,
        "title": "[leerling] uit groep 6 roept steeds door de klas",
        "body": "Hij kan niet wachten op zijn beurt. Moeder is bereikbaar op [telefoon].",
    }
    assert auth.post("/vraag", {**fixed, "action": "post"}).status_code == 302
    assert count(app, "questions") == 1


@pytest.mark.parametrize(
    "text, adult, child",
    [
        ("Mandy (moeder Jurre) belde vanochtend.", "Mandy", "Jurre"),
        ("Zijn moeder Mandy belt elke dag over Jurre.", "Mandy", "Jurre"),
        ("Juf Anouk zegt dat Daan het niet meer weet.", "Anouk", "Daan"),
        ("Ik sprak haar moeder. Sem is boos, Mandy ook.", None, "Sem"),
        ("Noor (moeder overleden) zit in groep 5.", None, "Noor"),
    ],
)
def test_a_parent_gets_the_placeholder_of_an_adult(text, adult, child):
    found = {text[f.start : f.end]: f.replacement for f in privacy.scan(text)}
    assert found[child] == "[leerling]"
    assert adult is None or found[adult] == "[naam]"


def test_one_replacement_after_a_line_break_fits_a_plain_post(client, auth):
    # The live check reads line breaks as LF; a form posts them as CRLF. The key of the
    # button the live check drew must replace the same words in the posted text.
    auth.login("teacher")
    typed = "Verjaardagen september\nJade 12-09\nDefne 14-09"
    live = auth.post("/vraag", {**QUESTION, "body": typed}, headers={"HX-Request": "true"})
    start = typed.index("14-09")
    key = f"body:{start}:{start + 5}"
    assert f'value="{key}"' in live.get_data(as_text=True)
    posted = typed.replace("\n", "\r\n")
    html = auth.post("/vraag", {**QUESTION, "body": posted, "privacy_fix": key}).get_data(
        as_text=True
    )
    assert "Defne [datum]" in html or "[leerling] [datum]" in html
    assert "14-09" not in html and "12-09" in html


def test_post_anyway_after_a_false_alarm_is_logged_without_the_text(app, client, auth):
    auth.login("teacher")
    response = auth.post("/vraag", {**QUESTION, "action": "post_anyway"})
    assert response.status_code == 302
    with app.app_context():
        event = (
            get_db()
            .execute(
                "SELECT event, detail FROM audit_log WHERE event = 'privacy_warning_overridden'"
            )
            .fetchone()
        )
    assert event == ("privacy_warning_overridden", "name,phone")


def test_live_check_comes_with_the_suggestions(client, auth):
    auth.login("teacher")
    response = auth.post(
        "/vraag",
        {"title": "", "body": "Sanne huilt elke ochtend", "cluster": ""},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert 'id="privacy" hx-swap-oob="true"' in html
    assert "<mark>Sanne</mark>" in html


def test_answers_are_checked_on_the_server(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    data = {
        "kind": "idea",
        "body": "Bel zijn moeder op 06-12345678, die weet raad.",
        "action": "post",
    }
    response = auth.post(f"/vragen/{qid}/antwoord", data)
    assert response.status_code == 200 and "<mark>06-12345678</mark>" in response.get_data(
        as_text=True
    )
    assert count(app, "answers") == 0
    fixed = auth.post(f"/vragen/{qid}/antwoord", {**data, "privacy_fix": "all"})
    assert "[telefoon]" in fixed.get_data(as_text=True)
    assert (
        auth.post(f"/vragen/{qid}/antwoord", {**data, "action": "post_anyway"}).status_code == 302
    )
    assert count(app, "answers") == 1


def test_answers_are_checked_while_typing(app, client, auth):
    qid = ask(app)
    auth.login("teacher2")
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert f'hx-post="/vragen/{qid}/antwoord/controle"' in page
    panel = auth.post(
        f"/vragen/{qid}/antwoord/controle",
        {"body": "Mail de moeder van Daan even op ouder@example.nl"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert '<div id="privacy"' in panel
    assert "<mark>Daan</mark>" in panel and "<mark>ouder@example.nl</mark>" in panel
    assert "<html" not in panel


def test_a_panel_drawn_while_typing_posts_its_fixes_back_to_the_form(app, client, auth):
    # The page sends where its replace buttons post (hx-vals); a live panel keeps that, so
    # a fix opens the page at the panel again. Only a path on this site is taken.
    qid = ask(app)
    auth.login("teacher2")
    page = client.get(f"/vragen/{qid}").get_data(as_text=True)
    assert "fix_action" in page and f"/vragen/{qid}/antwoord#privacy" in page
    url = f"/vragen/{qid}/antwoord/controle"
    text = {"body": "Vraag het aan juf Anouk."}
    for sent, expected in [
        (f"/vragen/{qid}/antwoord#privacy", f'formaction="/vragen/{qid}/antwoord#privacy"'),
        ("//elders.example/x", None),
        ("https://elders.example/x", None),
    ]:
        panel = auth.post(url, {**text, "fix_action": sent}, headers={"HX-Request": "true"})
        html = panel.get_data(as_text=True)
        assert "Anouk" in html
        if expected:
            assert expected in html
        else:
            assert "formaction" not in html
    auth.login("teacher")
    page = client.get("/ondersteuning/nieuw").get_data(as_text=True)
    assert "fix_action" in page and "/ondersteuning/nieuw#privacy" in page


@pytest.mark.parametrize(
    "text",
    [
        "Ik werk op OBS De Klimop. Het rooster van juf Ilse van 8 komt morgen.",
        "Ik werk op OBS De Klimop. Kinderen van die leeftijd twee keer laten oefenen helpt.",
    ],
)
def test_no_age_after_a_teachers_name_or_in_a_phrase_about_age(text):
    assert "age" not in [f.kind for f in privacy.scan(text)]


def test_a_fix_is_confirmed_in_the_panel_with_what_it_replaced(client, auth):
    auth.login("teacher")
    body = "Verjaardagen september\nJade 12-09\nDefne 14-09"
    start = body.index("14-09")
    html = auth.post(
        "/vraag", {**QUESTION, "body": body, "privacy_fix": f"body:{start}:{start + 5}"}
    ).get_data(as_text=True)
    assert "Vervangen." in html and "Defne <ins>[datum]</ins>" in html
    assert "Vervangen." not in auth.post("/vraag", {**QUESTION, "body": body}).get_data(
        as_text=True
    )
    # After "Vervang alles" only how many: the context from before would show what is gone.
    html = auth.post("/vraag", {**QUESTION, "body": body, "privacy_fix": "all"}).get_data(
        as_text=True
    )
    assert "Vervangen:</strong> 5 stukken tekst" in html and "12-09" not in html  # title: Daan


def test_import_refuses_personal_data_unless_told(app, runner, tmp_path):
    case = {
        "ref": "p-1",
        "cluster": "agressief",
        "title": "Jesse slaat in de pauze",
        "body": "Hij woont op Dorpsstraat 4 en slaat klasgenoten.",
        "answers": [{"body": "Spreek af waar hij kan afkoelen."}],
        "best": 0,
    }
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(case) + "\n")
    refused = runner.invoke(args=["cases", "import", str(path)])
    assert refused.exit_code == 1
    assert "could identify a pupil" in refused.output and "'Jesse'" in refused.output
    assert count(app, "questions") == 0
    done = runner.invoke(args=["cases", "import", str(path), "--replace-personal-data"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        title, body = get_db().execute("SELECT title, body FROM questions").fetchone()
    assert title == "[leerling] slaat in de pauze" and "[adres]" in body


def test_common_passwords_are_refused(app):
    from portal.accounts import users as accounts

    with pytest.raises(accounts.AccountError, match="veelgebruikte"):
        accounts.validate_password("wachtwoord123")
    accounts.validate_password("drie rustige woorden")


def test_world_names_keep_names_and_leave_out_words_places_and_codes():
    from privacy.lexicon import world_names

    lines = [
        "# a comment line of the dictionary, long enough to look like an entry at all",
        "M  Krasimir                  1",
        "F  Despina                   1",
        "M  Breda                     1",  # a place: a capitalised entry of the word list
        "M  Storm                     1",  # a Dutch word
        "M  Jean+Pierre               1",  # two names
        "F  <A/>sa                    1",  # a special character code
        "M  Al                        1",  # too short
        "M  Avi                       1",  # in geen-namen.txt (AVI reading levels)
        "F  Olena                     1",  # already taken from deduce
    ]
    entries = ["Breda\n", "storm\n", "huis\n"]
    assert world_names(lines, entries, {"olena"}) == ["despina", "krasimir"]


@pytest.mark.parametrize(
    "text, kind, found",
    [
        ("Bel 076 - 514 22 98 na drieën", "phone", "076 - 514 22 98"),
        ("Telefoon: 06 - 28 31 04 57", "phone", "06 - 28 31 04 57"),
        ("BSN: 609-494-132", "bsn", "609-494-132"),
        ("Geboortedatum: 2016/06/15", "birthdate", "2016/06/15"),
        ("adres: zuiderweg 130b 2615 hk", "postcode", "2615 hk"),
        ("Postcode/woonplaats: 4417 an Goes", "postcode", "4417 an"),
        ("Naam | Adres | Postcode\n| Habtom | Singel 149 | 6237 kw |", "postcode", "6237 kw"),
        ("Safae Bouzid|2013-02-03|3094 bm|Rotterdam|10", "postcode", "3094 bm"),
        (
            "De nieuwe leerling Jiayi (gr 4, De Vlinderboom) spreekt Mandarijn.",
            "school",
            "De Vlinderboom",
        ),
        ("Bij 't Anker hebben we sinds dit jaar een rustkamer.", "school", "'t Anker"),
        ("Overdracht gr 6 naar gr 7 (De Klimop, schooljaar 2023-2024)", "school", "De Klimop"),
        ("Bilal Azzouzi gr7 de Horizon – verzoek om gesprek", "school", "de Horizon"),
        ("Leerling: Ionuț Dumitru | gr 6 | Het Mozaïek | 10 jaar", "school", "Het Mozaïek"),
        ("Op Kindcentrum Het Baken zit een meisje, Ayaan, van vijf. Ze bijt.", "age", "vijf"),
        ("Bij basisschool Het Palet gaat ze naar groep 6. Ze is nu elf en leest.", "age", "elf"),
    ],
)
def test_numbers_schools_and_ages_in_the_forms_of_heldout_7(text, kind, found):
    assert found in [text[f.start : f.end] for f in privacy.scan(text) if f.kind == kind]


@pytest.mark.parametrize(
    "text, kind, found",
    [
        ("Bij ons op de Wereldwijzer hebben we een time-in plek.", "school", "Wereldwijzer"),
        ("Dag Esther, wij hebben op de Boomgaard een prikkelarme ruimte.", "school", "Boomgaard"),
        ("Gepest door een meisje van een andere school, De Toermalijn.", "school", "De Toermalijn"),
        ("Iemand van De Vuurtoren hier? Ik hoorde dat jullie een protocol hebben.", "school",
         "De Vuurtoren"),
        ("Nu staat Jolanda Mulder van De Wissel ons bij.", "school", "De Wissel"),
        ("Naam;Van school;Naar school\nImran Aissaoui;De Piramide;SBO De Wissel", "school",
         "De Piramide"),
        ("Geboren: 14/07/2017\nBurgerservicenummer: 1224 84 332", "bsn", "1224 84 332"),
        ("Tel.:\t+48 512 330 918", "phone", "+48 512 330 918"),
        ("Morgen, op 9 oktober, is Bilal jarig. Hij wordt 10.", "birthdate", "9 oktober"),
        ("Jarigen deze maand: Nora (3 maart), Tijn (11 maart) en Layla (28 maart).",
         "birthdate", "11 maart"),
        ("Gisteren weer gedoe met K., hij schopte de invaller.", "name", "K."),
        ("Casus: T. (groep 7, 11 jaar) weigert elke opdracht.", "name", "T."),
        ("Aanwezig: P. de Lange (CBS De Akker), S. Öztürk (SWV)", "name", "S. Öztürk"),
        ("Roepnaam: Ties\nAchternaam: van der Meer\nGroep: 4", "name", "van der Meer"),
        ("Joke 15:02: de nieuwe leerling komt maandag\nJoke 15:03: in groep 5", "name", "Joke"),
        # heldout-12, after its one measurement
        ("Mijn zoon Niels (8) zit op de Vlieger en wordt al maanden gepest.", "school",
         "Vlieger"),
        ("Vorige school: OBS Het Spectrum\nGewenste school: De Hoeksteen, cluster 4", "school",
         "De Hoeksteen"),
        ("- Jesse (groep 8), De Achtbaan\n- Oskar (groep 6)", "school", "De Achtbaan"),
        ("Hij helpt in het restaurant van zijn ouders aan de Markt 12.", "address", "Markt 12"),
        # what a review of round six found its new rules missing
        ("Juf Sanne van 't Erve huilt vaak.", "name", "Sanne van 't Erve"),
        ("Ook Lotte van 't Veer zit in groep 5.", "name", "Lotte van 't Veer"),
        ("Na de godsdienstles werd Yusuf uitgelachen door Ibrahim.", "name", "Yusuf"),
        ("Na de kerstvakantie slaat Gabriel steeds andere kinderen.", "name", "Gabriel"),
        ("Ik werk op school De Wegwijzer in Utrecht.", "school", "De Wegwijzer"),
        ("Ronaldo (groep 6) schopt iedereen.", "name", "Ronaldo"),
        # heldout-13, after its one measurement
        ("Leerling\tBSN\tGeb.datum\nRavi Biharie\t4046 86 709\t09-10-2014", "bsn",
         "4046 86 709"),
        ("Wie komt er (ouderavond):\nfam. de Vries – 1\nfam. Yılmaz – 2", "name", "de Vries"),
        ("Jolanda Meijer 13:40\nDe bel gaat zo.\nFrank 13:41\nZal ik hem overnemen?", "name",
         "Frank"),
        ("Observatielog plein\n10.02 Jeandro duwt Kenrick van het klimrek.", "name", "Jeandro"),
        ("Ik ben zorgcoördinator in VBS De Klimtoren.", "school", "VBS De Klimtoren"),
        ("Heeft iemand ervaring met Jayden (vroeger obs oosterwei)?", "school", "obs oosterwei"),
        ("[20:14] Rozemarijn: weet jij waar hij nu woont?", "name", "Rozemarijn"),
        # heldout-14, after its one measurement (round seven)
        ("Verjaardagen september\nJade 12-09\nDefne 14-09", "birthdate", "14-09"),
        ("jarig in oktober (gr 6)\n13 oktober – Joep wordt 7", "birthdate", "13 oktober"),
        ("jarig in april (gr 4)\nEmir: 6 april\nHidde 21-04", "birthdate", "21-04"),
        ("Verjaardagskalender groep 2: Lola 4 mei, Ravi 17 mei", "birthdate", "4 mei"),
        ("Auto 2: Ahmed – (06) 58057722 – Bram", "phone", "(06) 58057722"),
        ("Erik Nguyen ((06) 45824732) neemt mee: Fay", "phone", "(06) 45824732"),
        ("ORANJE: Ravi, Noor, Lente, Dunya", "name", "Lente"),
        ("Auto 3: Mandy (moeder Jurre) – ophalen om 8 uur", "name", "Mandy"),
        ("Verjaardagen september\nJade 12-09\nDefne 14-09", "name", "Jade"),
        ("Verjaardagen:\nRoos: 5 mei\n- Tim van Dijk – 3 mei", "name", "Roos"),
        ("Emma (vijf jr) komt van OBS Kameleon en plast weer", "age", "(vijf jr)"),
        ("Ik werk op IKC Noorderlicht, een leerling (leeftijd vier) slaat.", "age", "vier"),
    ],
)  # fmt: skip
def test_the_forms_the_blind_sets_of_round_six_missed_are_found(text, kind, found):
    assert found in [text[f.start : f.end] for f in privacy.scan(text) if f.kind == kind]


@pytest.mark.parametrize(
    "text",
    [
        "Door storm Ciarán mochten de kinderen niet naar buiten.",
        "Sky is the limit, staat op de muur, maar groep 8 zoekt vooral de grenzen op.",
        "De kinderen noemen de teams naar voetballers: team Messi en team Ronaldo.",
        "We hebben een boek over Bassie en Adriaan en de kinderen vechten erom.",
        "Rolverdeling kerstspel:\nMaria - groep 8\nEngel Gabriël - groep 6",
        "Agenda\n1. Opening\n2. Notulen\n3. Gedragsprotocol (IB)\n4. Rondvraag",
        "Observatie 10:05-10:20\n- tikt met pen\n- loopt naar de kapstok",
        "Bel de Kindertelefoon (0800-0432) of Veilig Thuis (0800-2000) voor advies.",
        # heldout-12, after its one measurement
        "We vieren op school Keti Koti en Diwali, naast de christelijke feesten.",
        "We vertellen bij ons op school Bijbelverhalen, zoals dat van David en Goliath.",
        "Na het Suikerfeest en Bayram komen sommige kinderen pas later terug.",
        "In de klas draait vaak Sky Radio, maar een leerling kan daar niet tegen.",
        "Er kwamen twee kinderen naar me toe. Eén zei dat hij bang was.",
        "Bij godsdienstles vertelde ik over Mozes en over Noach en de ark.",
        "Ik kan het boek 'Het explosieve kind' van Ross W. Greene aanraden.",
        "Kinderen riepen namen van politici als Geert Wilders en Frans Timmermans.",
        # what a review of round six found its new rules raising
        "Vraag over een vierjarige: sinds 3 maart huilt ze elke ochtend.",
        "Onze afspraak over verjaardagen: niet trakteren in de week van 14 april.",
        "Achternaam: te vragen aan moeder",
        "Op 25 december is Jezus jarig, daarom vieren we kerst.",
        "Haar broer zit op de Havo en zij wil dat ook.",
        "We hebben op de Studiedag afgesproken dat we de regels herhalen.",
        "Het werd een running joke in de klas.",
        "Groep 8 stond op de Markt 2 uur lang te zingen.",
        "Snappet 9.00: rekenen\nGynzy 10.15: taal\nPauze 10.30: buiten",
        # heldout-13, after its one measurement
        "Is de overstap van regulier naar SBO in groep 6 nog zinvol?",
        "We twijfelen of we overstappen van Leefstijl naar De Vreedzame School.",
        "Micha de Winter schrijft veel over de school als oefenplaats voor democratie.",
        "Wij hebben obs hebben en cbs vragen op de agenda gezet.",
        # round seven's birthday lists leave groups and other dates alone
        "Verjaardagen in de kring\nGroep 5/6 trakteert op 12-10 niet.",
        "Jarigen trakteren gezond\nDe ouderavond van groep 7-8 is in zaal 3.",
        "Verjaardagen in de klas\nWe vieren ze van 10-12 uur in de kring.",
        # what a review of round seven found its first rules raising
        "Jarig in de klas\nWe zingen 2-3 liedjes en delen 1/2 appel uit.",
        "Verjaardagslijst groep 6\nKinderen trakteren 1x per jaar. Zie bladzijde 4/5.",
        "Verjaardagen vieren in groep 4\nWat doen jullie? Op 3 oktober is de studiedag",
        "Jarig zijn in de klas\nKerstviering 18 december\nStudiedag 12-10",
        "Jarigen: Op 12 maart trakteren we.",
        "Verjaardagen: Vanaf 1 oktober trakteren we gezond.",
        "Ritalin, Concerta, Medikinet en Equasym zijn middelen bij ADHD.",
    ],
)
def test_the_false_alarms_of_the_blind_sets_of_round_six_are_gone(text):
    assert privacy.scan(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Gurpreet\t08-06-2012\t12\tSpoorlaan",  # a date, then the next cell: no phone
        "In 2019 en 2020 kwamen er 3000 ab-leerlingen bij",
        "De toets van 2016 en de groep van 2017 ab",
        "Zie pagina 1234 ab en verder",
    ],
)
def test_no_phone_or_postcode_in_dates_years_and_pages(text):
    assert [f.kind for f in privacy.scan(text) if f.kind in ("phone", "postcode")] == []


@pytest.mark.parametrize(
    "text, names",
    [
        ("[16:42] Halyna: Wiebe heeft weer gebeten\n[16:45] Errol: ik kom", ["Halyna", "Errol"]),
        ("Bianca: niet wij!\nSharon: ok dankje\nWendell: Quincy heeft hem", ["Wendell", "Quincy"]),
        ("Beste Giorgos,\n\nIk wil graag een gesprek plannen.", ["Giorgos"]),
        ("J. de Boer en K. Sijbesma willen mee.", ["J. de Boer", "K. Sijbesma"]),
        ("Met vriendelijke groet,\nH. Postma, directeur", ["H. Postma"]),
        (
            "Telefoonboom\nChadrick Winklaar: 0638777490\nBoateng, Yaw — 06 74 83 86 88",
            ["Chadrick Winklaar", "Boateng", "Yaw"],
        ),
        ("Naam,Groep,BSN\nYifan Wong,8a,188210672", ["Yifan Wong"]),
        ("Liu, Haoran\tgr 4\t12-12-2015", ["Liu", "Haoran"]),
        ("[16:47] jianguo: ikraan en wiebe zijn weer aan het vechten", ["jianguo"]),
        ("Leerlingkaart\nRoepnaam: Bao\nAchternaam: Nguyen", ["Bao"]),
        ("Ouder/verzorger 1: Marrit Wiersma-Bouma, tel. 06-30918275", ["Marrit Wiersma-Bouma"]),
        ("Verwijzing logopedie\nBetreft: Rigna Koeiman, geb. 7/3/18", ["Rigna Koeiman"]),
        ("Dank u wel,\nSorin", ["Sorin"]),
        ("Roepnaam\tAchternaam\tAdres\nValentijn\tde Boer\tBeatrixlaan 176 A", ["de Boer"]),
    ],
)
def test_names_in_chats_greetings_initials_forms_tables_and_contact_lines(text, names):
    found = [f.text for f in privacy.scan(text) if f.kind == "name"]
    assert all(n in found for n in names), found


@pytest.mark.parametrize(
    "text",
    [
        "Telefoon: 06-12345678\nE-mail: info@school.nl\nGeb: 12-03-2016",
        "Beste collega's,\n\nDe vergadering is verplaatst.",
        "Hoi allemaal! Morgen is de studiedag.",
        "Zie bijlage B. Daarna volgt het plan.",
        "[10:15] Mededeling: de gym valt uit",
    ],
)
def test_labels_greetings_and_notes_name_nobody(text):
    assert [f.text for f in privacy.scan(text) if f.kind == "name"] == []


@pytest.mark.parametrize(
    "text",
    [
        "In Alles telt staat een som over Kees die 16 euro spaart. Kees heeft dan 192 euro.",
        "In de nieuwe rekenmethode heten de vaste figuren Bas en Lot. Mijn klas vindt Lot stom.",
        "Onze schoolhond (een labradoodle die drie dagen per week meekomt) heet Bikkel.",
        "We hebben een klassenknuffel, een ijsbeer die de kinderen Lars hebben genoemd.",
        "In de kerstviering lopen de drie koningen Caspar, Melchior en Balthasar mee.",
        "De meisjes vechten over wie Hanne, Marthe of Julia mag zijn in de K3-playbackshow.",
        "Een leerling vroeg of 'een Noor' ook iemand uit Noorwegen is.",
        "Het werd een gesprek over arm en rijk.",
        "Heeft iemand de folder van Achter de Regenboog over rouw?",
        "Ze kozen tussen hagelslag van De Ruijter en pindakaas.",
        "Leerling\tGeboortedatum\tLeeftijd\tAdres",
    ],
)
def test_methods_pets_kings_and_brands_name_nobody(text):
    found = privacy.scan(text, ["Basisschool De Regenboog"])
    assert [(f.kind, f.text) for f in found if f.kind in ("name", "school")] == []


def test_a_pupil_named_during_a_lesson_is_still_a_name():
    text = "Tijdens het rekenen uit de methode sloeg Daan zijn buurman."
    assert [f.text for f in privacy.scan(text) if f.kind == "name"] == ["Daan"]


def test_a_name_field_that_says_unknown_names_nobody():
    assert [f for f in privacy.scan("Roepnaam: Onbekend\nVader: Nvt") if f.kind == "name"] == []


def test_a_year_at_a_line_end_is_no_postcode():
    text = "Toetskalender 2024-2025\nwk 4-5: Cito M (groep 3-7)"
    assert [f for f in privacy.scan(text) if f.kind == "postcode"] == []


@pytest.mark.parametrize(
    "text, kind, found",
    [
        # Birthdays without a year, where the words say it is one.
        ("Femke is jarig op 9 juni en neemt dan een traktatie mee.", "birthdate", ["9 juni"]),
        ("Zijn verjaardag op 2 okt. viel in de herfstvakantie.", "birthdate", ["2 okt."]),
        ("Op dinsdag 8 april wordt Siem 6 jaar.", "birthdate", ["8 april"]),
        (
            "Verjaardagen groep 3:\nMila – 3 maart\nJoep – 21 mei\n\nDe rest volgt.",
            "birthdate",
            ["3 maart", "21 mei"],
        ),  # fmt: skip
        ("Op 9 juni hebben we de sportdag, dan wordt het 25 graden.", "birthdate", []),
        # The rest of a list that is mostly names; a role after a comma; an apposition.
        ("Groep rood: Daan, Sevda, Kwabena, Liv en Thijmen.", "name", ["Kwabena"]),
        ("Leesgroep\n1. Anouk\n2. Bram\n3. Ezgi\n4. Jurre", "name", ["Ezgi"]),
        ("Bel me gerust.\nNadira, moeder van Ilias", "name", ["Nadira", "Ilias"]),
        (
            "Er zit een jongen in groep 4, Tadesse, die nog geen Nederlands spreekt.",
            "name",
            ["Tadesse"],
        ),  # fmt: skip
        ("Wil jij het lokaal sluiten? Bedankt alvast. Marloes", "name", ["Marloes"]),
        ("hoi marloes, ik ben morgen later", "name", ["marloes"]),
        # Durations are no ages, a name's age after "van" is one.
        ("Op De Linde zit Sem van 8 in mijn groep.", "age", ["8"]),
        ("Op De Linde zit Karim, die al 3 jaar in Nederland woont.", "age", []),
    ],
)
def test_birthdays_lists_roles_and_durations(text, kind, found):
    got = [f.text for f in privacy.scan(text, ["De Linde"]) if f.kind == kind]
    assert set(got) >= set(found) and (got or not found), got
    if not found:
        assert got == []


@pytest.mark.parametrize(
    "text",
    [
        "Onze konijnen heten Snuf, Pluis en Hazel. De kinderen voeren ze om de beurt.",
        "Op de rustplek ligt een knuffeleend, Dotje, voor wie even wil bijkomen.",
        "We lopen met lampionnen door de wijk en zingen bij de deuren.",
        "Zij is geboren te Sofia en woont nu in Utrecht.",
        "Hij woonde eerst in San Francisco en daarna in São Paulo.",
        "Groep 6 gaat naar de Julianatoren en groep 7 naar het Wilhelminapark.",
        "We zingen 'Sinte Sinte Maarten' bij de deuren.",
        "meisje gr8 kletst de hele dag door",  # a lower-case writer; "dag" is no greeting here
    ],
)
def test_pets_places_and_buildings_name_nobody(text):
    assert [f.text for f in privacy.scan(text) if f.kind == "name"] == []


def test_a_person_after_a_singular_pets_name_is_still_a_name():
    text = "Onze hond heet Max en Daan gooit de bal."
    assert [f.text for f in privacy.scan(text) if f.kind == "name"] == ["Daan"]


@pytest.mark.parametrize(
    "text, kind, found",
    [
        ("Haar verjaardag is op 3 april, dan trakteert ze.", "birthdate", ["3 april"]),
        ("Joep wordt op 5 mei zeven en geeft een feestje.", "birthdate", ["5 mei"]),
        ("Sara is 8 geworden op 1 juni.", "birthdate", ["1 juni"]),
        ("Nina is 4 mei jarig en Bram op 9 mei.", "birthdate", ["4 mei", "9 mei"]),
        ("Het wordt 12 mei 20 graden.", "birthdate", []),
        ("Bel de vader op 0612.345.678 of 06/12345678.", "phone", ["0612.345.678", "06/12345678"]),
        ("In versie 0.612.345.678 zit de fout.", "phone", []),
        ("Naam: Ilse | School: De Berkenhof | Groep: 4", "school", ["De Berkenhof"]),
        ("Tim, groep 6, De Wadden. Hij slaat.", "school", ["De Wadden"]),
        ("Hij zit op school OBS De Fuut.", "school", ["OBS De Fuut"]),
        ("Onze school, De Esdoorn, krijgt een nieuw plein.", "school", ["De Esdoorn"]),
        ("Wij werken samen met OBS De Kring en De Ster.", "school", ["OBS De Kring", "De Ster"]),
        ("B. schopt in de rij andere kinderen.", "name", ["B."]),
        ("Mail meester Ruud van De Kring even.", "name", ["Ruud"]),
        ("Storm Dennis blies het hek om.", "name", []),
        ("Het BSN van Noor klopt niet, het moet 9601-36320 zijn.", "bsn", ["9601-36320"]),
        ("Bel de vader op 06 – 12 34 56 78.", "phone", ["06 – 12 34 56 78"]),
        ("Zijn Poolse nummer is +48 512 334 781.", "phone", ["+48 512 334 781"]),
        ("Het kost +12 euro per kind.", "phone", []),
    ],
)
def test_birthdays_numbers_schools_and_initials_of_round_five(text, kind, found):
    got = [f.text for f in privacy.scan(text) if f.kind == kind]
    assert got == found, got


@pytest.mark.parametrize(
    "text, kind, found",
    [
        # heldout-15, after its one measurement (round eight): birthday lists
        ("🎂 Verjaardagen\n14 okt: Sami Bakker\n9 feb.: Lotte", "birthdate", ["14 okt", "9 feb."]),
        ("🎂 Verjaardagen\n14 okt: Sami Bakker\n9 feb.: Lotte", "name", ["Sami Bakker", "Lotte"]),
        ("Wie is er jarig?\n* 3 maart Dunya Aziz wordt 7\n* 4-9 Teun wordt 8", "birthdate",
         ["3 maart", "4-9"]),
        ("Wie is er jarig?\n* 3 maart Dunya Aziz wordt 7\n* 4-9 Teun wordt 8", "name",
         ["Dunya Aziz", "Teun"]),
        ("Verjaardagskalender\n- Nora (2-7)\n- Bilal Amrani (30 oktober)", "birthdate",
         ["2-7", "30 oktober"]),
        ("Yes! Fenna is vandaag (8/3) jarig en wordt negen.", "birthdate", ["8/3"]),
        # names that the layout shows
        ("Oudergesprekken\n15:00 - Haoran (met tolk)\n15:15 Ivanka Petrenko", "name",
         ["Haoran", "Ivanka Petrenko"]),
        ("Meester Erik (07:55): Wie neemt de fruitbakken mee?\nOmid Rahimi (07:58): Ik",
         "name", ["Erik", "Omid Rahimi"]),
        ("Vervoer naar de boerderij\nAuto 1: Bohdan (+31 6 12987654) met Roos en Ties", "name",
         ["Bohdan", "Roos", "Ties"]),
        ("Hartelijk dank voor het gesprek.\nTaras Melnyk\n06-55102938", "name",
         ["Taras Melnyk"]),
        ("Aanmelding\nNaam leerling - Qiyu Lin\nGroep - 3", "name", ["Qiyu Lin"]),
        ("Aanwezig: Temesgen, juf Anouk, mevr. De Groot, Sevda\nAfwezig: Haoyu Chen", "name",
         ["Temesgen", "Anouk", "De Groot", "Sevda", "Haoyu Chen"]),
        ("Tafelgroepjes\nTafel 1: Mats, Lieke Jansen, Jinhua, K. Aydin", "name",
         ["Mats", "Lieke Jansen", "Jinhua", "K. Aydin"]),
        ("Tafel 2: Noud, Saar, rahwa, Wessel", "name", ["Noud", "Saar", "rahwa", "Wessel"]),
        ("Koen, je moet de toets van Esra nog even nakijken.", "name", ["Koen", "Esra"]),
        ("wie heeft een tip voor een stil meisje in groep 3?\n\ngroetjes sanne", "name",
         ["sanne"]),
        # schools
        ("Roepnaam: Kees\nVorige school - Het Baken\nGroep - 5", "school", ["Het Baken"]),
        ("Vorige school: de Wilgenhoek\nBSN: onbekend", "school", ["de Wilgenhoek"]),
        ("Vorige school - obs de hoeksteen\nHuisarts: dr. Smit", "school", ["obs de hoeksteen"]),
        ("Hoe gaan jullie om met een kind dat niet wil gymmen?\n\nFemke (de Zevensprong)",
         "school", ["de Zevensprong"]),
        ("Op de MHS (Mauritshoekschool) is een plusklas.", "school",
         ["MHS", "Mauritshoekschool"]),
        # numbers and addresses
        ("Stuur het verslag naar r.devries(at)hotmail.com, graag.", "email",
         ["r.devries(at)hotmail.com"]),
        ("Ze verhuizen naar Laan van Poot 12 (2566DA).", "address", ["Laan van Poot 12"]),
        ("Naam, Groep, Postcode\nJesse Bos, 6, 3532 hr\nAya Amri, 4, 3511 BX", "postcode",
         ["3532 hr", "3511 BX"]),
    ],
)  # fmt: skip
def test_the_forms_heldout_15_showed_are_found(text, kind, found):
    got = [f.text for f in privacy.scan(text) if f.kind == kind]
    assert got == found, got


@pytest.mark.parametrize(
    "text",
    [
        # heldout-15, after its one measurement: places, sayings, characters, public names
        "Een gezin verhuist naar Anna Paulowna. Hoe dragen jullie het dossier over?",
        "Ik ben een ongelovige Thomas als het om nieuwe rekenmethodes gaat.",
        "Het was David tegen Goliath bij de voetbaltoernooien dit jaar.",
        "Elsa en Anna blijven favoriet bij het verkleden in de kleuterklas.",
        "De kleuters willen steeds Vaiana kijken in de laatste week voor de vakantie.",
        "Guus Geluk vinden de kinderen de leukste van de strips.",
        "Herman den Blijker kookte in een programma met kinderen.",
        "De posters van Loesje hangen in de personeelskamer.",
        "In november doen groep 7 en 8 weer mee aan de Kinderpostzegelactie.",
        "We lezen in groep 8 uit Het Achterhuis. Hoe bespreken jullie de oorlog?",
        "| Leerling | Ouder | Telefoon |\n| --- | --- | --- |",
        # what the new layout rules must leave alone
        "Agenda\n15:15 opening\n15:20 PBS-teamafspraken\n16:00 Rondvraag",
        "Rooster\n08:30 Rekenen\n10:00 Pauze\n10:15 Gynzy\n11:00 Gym (zaal 2)",
        "Vorige school: basisschool in Polen\nGroep: 4",
        "Groeten,\nDe werkgroep (de Ouderraad)\nTot dan!",
    ],
)
def test_the_false_alarms_heldout_15_showed_are_gone(text):
    assert privacy.scan(text) == [], privacy.scan(text)


@pytest.mark.parametrize(
    "text, writer",
    [
        ("Hoe pak ik dit aan met Daan?\n\nGroet,\nHuub", "Huub"),
        ("wie heeft een tip voor daan?\n\nmvg sanne", "sanne"),
        ("Dank voor het gesprek over Daan.\nTaras Melnyk\n06-55102938", "Taras Melnyk"),
    ],
)
def test_the_writer_who_signs_gets_the_placeholder_of_an_adult(text, writer):
    found = {text[f.start : f.end]: f.replacement for f in privacy.scan(text)}
    assert found[writer] == "[naam]"
    assert found.get("Daan", found.get("daan")) == "[leerling]"


@pytest.mark.parametrize(
    "text, kind, found",
    [
        # Round ten, tuned on heldout-18 after its one measurement: initials in minutes.
        ("Aanwezig: KdW (lk), P.H. (IB), TB\n- KdW meldt onrust.\n- TB belt ouders.", "name",
         ["KdW", "P.H.", "TB", "KdW", "TB"]),
        ("- R.J. (ambulant begeleider): observatie in de gymles", "name", ["R.J."]),
        ("EvS neemt contact op met de jeugdarts.", "name", ["EvS"]),
        ("Aanwezig: IB, CJG, directie en GGD.", "name", []),
        ("De PvdA en het CvB willen een plan; N.B. niet delen.", "name", []),
        # Whose child, whose file, who sent the mail.
        ("groetjes Ilse (moeder van lieve)", "name", ["Ilse", "lieve"]),
        ("Dear juf, I am the father of Chidera. Chidera is sad.", "name", ["Chidera", "Chidera"]),
        ("Klopt het BSN van Storm wel?", "name", ["Storm"]),
        ("Van: Els Wouters <els.wouters@example.be>\n\nGroet,\nEls Wouters", "name",
         ["Els Wouters", "Els Wouters"]),
        ("Van: IB <ib@example.nl>\nAan: jgz@example.nl", "name", []),
        # A surname ends where its address begins.
        ("Klacht van meneer Dekkers van Esdoornlaan 9 over de pauze.", "name", ["Dekkers"]),
        ("Geachte meester Vermeer, wij maken ons zorgen.", "name", ["Vermeer"]),
        ("Ze tekent graag, net als Johannes Vermeer.", "name", []),
        # Schools in dictated text and in other shapes.
        ("ik ben juf petra van groep vier op de kameleon en ik", "school", ["de kameleon"]),
        ("ik ben de gymjuf van de regenboog en heb een vraag", "school", ["de regenboog"]),
        ("groep acht op de fiets naar het museum", "school", []),
        ("Hij gaat naar Scholengemeenschap De Rietlanden.", "school",
         ["Scholengemeenschap De Rietlanden"]),
        ("Ik geef les in het 4de leerjaar van Sint-Lodewijk College.", "school",
         ["Sint-Lodewijk College"]),
        ("I work as a teacher at The Compass in Delft.", "school", ["The Compass"]),
        ("I don't speak Dutch, so I ask here.", "school", []),
        # Birthdays without a year where the words say so.
        ("Bram – jarig in de meivakantie (4 mei)", "birthdate", ["4 mei"]),
        ("Verjaardag Sem-Jay 9 juni, trakteert op school.", "birthdate", ["9 juni"]),
        ("sara is jarig op negentien maart", "birthdate", ["negentien maart"]),
        ("De toets is op 9 juni.", "birthdate", []),
        # Round ten, tuned on heldout-19 after its one measurement: initials of other shapes.
        ("di: K.v.D. pakt de bal af, B.K. boos op K.v.D.", "name", ["K.v.D.", "B.K.", "K.v.D."]),
        ("Een vader (H.B.) belde boos op.", "name", ["H.B."]),
        ("aanw: j.k. (vader), t. de boer (ib), ik\n- t. de boer belt", "name",
         ["j.k.", "t. de boer", "t. de boer"]),
        ("N.B. (niet delen) de V.O.-school", "name", []),
        # An export of the pupil administration, names after a role in minutes, nicknames.
        ("Vos, T. van der | gr 6 | druk\nAkın, E. | gr 6 | stil\nVos, T. van der belt", "name",
         ["Vos, T. van der", "Akın, E.", "Vos, T. van der"]),
        ("Aanwezig: zorgcoördinator Lieve Vanderstraeten, ouders", "name",
         ["Lieve Vanderstraeten"]),
        ("Jip (die iedereen Jippie noemt) wil niet.", "name", ["Jip", "Jippie"]),
        ("Een jongen, die door iedereen Mo wordt genoemd, huilt.", "name", ["Mo"]),
        ("Sasha (eigenlijk Oleksandr Koval) zit in groep 4.", "name",
         ["Sasha", "Oleksandr Koval"]),
        # Childcare by name, not a chain, not software.
        ("Hij gaat daarna naar BSO De Vlieger.", "school", ["BSO De Vlieger"]),
        ("Ze gaat naar Kinderopvang Partou.", "school", []),
        ("Ik zet het in Smartschool.", "school", []),
        ("Na het voorlezen van De Gruffalo brult hij.", "school", []),
    ],
)  # fmt: skip
def test_what_heldout_18_and_19_showed_is_found(text, kind, found):
    got = [f.text for f in privacy.scan(text) if f.kind == kind]
    assert got == found, got


@pytest.mark.parametrize(
    "text",
    [
        "Hij heeft een poster van Santiago Giménez boven zijn bed.",
        "Ze speelt thuis Zelda en praat over Link.",
        "We lezen De brief voor de koning; hij wil Tiuri zijn.",
        "Na Roald Dahl wil ze alles over Matilda lezen.",
        "De mascotte Kiki de Koala gaat mee naar huis; Kiki slaapt in een mand.",
        "Ze willen elke dag Juf Roos kijken.",
        "Joy in de klas: tips voor de sfeer in december?",
        "There is a boy who never speaks in class.",
        "Juf, mag ik naar de wc? – de hele dag door, groep 3",
        "Bel de Luisterlijn (088-0767000) of de Kindertelefoon.",
        "Koning Filip kwam op bezoek.",
        "Hij wil net zo goed worden als Romelu Lukaku.",
        "De kleuters zijn dol op Bolke de Beer.",
        "We lezen Pluk van de Petteflet; Zaza is hun favoriet.",
        "Hij speelt Puck, de elf, in de musical.",
        "Hij blijft de grote Jan uithangen.",
        "The kids call me 'miss' instead of juf, because I'm English.",
        "My mentor is out a lot, so I'm alone with the group.",
    ],
)
def test_the_false_alarms_heldout_18_and_19_showed_are_gone(text):
    assert privacy.scan(text) == [], [(f.kind, f.text) for f in privacy.scan(text)]


def test_every_pupil_of_a_long_export_is_found():
    # The names are found where they stand; only finding them again is bounded.
    rows = [f"Achternaam{chr(97 + k)}{chr(97 + k)}, T. | gr 5 | druk" for k in range(25)]
    found = [f.text for f in privacy.scan("\n".join(rows)) if f.kind == "name"]
    assert found == [row.split(" |")[0] for row in rows]
