"""Lighthouse mobile on the demo region: ``.venv/bin/python -m bench.lighthouse``.

Starts gunicorn on a copy of the demo region (loopback only, as bench/load.py does), logs
in as the demo teacher and runs Lighthouse (npm, package.json; ``make setup`` installs it)
in Debian's Chromium with its default mobile settings (a mid-range phone, slow 4G
simulated) on the pages a teacher's day goes through: login, home, ask, an open question,
a dossier and the casussen list. Prints the four scores per page and every audit that did
not pass; the JSON reports are kept in test-artifacts/lighthouse/. Targets: 100 for
performance, accessibility and best practices. SEO cannot be 100 by design: nothing in a
region's portal may be indexed (noindex, robots.txt).
"""

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.load import demo_copy, machine, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
OUT = ROOT / "test-artifacts" / "lighthouse"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TEACHER = "leerkracht@demo.leer-kracht.nl"
DOSSIER = r"/kennisbank/(?!beheer|voorstellen)[a-z-]+"
PASSWORD = "demo-wachtwoord"  # noqa: S105 - the published password of demo accounts
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def log_in(base: str, email: str) -> tuple[str, urllib.request.OpenerDirector]:
    """Log in like a browser; return the Cookie header and an opener that carries it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = CSRF.search(opener.open(f"{base}/login").read().decode()).group(1)
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    opener.open(f"{base}/login", urllib.parse.urlencode(form).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar), opener


def first_link(opener, base: str, path: str, pattern: str) -> str:
    """The first link on a page that matches a pattern (an open question, a dossier)."""
    page = opener.open(base + path).read().decode()
    found = re.search(rf'href="({pattern})"', page)
    if not found:
        raise SystemExit(f"no link like {pattern} on {path}")
    return found.group(1)


def warm_up(opener, base: str, paths: list[str]) -> None:
    """Ask every page first, twice at once so that both workers answer, as in a region's
    running portal: a worker loads the embedding model at its first search (the dossier's
    closest cases), which takes half a minute on a busy 2-core machine."""

    def get(path: str) -> None:
        for _ in range(3):  # a worker past gunicorn's timeout is replaced: ask again
            try:
                opener.open(base + path, timeout=120).read()
                return
            except OSError:
                time.sleep(1)

    with ThreadPoolExecutor(2) as pool:
        for path in paths:
            for _ in range(2):
                list(pool.map(get, [path, path]))


def lighthouse(url: str, cookie: str | None, report: Path, tries: int = 3) -> dict:
    """One Lighthouse run (mobile, its defaults); return the parsed JSON report.

    Headless Chromium now and then reports that nothing was painted (NO_FCP) on a busy
    machine: such a run is tried again.
    """
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--chrome-flags=--headless=new --no-sandbox",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for attempt in range(tries):
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
        if done.returncode == 0:
            return json.loads(report.read_text(encoding="utf-8"))
        print(f"Lighthouse failed on {url} (try {attempt + 1} of {tries})", file=sys.stderr)
    raise SystemExit(f"Lighthouse failed {tries} times on {url}")


def failing(result: dict) -> list[str]:
    """Audits of the four categories that did not pass, with Lighthouse's figure."""
    audits = result["audits"]
    lines = []
    for name in CATEGORIES:
        for ref in result["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if mode in ("notApplicable", "informative", "manual") or audit.get("score") is None:
                continue
            if audit["score"] < 1:
                value = audit.get("displayValue") or ""
                lines.append(f"{name}: {audit['title']} ({audit['score']:.2f}) {value}".rstrip())
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8770, help="loopback port for gunicorn")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make setup` (npm ci) first.")
    OUT.mkdir(parents=True, exist_ok=True)
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = demo_copy(Path(tmp))
        base = f"http://127.0.0.1:{args.port}"
        server = start_gunicorn(data_dir, args.port, Path(tmp) / "gunicorn.log")
        try:
            cookie, opener = log_in(base, TEACHER)
            pages = [
                ("login", "/login", None),
                ("home", "/", cookie),
                ("ask", "/vraag", cookie),
                ("open question", first_link(opener, base, "/vragen", r"/vragen/\d+"), cookie),
                ("dossier", first_link(opener, base, "/kennisbank", DOSSIER), cookie),
                ("casussen", "/casussen", cookie),
            ]  # fmt: skip
            warm_up(opener, base, [path for _, path, _ in pages])
            rows = []
            for name, path, with_cookie in pages:
                started = time.perf_counter()
                report = OUT / f"{name.replace(' ', '-')}.json"
                result = lighthouse(base + path, with_cookie, report)
                scores = [round(100 * result["categories"][c]["score"]) for c in CATEGORIES]
                rows.append((name, path, scores, failing(result), time.perf_counter() - started))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\nLighthouse {result['lighthouseVersion']}, mobile, Chromium {CHROME}")
    print(f"{'page':15} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5}  path")
    for name, path, scores, _, _ in rows:
        print(f"{name:15} " + " ".join(f"{s:>5}" for s in scores) + f"  {path}")
    for name, _, _, fails, seconds in rows:
        print(f"\n{name} ({seconds:.0f} s):")
        for line in fails or ["every audit passed"]:
            print(f"  - {line}")
    print(f"\nreports: {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
