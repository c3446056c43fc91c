"""Fixtures: a temp data directory per test, the real model loaded once per session."""

import os
import re

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest
from werkzeug.security import generate_password_hash

from index import DEFAULT_MODEL, load_embedder
from portal import accounts, create_app
from portal.db import get_db

PASSWORD = "wachtwoord-123"
USERS = {
    "teacher": ("juf@school.test", "Juf Anna", "teacher", "De Linde"),
    "teacher2": ("meester@school.test", "Meester Bas", "teacher", "De Esdoorn"),
    "expert": ("ib@school.test", "Ib'er Carla", "expert", "De Linde"),
    "parent": ("ouder@school.test", "Ouder Dirk", "parent", None),
    "coordinator": ("coord@regio.test", "Coördinator Eva", "coordinator", None),
}


@pytest.fixture(scope="session")
def embedder():
    """Load the default embedding model once for the whole session."""
    return load_embedder(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def password_hash():
    """Hash the test password once: scrypt is slow on purpose."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def app(tmp_path, embedder, password_hash):
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "test-secret",
            "BASE_URL": "http://portal.test",
        }
    )
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


def user_id(app, key: str) -> int:
    with app.app_context():
        return accounts.user_by_email(get_db(), USERS[key][0])["id"]


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class AuthActions:
    """Log in as a role and make CSRF-protected requests like a browser would."""

    def __init__(self, client):
        self.client = client

    def login(self, who: str = "teacher", password: str = PASSWORD):
        self.client.post("/logout", data={"csrf_token": self.token()})
        return self.client.post(
            "/login",
            data={"email": USERS[who][0], "password": password, "csrf_token": self.token()},
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token()})

    def token(self) -> str:
        page = self.client.get("/login", follow_redirects=True).get_data(as_text=True)
        return CSRF_META.search(page).group(1)

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token()}, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)
