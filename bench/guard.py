"""Privacy guard benchmark: ``python -m bench.guard [--size 100000] [--budget 0.5]``.

Runs adversarial texts of 100 KB (long runs of letters, of "a@", of capitalised words
before street endings, of digits with separators, of names ...) through ``privacy.scan``
(the live warning, bounded to MAX_SCAN_CHARS) and ``privacy.scrub`` (the whole text), and
prints the time of each. Every pattern of the guard is meant to be linear, so each must
stay under the budget (0.5 s on the 2-core VM a region runs on); the last lines scrub the
same texts at four times the size and print the ratio, which is about 4 when the work is
linear. Exits with status 1 when a text exceeds the budget.

A benchmark and not a unit test: timings depend on the machine and its load.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import privacy  # noqa: E402

# A region of 48 schools (invented names), as the portal passes them to the guard.
SCHOOLS = [
    f"{prefix} {name}"
    for prefix, names in (
        ("Basisschool", "De Regenboog|De Vlonder|Het Kompas|De Wegwijzer|De Zonnewijzer|Het Palet"),
        ("OBS", "Het Esterpad|De Tandem|De Klimop|De Tweemaster|Het Baken|De Sprong"),
        ("CBS", "De Driesprong|Het Anker|De Fontein|De Schakel|De Akker|De Hoeksteen"),
        ("RKBS", "Sint Bavo|De Lindeboom|De Meent|Het Zonnelied|De Bron|De Wieken"),
        ("IKC", "De Kwikstaart|De Boomgaard|Het Mozaïek|De Horizon|De Ster|De Zevensprong"),
        ("Kindcentrum", "De Wilgenhoek|Veldzicht|De Duinroos|Het Veenhof|De Kameleon|De Wissel"),
        ("SBO", "De Uiterwaard|De Esterhoeve|De Brug|Het Kristal|De Kring|De Piramide"),
        ("SO", "De Kribbe|Het Driespan|De Sterrenwacht|De Ruimte|Het Anker|De Werf"),
    )
    for name in names.split("|")
]
TYPICAL = (
    "Daan uit groep 6 slaat steeds. Zijn moeder (06-12345678, moeder@example.nl) woont op "
    "de Kerkstraat 12, 3512 AB Utrecht. Hij is geboren op 2017-03-14, BSN 123456782, en zit "
    "op de Regenboogschool; juf Anouk zegt dat het sinds de zomer erger is. "
)


def adversarial(size: int) -> dict[str, str]:
    """Texts that make a backtracking pattern quadratic, each `size` characters long."""

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "letters": fill("a"),
        "capital letters": fill("A"),
        "a@": fill("a@"),
        "a.": fill("a."),
        "a-": fill("a-"),
        "a@a.": fill("a@a."),
        "x.y@ without domain end": fill("x.y@z-"),
        "capitalised words + street ending": fill("Aaaa Bbbbstraat "),
        "street endings, no number": fill("Kerkstraat"),
        "street ending + spaces, no number": "Kerkstraat" + " " * (size - 10),
        "streets with numbers": fill("Kerkstraat 12 "),
        "capitalised words + school": fill("Aaaa Bbbbschool "),
        "school prefixes": fill("obs De "),
        "digits": fill("1"),
        "digits with dashes": fill("1-"),
        "digits with spaces": fill("0 "),
        "digits with dots": fill("12.34."),
        "phone-like runs": fill("06-1234-"),
        "date-like runs": fill("1-1-20"),
        "postcodes": fill("1234 AB "),
        "known names": fill("Daan "),
        "names + particles": "Daan " + fill("van ")[: size - 5],
        "teachers": fill("juf Anouk "),
        "tricky names": fill("Roos en Storm "),
        "apostrophes": fill("a'"),
        "quoted titles": fill("lezen 'A "),
        "works by": fill("liedjes van Aaaa "),
        "titles before public names": fill("Floortje Aaa van Jacques Vriens "),
        "characters": fill("Jip en Janneke Jip Jip de "),
        "unknown subjects": fill("Xandro Pinas en Fiyori zitten. "),
        "particles 't": fill("Fleur in 't "),
        "schools by context": fill("groep 8 van De Aaaa zit op de "),
        "lower-case schools": fill("obs de aaaa "),
        "ages in words": fill("meisje van tien, is elf (zeven) "),
        "quotes before works": fill("'Aaaa ' "),
        "bracketed area codes": fill("(050) 1"),
        "form labels": fill("\nNaam kind: Aaaa"),
        "unknown full names": fill("over Xandro Pinas Xandro "),
        "lower-case teachers": fill("meester xandro "),
        "birth-date lines": fill("Geboortedatum vader: 1-1-"),
        "table rows": "Nr;Naam;Voornaam;Adres\n" + fill("1;Aaaa;Bbbb;Cccc 1\n")[: size - 25],
        "long table row": "Naam;Adres;School\n" + fill("Aaaa;"),
        "schools named again": fill("OBS Aaaa Bbbb en op De Cccc bij De Dddd "),
        "ages after names": fill("Daan, 8, "),
        "form school lines": fill("\nVorige school: Aaaa Bbbb Cccc Dddd"),
        "quoted sums": fill("In de som staat: 'Aaaa koopt 4 " + "b" * 230 + " "),
        "age lines": fill("\nLeeftijd op 1 oktober van Aaaa: 9"),
        "pronoun ages": fill("hij is 1, ze is 2\nAaaa is 3\n"),
        "postcode lines": fill("\npostcode: 1234 ab"),
        "pets": fill("schoolhond Aaaa, "),
        "bracketed roles": fill("Aaaa (ib), Bbbb (1/2a), Cccc (mama van "),
        "list entries": fill("\n- Aaaa – \n• Bbbb: "),
        "sign-offs": fill("Groet,\nAaaa\nGroet,\n"),
        "greetings and chats": fill("Beste Aaaa,\n[16:42] Bbbb: hoi\nCccc: ja\n"),
        "initials": fill("J. de Aaaa en K. Bbbb, "),
        "schedules": fill("13:00 Aaaa Bbbb (met tolk)\n13:15 - Cccc\n"),
        "names before phones": fill("Auto 1: Aaaa Bbbb (+31 6 12345678), Cccc, tel 0612345678 "),
        "e-mails with (at)": fill("a.b(at)c.nl a [at] b "),
        "lists with titles": fill("Aaaa Bbbb, meneer Cccc, dhr. Dddd, M. Eeee, ffff, "),
        "birthday lines": fill("🎂 Verjaardagen\n* 12-8 Aaaa wordt 8\n- Bbbb (1-6)\n"),
        "contact lines": fill("Aaaa Bbbb: 0612345678 / a@b.nl, Cccc, Dddd — 06-12345678 "),
        "one long contact line": "Aaaa Bbbb: " + fill("0612345678 Aaaa ")[: size - 11],
        "lower-case school frames": fill("groep 4 van de aaaa bij ons op de kleine aaaa "),
        "saints' schools": fill("kbs sint aaaa Sint-Aaaainstituut obs st. "),
        "earlier school appositions": fill("vorige school, Aaaa Bbbb Cccc Dddd "),
        "English birth dates": fill("born 14 August 2016 date of birth May 3rd, "),
        "e-mails with (a)": fill("a.b(a)c a(a)b.c "),
        "BSNs again": fill("BSN 123456782? Of was het 123456789 "),
        "introductions": fill("ik ben Aaaa Bbbb, ik ben "),
        "spoken numbers": fill("nul zes drie acht twee een vijf vijf nul twaalf mei tweeduizend "),
        "spoken e-mails": fill("henk punt de jong punt apenstaartje obs punt "),
        "spoken addresses": fill("adres kastanjelaan twaalf adres boslaan "),
        "secondary schools": fill("Stedelijk Gymnasium Aaaa Bbbb Cccc College "),
        "Belgian numbers": fill("014 31 22 87 02 512 34 "),
        "spaces": " " * size,
        "newlines": "\n" * size,
        "typical text": fill(TYPICAL),
    }


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="characters per text")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds per call")
    args = parser.parse_args(argv)
    privacy.scrub("Daan", SCHOOLS)  # load the word lists once, as a worker does
    print(f"privacy guard on {machine()}; texts of {args.size:,} characters")
    print(f"{'text':36} {'scan':>8} {'scrub':>8}")
    slow = []
    texts = adversarial(args.size)
    for name, text in texts.items():
        scan = timed(privacy.scan, text, SCHOOLS)
        scrub = timed(privacy.scrub, text, SCHOOLS)
        flag = "" if max(scan, scrub) <= args.budget else "  OVER BUDGET"
        if flag:
            slow.append(name)
        print(f"{name:36} {scan:7.3f}s {scrub:7.3f}s{flag}")
    print(f"\nlinearity: scrub of the same texts at {args.size:,} and {4 * args.size:,} characters")
    big_texts = adversarial(4 * args.size)
    for name in ("a@", "capitalised words + street ending", "known names", "typical text"):
        small = timed(privacy.scrub, texts[name], SCHOOLS)
        big = timed(privacy.scrub, big_texts[name], SCHOOLS)
        print(f"{name:36} {small:7.3f}s {big:7.3f}s  ratio {big / max(small, 1e-9):4.1f}")
    if slow:
        print(f"\nover the budget of {args.budget} s: {', '.join(slow)}")
        return 1
    print(f"\nall under the budget of {args.budget} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
