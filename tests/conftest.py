"""Fixtures: a temp data directory per test, the real model loaded once per session.

Tests that judge retrieval are marked ``real_model`` (or use the ``embedder`` fixture) and
search with multilingual-e5-small; the others use the deterministic stand-in embedder, so
`make check` stays fast.
"""

import os
import pickle
import shutil
import threading

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One process per core (`-n 2`): a second OpenMP thread per model would only fight the
    # other worker for the same cores. Read when the model libraries load, so set it first.
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest
from filelock import FileLock
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from index import DEFAULT_MODEL, load_embedder, memo
from portal import create_app
from portal.accounts import users as accounts
from portal.db import get_db

from . import browsing
from .helpers import PASSWORD, USERS, AuthActions


@pytest.fixture(scope="session")
def embedder(tmp_path_factory, password_hash):
    """Load the default embedding model once for the whole session.

    A real-model portal embeds every dossier section and its questions: minutes on one
    core. Each xdist worker is a process with its own memo (index/memo.py), so the first
    worker to get here builds a real-model region and leaves its memo in a file that the
    other workers read: the kennisbank is embedded once per run, not once per worker.
    """
    model = load_embedder(DEFAULT_MODEL)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return model
    shared = tmp_path_factory.getbasetemp().parent / "real-model-memo.pickle"
    with FileLock(f"{shared}.lock"):
        if shared.exists():
            memo.PROCESS.remember(pickle.loads(shared.read_bytes()))  # noqa: S301 - our own file
        else:
            warm = tmp_path_factory.mktemp("real-model-warm") / "data"
            region_app(warm, password_hash, EMBEDDING_MODEL=DEFAULT_MODEL, SECOND_MODEL="use")
            shared.write_bytes(pickle.dumps(memo.PROCESS.entries()))
    return model


@pytest.fixture(scope="session")
def password_hash():
    """Hash the test accounts' password once, cheaply.

    The portal hashes with scrypt, slow on purpose; the method is stored in the hash, so
    logins of these fixture accounts are checked fast while every password the tests set
    through the portal (invitations, changes) still goes through scrypt.
    """
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def pytest_collection_modifyitems(items):
    # A test that asks for the real model judges retrieval; everything else runs on the
    # deterministic stand-in embedder (the fast lane). A real-model portal embeds every
    # dossier section once per session (about 40 s on 2 cores): such tests count as slow.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "embedder" in fixtures:
            item.add_marker(pytest.mark.real_model)
        if item.get_closest_marker("real_model") and "app" in fixtures:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def fresh_region(tmp_path_factory, password_hash):
    """A data directory as region_app leaves it (stand-in embedder), made once.

    Each fast-lane test starts from a copy: migrating and indexing the dossiers takes a
    quarter of a second, copying the directory a few milliseconds.
    """
    data_dir = tmp_path_factory.mktemp("fresh-region") / "data"
    region_app(data_dir, password_hash)
    return data_dir


@pytest.fixture
def app(request, tmp_path):
    real = request.node.get_closest_marker("real_model") is not None
    if real:
        request.getfixturevalue("embedder")
        return region_app(
            tmp_path / "data",
            request.getfixturevalue("password_hash"),
            EMBEDDING_MODEL=DEFAULT_MODEL,
            SECOND_MODEL="use",
        )
    data_dir = tmp_path / "data"
    shutil.copytree(request.getfixturevalue("fresh_region"), data_dir)
    return _portal(data_dir)


def _portal(data_dir, **config):
    return create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "SECRET_KEY": "test-secret",
            "BASE_URL": "http://portal.test",
            "EMBEDDING_MODEL": "stand-in",
            "SECOND_MODEL": "none",
            **config,
        }
    )


def region_app(data_dir, password_hash, **config):
    """A portal on a fresh data directory holding the fixture accounts (tests/helpers.py)."""
    app = _portal(data_dir, **config)
    with app.app_context():
        db = get_db()
        schools = {
            name: accounts.create_school(db, name)
            for name in {u[3] for u in USERS.values() if u[3]}
        }
        for email, name, role, school in USERS.values():
            accounts.create_user(db, email, name, role, schools.get(school))
        db.conn.execute("UPDATE users SET password_hash = ? WHERE system = 0", (password_hash,))
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=browsing.CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
