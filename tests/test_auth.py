"""Logging in and out, invitations, disabled accounts."""

from portal.accounts import users as accounts
from portal.db import get_db

from .helpers import PASSWORD, USERS, user_id


def test_login_and_logout(client, auth):
    assert client.get("/").status_code == 302
    response = auth.login("teacher")
    assert response.status_code == 302
    assert "Juf Anna" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_is_refused_in_dutch(client, auth):
    response = auth.login("teacher", password="verkeerd-wachtwoord")
    assert response.status_code == 400
    assert "horen niet bij elkaar" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_is_a_post(client, auth):
    auth.login("teacher")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_login_does_not_follow_an_outside_next(client, auth):
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": USERS["teacher"][0], "password": PASSWORD, "csrf_token": auth.token()},
    )
    assert response.headers["Location"] == "/"


def invite(app, email="nieuw@school.test", role="teacher", days=7):
    with app.app_context():
        db = get_db()
        school = accounts.list_schools(db)[0]["id"]
        return accounts.create_invitation(
            db, email, role, school, None, "Nieuwe Collega", days=days
        )


def test_invitation_sets_a_password_once(app, client, auth):
    token = invite(app)
    page = client.get(f"/uitnodiging/{token}")
    assert page.status_code == 200
    assert "nieuw@school.test" in page.get_data(as_text=True)
    response = auth.post(
        f"/uitnodiging/{token}",
        {"name": "Nieuwe Collega", "password": "een-lange-zin", "confirm": "een-lange-zin"},
    )
    assert response.status_code == 302
    assert "Nieuwe Collega" in client.get("/").get_data(as_text=True)
    auth.logout()
    again = client.get(f"/uitnodiging/{token}")
    assert again.status_code == 410
    assert "al gebruikt" in again.get_data(as_text=True)


def test_expired_invitation_is_refused(app, client):
    token = invite(app, days=-1)
    response = client.get(f"/uitnodiging/{token}")
    assert response.status_code == 410
    assert "verlopen" in response.get_data(as_text=True)


def test_unknown_invitation(client):
    assert client.get("/uitnodiging/bestaat-niet").status_code == 410


def test_short_password_is_refused_and_nothing_created(app, client, auth):
    token = invite(app)
    response = auth.post(
        f"/uitnodiging/{token}", {"name": "X", "password": "kort", "confirm": "kort"}
    )
    assert response.status_code == 400
    assert "minstens 10 tekens" in response.get_data(as_text=True)
    with app.app_context():
        assert accounts.user_by_email(get_db(), "nieuw@school.test") is None


def test_disabling_an_account_ends_its_session(app, client, auth):
    auth.login("teacher")
    assert client.get("/").status_code == 200
    with app.app_context():
        accounts.set_active(get_db(), user_id(app, "teacher"), False)
    assert client.get("/").status_code == 302
    response = auth.login("teacher")
    assert "uitgeschakeld" in response.get_data(as_text=True)


def test_password_change_ends_other_sessions(app, client, auth):
    auth.login("teacher")
    with app.app_context():
        accounts.set_password(get_db(), user_id(app, "teacher"), "nog-een-lange-zin")
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_scrypt(app):
    with app.app_context():
        accounts.set_password(get_db(), user_id(app, "teacher"), "nog-een-lange-zin")
        row = accounts.user_by_email(get_db(), USERS["teacher"][0])
    assert row["password_hash"].startswith("scrypt:")
    assert "nog-een-lange-zin" not in row["password_hash"]


def test_the_plain_login_page_is_rendered_once_and_carries_each_sessions_token(app, auth):
    # The second visitor gets the kept page, gzipped by splicing, with her own token in all
    # three places; it decompresses to exactly the page a render gives, and her token works.
    import gzip
    import re

    pages, tokens = [], []
    for _ in range(3):
        client = app.test_client()
        response = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert "Accept-Encoding" in response.headers["Vary"]
        html = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            html = gzip.decompress(html)
        elif response.headers.get("Content-Encoding") == "br":
            import brotli

            html = brotli.decompress(html)
        html = html.decode()
        found = set(re.findall(r'(?:content|value)="([\w.-]{40,})"', html))
        assert len(found) == 1 and html.count(found.pop()) == 3
        tokens.append(re.search(r'name="csrf-token" content="([^"]+)"', html).group(1))
        pages.append(html.replace(tokens[-1], "TOKEN"))
        signed_in = client.post(
            "/login",
            data={"email": USERS["teacher"][0], "password": PASSWORD, "csrf_token": tokens[-1]},
        )
        assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    assert len(set(tokens)) == 3 and pages[0] == pages[1] == pages[2]
    assert "Inloggen" in pages[0]


def test_a_login_page_with_a_message_is_not_the_kept_one(client, auth):
    client.get("/login")  # keeps the plain page
    auth.login("teacher")
    response = client.post("/logout", data={"csrf_token": auth.token()}, follow_redirects=True)
    assert "Je bent uitgelogd." in response.get_data(as_text=True)
    assert "Je bent uitgelogd." not in client.get("/login").get_data(as_text=True)
    wrong = auth.login("teacher", password="verkeerd-wachtwoord").get_data(as_text=True)
    assert "horen niet bij elkaar" in wrong
    assert "?next=/vragen" in client.get("/login?next=/vragen").get_data(as_text=True)


def test_spliced_gzip_is_the_page_with_any_token():
    import gzip
    import random

    from portal.web.assets import TokenPage

    rng = random.Random(7)
    words = ["<p>", "juf", "groep", "klas", "</p>", "\n", "ë", "TOKEN", "a" * 40]
    for _ in range(50):
        html = "".join(rng.choice(words) for _ in range(rng.randrange(0, 400)))
        page = TokenPage(html, "TOKEN")
        token = "".join(rng.choice("abcdef.-_0123456789") for _ in range(rng.randrange(1, 120)))
        assert gzip.decompress(page.gzipped(token)).decode() == html.replace("TOKEN", token)
        assert page.html(token) == html.replace("TOKEN", token)


def test_the_coordinator_stays_where_she_acted_on_the_accounts_page(app, client, auth):
    # The page is long: a form low on it posts to its own anchor, and its error shows there.
    auth.login("coordinator")
    page = client.get("/beheer").get_data(as_text=True)
    assert 'action="/beheer/scholen#scholen"' in page and 'id="scholen"' in page
    teacher = user_id(app, "teacher")
    assert f'id="account-{teacher}"' in page
    assert f'action="/beheer/accounts/{teacher}/actief#account-{teacher}"' in page
    response = auth.post("/beheer/scholen", {"name": "", "kind": "regulier"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    section = html[html.index('id="scholen"') :]
    assert "Geef de school een naam." in section
