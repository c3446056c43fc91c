"""A full disk or a read-only data directory: a Dutch page, reads go on, nothing is lost."""

import shutil
import sqlite3
import subprocess

import pytest

from portal import create_app
from portal import db as storage
from portal.db import get_db

from .conftest import region_app
from .helpers import QUESTION, AuthActions, ask, count


def test_a_full_disk_gives_a_dutch_page_and_her_text_back(app, client, auth, monkeypatch):
    qid = ask(app)
    auth.login("teacher")
    # Every new connection sees a database that cannot grow by one page, as on a full disk.
    connect = storage.connect

    def full(path):
        db = connect(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(storage, "connect", full)
    before = count(app, "questions")
    long_body = "Hij loopt steeds weg uit de kring en gaat onder de tafel zitten. " * 60
    response = auth.post(
        "/vraag", {**QUESTION, "body": long_body, "action": "post", "form_key": "k1"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and "Het portaal kan nu niet opslaan" in html
    assert "onder de tafel zitten" in html  # her text, to copy
    assert "Traceback" not in html
    monkeypatch.setattr(storage, "connect", connect)
    assert count(app, "questions") == before
    # Reading went on all the time.
    monkeypatch.setattr(storage, "connect", full)
    assert client.get(f"/vragen/{qid}").status_code == 200
    assert client.get("/kennisbank/agressief").status_code == 200


@pytest.fixture
def read_only_dir(tmp_path, password_hash):
    """A data directory with a region in it, then made unwritable (even for root)."""
    if not shutil.which("chattr"):
        pytest.skip("chattr is needed to make a directory read-only for root")
    data = tmp_path / "region"
    app = region_app(data, password_hash)
    ask(app)
    with app.app_context():
        get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in data.glob("portal.sqlite3-*"):
        extra.unlink()
    if subprocess.run(["chattr", "+i", str(data)], capture_output=True).returncode:
        pytest.skip("this file system does not support chattr +i")
    yield {
        k: app.config[k] for k in ("TESTING", "SECRET_KEY", "EMBEDDING_MODEL", "SECOND_MODEL")
    } | {"DATA_DIR": str(data)}
    subprocess.run(["chattr", "-i", str(data)], check=True)


def test_a_read_only_data_directory_serves_reads_and_refuses_writes(read_only_dir):
    app = create_app(read_only_dir)  # starts, instead of a stack trace
    assert app.config["STORAGE_PROBLEM"]
    client = app.test_client()
    auth = AuthActions(client)
    page = client.get("/login").get_data(as_text=True)
    assert "Het portaal kan nu niets opslaan" in page
    response = auth.post("/login", {"email": "juf@school.test", "password": "x"})
    assert response.status_code == 503
    assert "niet opslaan" in response.get_data(as_text=True)
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM questions").fetchone()[0] == 1
        with pytest.raises(sqlite3.OperationalError):
            get_db().execute("INSERT INTO schools (name) VALUES ('x')")


def test_ops_check_says_in_one_line_what_is_wrong(read_only_dir):
    app = create_app(read_only_dir)
    result = app.test_cli_runner().invoke(args=["ops", "check"])
    assert result.exit_code == 1
    failing = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert failing and "data directory" in failing[0] and "not writable" in failing[0]
    assert "Traceback" not in result.output
