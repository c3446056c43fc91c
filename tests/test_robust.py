"""Several workers and hard crashes: the database stays whole and the index follows it."""

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from index import SearchIndex, load_model_id, stored_model

from .helpers import PASSWORD, USERS, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


def env_for(data_dir: Path) -> dict:
    return {
        **os.environ,
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_SECRET_KEY": "test-secret",
        "HF_HUB_OFFLINE": "1",
    }


class Browser:
    """A cookie-keeping HTTP client that sends the CSRF token like the portal's pages do."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.token = None

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            html = response.read().decode()
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
        if found:
            self.token = found.group(1)
        return html

    def post(self, path: str, data: dict, htmx: bool = False) -> tuple[str, str]:
        headers = {"X-CSRFToken": self.token}
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def login(self, who: str) -> None:
        self.get("/login")
        self.post("/login", {"email": USERS[who][0], "password": PASSWORD})
        self.get("/")


@pytest.fixture
def prepared(app):
    """A data directory with accounts and indexed dossiers (create_app syncs them)."""
    return app.config["DATA_DIR"]


@pytest.mark.real_model
def test_two_gunicorn_workers_see_each_others_cases(prepared):
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env_for(prepared),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        teacher, colleague = Browser(base), Browser(base)
        teacher.login("teacher")
        colleague.login("teacher2")
        query = {
            "title": "Kleuter bijt andere kinderen",
            "body": "Een kleuter in groep 1 bijt klasgenoten als hij zijn zin niet krijgt.",
        }
        # Warm both workers: each loads the index before the case exists.
        warm = [
            threading.Thread(target=teacher.post, args=("/vraag", query, True)) for _ in range(6)
        ]
        for t in warm:
            t.start()
        for t in warm:
            t.join()

        url, _ = teacher.post("/vraag", {**query, "cluster": "agressief", "action": "post"})
        qid = int(url.rstrip("/").rsplit("/", 1)[1])
        colleague.get(f"/vragen/{qid}")
        colleague.post(
            f"/vragen/{qid}/antwoord",
            {
                "kind": "idea",
                "body": "Geef hem woorden voor wat hij wil en oefen dat met een knuffel.",
            },
        )
        html = teacher.get(f"/vragen/{qid}")
        answer_id = re.search(r'name="answer_id" value="(\d+)"', html).group(1)
        teacher.post(f"/vragen/{qid}/meest-behulpzaam", {"answer_id": answer_id})
        resolved_at = time.monotonic()

        # Concurrent searches, so both workers answer; every one must find the new case.
        found, lock = [], threading.Lock()

        def search():
            _, fragment = Browser.post(
                teacher,
                "/vraag",
                {"title": "", "body": "kleuter bijt klasgenoten als hij boos is"},
                True,
            )
            with lock:
                found.append((f'href="/vragen/{qid}"' in fragment, time.monotonic() - resolved_at))

        threads = [threading.Thread(target=search) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(found) == 8
        assert all(ok for ok, _ in found), found
        assert max(seconds for _, seconds in found) < 5
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    assert b"Traceback" not in err, err.decode()[-2000:]


def eval_cases(n: int, offset: int = 0) -> list[dict]:
    with open(ROOT / "index/eval/cases.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [{**r, "ref": f"crash-{offset + i}"} for i, r in enumerate(rows[:n])]


def check_integrity(data_dir: Path) -> int:
    """Database whole, index (as a restarted worker sees it) equal to the database."""
    conn = sqlite3.connect(str(data_dir / "portal.sqlite3"), isolation_level=None)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    resolved = {
        str(r[0]) for r in conn.execute("SELECT id FROM questions WHERE status = 'resolved'")
    }
    docs = {r[0] for r in conn.execute("SELECT target FROM search_docs WHERE kind = 'case'")}
    assert resolved == docs
    status = SearchIndex(data_dir, load_model_id(stored_model(conn))).status(conn)
    assert status["consistent"], status
    assert status["in_memory"]["case"] == len(resolved)
    conn.close()
    return len(resolved)


@pytest.mark.real_model
def test_kill_9_during_imports_loses_nothing(prepared, tmp_path):
    rng = random.Random(20261124)
    done = 0
    for attempt in range(4):
        path = tmp_path / f"batch{attempt}.jsonl"
        path.write_text("\n".join(json.dumps(c) for c in eval_cases(30, offset=attempt * 100)))
        process = subprocess.Popen(
            [str(BIN / "flask"), "--app", "wsgi", "cases", "import", str(path)],
            cwd=ROOT,
            env=env_for(prepared),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The last attempt runs to the end; the others die at a random moment.
        if attempt < 3:
            time.sleep(rng.uniform(0.5, 6.0))
            process.kill()
        process.wait(timeout=120)
        count = check_integrity(prepared)
        assert count in (done, done + 30), (attempt, count)  # all of a file or nothing
        done = count
    assert done >= 30


RESOLVER = """
import os, sys
from portal import create_app
from portal.questions import cases
from portal.db import get_db
from portal.db import get_index
app = create_app()
with app.app_context():
    db = get_db()
    for qid, aid, author in db.execute(
        "SELECT q.id, a.id, q.author_id FROM questions q JOIN answers a ON a.question_id = q.id "
        "WHERE q.status = 'open'"
    ).fetchall():
        cases.mark_best(db, get_index(), qid, aid, author)
        print(qid, flush=True)
"""


@pytest.mark.real_model
def test_kill_9_while_resolving_keeps_status_and_index_together(app, prepared):
    from .helpers import answer, ask

    for i in range(12):
        qid = ask(app, title=f"Vraag nummer {i} over een leerling die niet stil kan zitten")
        answer(app, qid, body=f"Antwoord {i}: geef hem een wiebelkussen en korte opdrachten.")
    process = subprocess.Popen(
        [sys.executable, "-c", RESOLVER],
        cwd=ROOT,
        env={**env_for(prepared), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    # Let it resolve a few, then kill it mid-way.
    for _ in range(3):
        process.stdout.readline()
    process.kill()
    process.wait(timeout=60)
    resolved = check_integrity(prepared)
    assert 3 <= resolved < 12
