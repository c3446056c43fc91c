"""Load benchmark: gunicorn on the demo region, loopback only, bounded in time.

``make load`` (or ``python -m bench.load``) prints, for this machine and the worker
settings of the deploy kit (deploy/gunicorn.conf.py):

- requests/s and p50/p95/p99 latency with wrk for the login page, a logged-in page, a
  dossier and the live suggestion (htmx POST /vraag), at 10, 50 and 200 connections;
- the typing scenario: N teachers each typing a question (title, then description) at 40
  words a minute with the page's debounce (a suggestion after every pause longer than
  600 ms, every 2-4 words), p50/p95/p99 and errors.

wrk comes from Debian (``apt-get install wrk``); the typing teachers are asyncio clients
(standard library only), so the two measure the portal the same way a browser reaches it.
"""

import argparse
import asyncio
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
CONF = ROOT / "deploy" / "gunicorn.conf.py"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TEACHER = ("leerkracht@demo.leer-kracht.nl", "demo-wachtwoord")
# Short phone questions (index/eval) and long stories (index/eval/heldout) alike.
QUESTIONS = [
    json.loads(line)["query"]
    for path in ("index/eval/queries.jsonl", "index/eval/heldout/queries.jsonl")
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def machine() -> str:
    from bench.__main__ import machine as describe

    return describe()


def demo_copy(workdir: Path) -> Path:
    """A fresh copy of the demo region (made once into instance/bench-demo, then copied)."""
    source = ROOT / "instance" / "bench-demo"
    if not (source / "portal.sqlite3").exists():
        env = {**os.environ, "PORTAL_DATA_DIR": str(source), "HF_HUB_OFFLINE": "1"}
        command = [VENV / "flask", "--app", "wsgi", "demo", "create"]
        subprocess.run(command, env=env, check=True, cwd=ROOT)
    target = workdir / "data"
    shutil.copytree(source, target)
    return target


def start_gunicorn(
    data_dir: Path, port: int, log: Path, cpu: int | None = None
) -> subprocess.Popen:
    """gunicorn with the deploy kit's settings; with ``cpu``, one worker on that CPU only."""
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "HF_HUB_OFFLINE": "1",
    }
    command = [VENV / "gunicorn", "-c", CONF, "-b", f"127.0.0.1:{port}", "wsgi:app"]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command, "--workers", "1"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read()  # noqa: S310 - loopback
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"gunicorn did not start; see {log}")


def login(base: str) -> tuple[str, str]:
    """Log in as the demo teacher; return (cookie header, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = CSRF.search(opener.open(f"{base}/login").read().decode()).group(1)
    data = urllib.parse.urlencode(
        {"email": TEACHER[0], "password": TEACHER[1], "csrf_token": token}
    ).encode()
    page = opener.open(f"{base}/login", data).read().decode()
    token = CSRF.search(page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, token


WRK_SCRIPT = """
local method, body
function init(args)
  method, body = args[3], args[4]
  wrk.method = method
  if args[1] ~= "" then wrk.headers["Cookie"] = args[1] end
  -- What Chromium sends: the portal compresses as it would for a teacher's browser.
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br, zstd"
  if args[5] == "1" then
    wrk.headers["HX-Request"] = "true"
    wrk.headers["X-CSRFToken"] = args[2]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end
local n = 0
function request()
  n = n + 1
  if method == "POST" then
    return wrk.format(nil, nil, nil, body .. "+" .. n .. "+" .. math.random(1000000))
  end
  return wrk.format()
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "JSON {\\"rps\\": %f, \\"p50\\": %f, \\"p95\\": %f, \\"p99\\": %f, "
    .. "\\"errors\\": %d, \\"timeouts\\": %d}\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write, e.timeout))
end
"""


def wrk(url: str, connections: int, seconds: int, script: Path, args: list[str], cpu=None) -> dict:
    threads = min(2, connections) if cpu is None else 1
    pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
    out = subprocess.run(
        [
            *pin,
            *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"),
            *("-s", str(script), url, "--", *args),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.split("JSON ", 1)[1])


async def typing_teacher(base, cookie, token, stop_at, latencies, errors, rng, wpm):
    """One teacher: types a title, then the description, at ``wpm`` words a minute; after
    every few words she pauses longer than the page's debounce (600 ms): one suggestion.

    Each suggestion opens its own connection, as a browser's does behind the deploy kit's
    proxy: gunicorn's sync workers close a connection after one response, and a connection
    held open while she types would tie up a worker (the proxy holds those).
    """
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    await asyncio.sleep(rng.uniform(0, 5))  # teachers do not all start on the same second
    while time.time() < stop_at:
        words = rng.choice(QUESTIONS).split()
        title_words = min(len(words), rng.randint(6, 10))
        end = 0
        while end < len(words):
            burst = rng.randint(2, 4)
            end = min(len(words), end + burst)
            await asyncio.sleep(burst * 60 / wpm + rng.uniform(0.6, 1.5))
            if time.time() >= stop_at:
                return
            form = {
                "csrf_token": token,
                "title": " ".join(words[: min(end, title_words)]),
                "body": " ".join(words[title_words:end]),
            }
            body = urllib.parse.urlencode(form).encode()
            request = (
                f"POST /vraag HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
                f"HX-Request: true\r\nX-CSRFToken: {token}\r\nConnection: close\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            started = time.perf_counter()
            writer = None
            try:
                reader, writer = await asyncio.open_connection(host, port)
                writer.write(request)
                await writer.drain()
                status = await reader.readline()
                await reader.read()  # headers and body, until the server closes
                latencies.append(time.perf_counter() - started)
                if b" 200 " not in status:
                    errors.append(status.decode().strip() or "no response")
            except (OSError, asyncio.IncompleteReadError) as exc:
                errors.append(type(exc).__name__)
            finally:
                if writer is not None:
                    writer.close()


async def typing_scenario(base, cookie, token, teachers: int, seconds: int, wpm: int) -> dict:
    latencies, errors = [], []
    stop_at = time.time() + seconds
    rng = random.Random(7)
    await asyncio.gather(
        *(
            typing_teacher(
                base, cookie, token, stop_at, latencies, errors, random.Random(seed), wpm
            )
            for seed in [rng.random() for _ in range(teachers)]
        )
    )
    latencies.sort()

    def pct(p):
        if not latencies:
            return float("nan")
        return 1000 * latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": len(errors),
    }


def pages_for(base: str, cookie: str, token: str) -> dict[str, tuple[str, list[str]]]:
    """{page: (url, wrk script arguments)} for a server at base, as the logged-in teacher."""
    body = urllib.parse.urlencode(
        {
            "csrf_token": token,
            "title": "Jongen in groep 5 slaat als hij verliest",
            "body": "Op het plein gaat het mis na de gym",
        }
    )
    return {
        "login": (f"{base}/login", ["", token, "GET", "", "0"]),
        "home": (f"{base}/", [cookie, token, "GET", "", "0"]),
        "dossier": (f"{base}/kennisbank/druk-impulsief", [cookie, token, "GET", "", "0"]),
        "suggestion": (f"{base}/vraag", [cookie, token, "POST", body, "1"]),
    }


def per_core(data_dir, workdir, script, args, port) -> None:
    """Requests/s of one core: one worker pinned to CPU 0, wrk pinned to CPU 1.

    On the 2-core machine the runs above share both cores with wrk; this one gives the
    figure of the target (requests/s per core) without wrk's own work in it.
    """
    if (os.cpu_count() or 1) < 2 or not shutil.which("taskset"):
        print("\nper core: needs two CPUs and taskset (util-linux); skipped")
        return
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(data_dir, port, workdir / "gunicorn-one.log", cpu=0)
    try:
        pages = pages_for(base, *login(base))
        print("\none worker on CPU 0, wrk on CPU 1, 10 connections:")
        for name in args.per_core.split(","):
            url, wrk_args = pages[name]
            r = wrk(url, 10, args.seconds, script, wrk_args, cpu=1)
            print(
                f"{name:<12}{r['rps']:>9.1f} req/s per core, p50 {r['p50']:.1f} ms, "
                f"p95 {r['p95']:.1f} ms, {r['errors'] + r['timeouts']} errors",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="per wrk run")
    parser.add_argument("--connections", default="10,50,200")
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--typing-seconds", type=int, default=60)
    # Adults type about 35-40 words a minute on a tablet or phone, somewhat more on a laptop.
    parser.add_argument("--wpm", type=int, default=40, help="typing speed of each teacher")
    parser.add_argument("--pages", default="login,home,dossier,suggestion")
    parser.add_argument(
        "--per-core", default="login,home", help="pages measured on one pinned core ('' for none)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    port = 8765
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data_dir = demo_copy(workdir)
        server = start_gunicorn(data_dir, port, workdir / "gunicorn.log")
        try:
            cookie, token = login(base)
            script = workdir / "wrk.lua"
            script.write_text(WRK_SCRIPT)
            pages = pages_for(base, cookie, token)
            print(machine())
            print(CONF.read_text().split("# --- settings", 1)[-1].strip())
            columns = ("conns", "req/s", "p50 ms", "p95 ms", "p99 ms")
            print(f"\n{'page':<12}" + "".join(f"{c:>9}" for c in columns) + f"{'errors':>8}")
            for name in args.pages.split(","):
                url, wrk_args = pages[name]
                for connections in map(int, args.connections.split(",")):
                    r = wrk(url, connections, args.seconds, script, wrk_args)
                    figures = (r["rps"], r["p50"], r["p95"], r["p99"])
                    print(
                        f"{name:<12}{connections:>9}"
                        + "".join(f"{f:>9.1f}" for f in figures)
                        + f"{r['errors'] + r['timeouts']:>8}",
                        flush=True,
                    )
            if args.per_core:
                per_core(data_dir, workdir, script, args, port + 1)
            if args.teachers:
                scenario = typing_scenario(
                    base, cookie, token, args.teachers, args.typing_seconds, args.wpm
                )
                r = asyncio.run(scenario)
                print(
                    f"\n{args.teachers} teachers typing ({args.wpm} words a minute) for "
                    f"{args.typing_seconds} s: "
                    f"{r['requests']} suggestions, {r['rps']:.1f}/s, p50 {r['p50']:.0f} ms, "
                    f"p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms, {r['errors']} errors"
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
