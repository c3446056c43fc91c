"""What many tests share: the fixture accounts, logging in like a browser, asking and answering."""

import json
import re
import socket

from portal.accounts import users as accounts
from portal.db import get_db
from portal.questions import cases

PASSWORD = "wachtwoord-123"
USERS = {
    "teacher": ("juf@school.test", "Juf Anna", "teacher", "De Linde"),
    "teacher2": ("meester@school.test", "Meester Bas", "teacher", "De Esdoorn"),
    "expert": ("ib@school.test", "Ib'er Carla", "expert", "De Linde"),
    "parent": ("ouder@school.test", "Ouder Dirk", "parent", None),
    "coordinator": ("coord@regio.test", "Coördinator Eva", "coordinator", None),
}


def user_id(app, key: str) -> int:
    with app.app_context():
        return accounts.user_by_email(get_db(), USERS[key][0])["id"]


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class AuthActions:
    """Log in as a role and make CSRF-protected requests like a browser would."""

    def __init__(self, client):
        self.client = client

    def login(self, who: str = "teacher", password: str = PASSWORD, email: str | None = None,
              **kwargs):  # fmt: skip
        self.client.post("/logout", data={"csrf_token": self.token()})
        return self.client.post(
            "/login",
            data={
                "email": USERS[who][0] if email is None else email,
                "password": password,
                "csrf_token": self.token(),
            },
            **kwargs,
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token()})

    def token(self) -> str:
        page = self.client.get("/login", follow_redirects=True).get_data(as_text=True)
        return CSRF_META.search(page).group(1)

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token()}, **kwargs)


QUESTION = {
    "title": "Jongen in groep 6 roept steeds door de instructie heen",
    "body": "Hij kan niet wachten tot hij de beurt krijgt en flapt alle antwoorden eruit. "
    "Ik heb al een beurtensysteem geprobeerd maar dat helpt maar even.",
    "cluster": "druk-impulsief",
}
ANSWER = (
    "Geef hem drie beurtkaartjes per les: elke keer dat hij iets zegt levert hij er een in. "
    "Zo leert hij kiezen wanneer het de moeite waard is."
)


def ask(app, who="teacher", **fields):
    data = {**QUESTION, **fields}
    with app.app_context():
        return cases.create_question(
            get_db(),
            user_id(app, who),
            data["cluster"],
            data["title"],
            data["body"],
            anonymous=data.get("anonymous", False),
        )


def answer(app, question_id, who="teacher2", body=ANSWER, kind="idea"):
    with app.app_context():
        return cases.add_answer(get_db(), question_id, user_id(app, who), kind, body)


def count(app, table):
    """Rows in a table."""
    with app.app_context():
        return get_db().execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def scalar(app, sql: str, params=()):
    """The one value a query returns."""
    with app.app_context():
        return get_db().execute(sql, params).fetchone()[0]


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
