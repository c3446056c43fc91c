"""Attacked and stressed from outside: mail that must wait or never go, the login throttle
behind a proxy and under parallel guesses, posts repeated after a lost connection."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from werkzeug.serving import make_server

from portal.db import get_db
from portal.notifications import mail

from .conftest import region_app
from .helpers import ANSWER, PASSWORD, QUESTION, USERS, AuthActions, ask, count, scalar
from .test_notifications import run_jobs, start_smtp

TEACHER_EMAIL = USERS["teacher"][0]


def _answer_by_route(auth, qid):
    auth.login("teacher2")
    response = auth.post(f"/vragen/{qid}/antwoord", {"kind": "idea", "body": ANSWER})
    assert response.status_code == 302


def test_a_mail_that_failed_many_times_is_still_sent_when_the_server_is_back(app, client, auth):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_TLS="none")  # nothing listens
    qid = ask(app)
    _answer_by_route(auth, qid)
    for _ in range(3):
        assert run_jobs(app)["mail_failed"] == 1
        with app.app_context():
            get_db().conn.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
    with app.app_context():
        # As if it had failed all night: far beyond the old limit of 8 attempts.
        get_db().conn.execute(
            "UPDATE outbox SET attempts = 12, created_at = '2026-01-01T06:00:00Z'"
        )
    assert mail.backoff(12) == mail.MAX_BACKOFF  # retried every 6 hours, never given up
    # The coordinator is told, in Dutch, on Beheer.
    auth.login("coordinator")
    page = client.get("/beheer").get_data(as_text=True)
    assert "wacht langer dan een uur" in page and "Het portaal blijft het proberen" in page
    inbox, controller = start_smtp()
    try:
        app.config["SMTP_PORT"] = inbox.port
        assert run_jobs(app)["mail_sent"] == 1
    finally:
        controller.stop()
    assert [m[0] for m in inbox.messages] == [[TEACHER_EMAIL]]
    assert "wacht langer" not in client.get("/beheer").get_data(as_text=True)


def test_a_deleted_account_gets_no_more_mail_and_its_mail_is_gone(app, client, auth):
    inbox, controller = start_smtp()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, SMTP_TLS="none")
    try:
        qid = ask(app)
        _answer_by_route(auth, qid)  # queues "Antwoord op jouw vraag" for Juf Anna
        assert scalar(app, "SELECT count(*) FROM outbox WHERE to_addr = ?", [TEACHER_EMAIL]) == 1
        auth.login("teacher")
        assert auth.post("/account/verwijderen", {"password": PASSWORD}).status_code == 302
        run_jobs(app)
    finally:
        controller.stop()
    assert not any(TEACHER_EMAIL in m[0] for m in inbox.messages)
    with app.app_context():
        rows = get_db().execute("SELECT to_addr, body_text, body_html FROM outbox").fetchall()
    assert not [r for r in rows if TEACHER_EMAIL in " ".join(r) or "Juf Anna" in " ".join(r)]


def test_the_throttle_counts_one_account_however_the_address_is_typed(client, auth):
    # A phone keyboard adds a space, or a capital: it is the same teacher.
    assert auth.login("teacher", email=f" {TEACHER_EMAIL.upper()} ").status_code == 302
    auth.logout()
    for typed in ["Juf@School.test", " juf@school.test", "JUF@SCHOOL.TEST ", "juf@school.test"]:
        auth.login("teacher", email=typed, password="helemaal-verkeerd")
    auth.login("teacher", email=" juf@school.test ", password="nog-steeds-fout")
    assert auth.login("teacher").status_code == 429


def _post_login(base, email, password, headers=None):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/login").read().decode()
    token = html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    request = urllib.request.Request(f"{base}/login", body.encode(), headers=headers or {})
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_forty_parallel_guesses_get_at_most_five_password_checks(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        statuses = []
        threads = [
            threading.Thread(
                target=lambda: statuses.append(_post_login(base, TEACHER_EMAIL, "fout-fout"))
            )
            for _ in range(40)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.shutdown()
    # Each password check that fails is logged; the others were refused before any check.
    assert count_events(app, "login_failed") <= 5
    assert statuses.count(429) >= 35 and len(statuses) == 40


def count_events(app, event):
    return scalar(app, "SELECT count(*) FROM audit_log WHERE event = ?", [event])


def test_behind_the_proxy_each_teacher_keeps_her_own_address(tmp_path, password_hash):
    app = region_app(tmp_path / "data", password_hash, TRUSTED_PROXIES=1)
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # every request arrives from the local Caddy

    def attempt(client_address, password):
        client = app.test_client()
        client.environ_base.update(proxy)
        client.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
        return AuthActions(client).login("teacher2", password=password).status_code

    for _ in range(5):
        attempt("203.0.113.7", "verkeerd-wachtwoord")
    assert attempt("203.0.113.7", PASSWORD) == 429  # the guesser waits ...
    assert attempt("198.51.100.4", PASSWORD) == 302  # ... the teacher at school does not


def test_without_a_proxy_a_forged_forwarded_address_does_not_escape_the_throttle(app):
    def attempt(forged, password):
        client = app.test_client()
        client.environ_base.update({"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": forged})
        return AuthActions(client).login("teacher2", password=password).status_code

    for n in range(5):
        attempt(f"10.0.0.{n}", "verkeerd-wachtwoord")
    assert attempt("10.0.0.99", PASSWORD) == 429


def test_a_question_posted_again_after_a_lost_connection_is_kept_once(app, client, auth):
    auth.login("teacher")
    data = {**QUESTION, "action": "post", "form_key": "f00d" * 8}
    first = auth.post("/vraag", data)
    again = auth.post("/vraag", data)  # the browser retries: same one-time key
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert count(app, "questions") == 1
    qid = first.headers["Location"].rsplit("/", 1)[1]
    reply = {"kind": "idea", "body": ANSWER, "action": "post", "form_key": "beef" * 8}
    auth.login("teacher2")
    auth.post(f"/vragen/{qid}/antwoord", reply)
    auth.post(f"/vragen/{qid}/antwoord", reply)
    assert count(app, "answers") == 1
