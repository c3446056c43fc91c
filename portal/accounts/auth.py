"""Log in (keeping a draft through an expired session), log out, accept an invitation."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from ..db import get_db, transaction
from ..notifications import notify
from ..questions import drafts
from ..web.access import EVERYONE, PUBLIC, LoginToKeepDraft, allow
from ..web.assets import TokenPage
from ..web.audit import audit
from ..web.forms import EmptyForm
from ..web.security import start_session_clock
from . import bp, throttle
from .forms import AcceptForm, ForgotForm, LoginForm, ResetForm
from .users import (
    RESET_HOURS,
    AccountError,
    User,
    accept_invitation,
    check_password,
    create_reset,
    end_sessions,
    get_user,
    invitation_by_token,
    invitation_problem,
    reset_by_token,
    use_reset,
    user_by_email,
)


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _start_session(row: dict) -> None:
    # A fresh session on login: nothing from before the login carries over.
    session.clear()
    login_user(User(row))
    session.permanent = True
    start_session_clock()


def _plain_pages() -> dict[bool, TokenPage]:
    """This app's kept plain login pages, by the storage warning (the one setting shown).

    The plain login page (a GET without a message, a next page or a carried text) is the
    same for everyone but its CSRF token: rendered once per app, it then costs putting the
    token in (and no compression, see TokenPage) instead of a Jinja and WTForms render,
    which was two thirds of the request. Another region's app in the same process keeps
    its own.
    """
    return current_app.extensions.setdefault("plain_login_pages", {})


def _page_key() -> bool:
    return bool(current_app.config.get("STORAGE_PROBLEM"))


def _plain_request() -> bool:
    return request.method == "GET" and not request.args and not session.get("_flashes")


def _plain_page():
    """The plain login page with this session's CSRF token, once it has been rendered."""
    page = _plain_pages().get(_page_key())
    if page is None:
        return None
    token = generate_csrf()
    if request.accept_encodings["gzip"]:
        response = current_app.response_class(page.gzipped(token), mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
        return response
    return page.html(token)


def _login_page(form, error=None, status=200, carried: str = ""):
    # Judged before rendering: the render takes the flashed messages out of the session.
    plain = _plain_request() and not (error or carried or form.errors) and status == 200
    html = render_template("auth/login.html", form=form, error=error, carried=carried)
    if plain and not current_app.debug:
        _plain_pages()[_page_key()] = TokenPage(html, generate_csrf())
    return html, status


@bp.app_errorhandler(LoginToKeepDraft)
def login_keeping_draft(exc: LoginToKeepDraft):
    """Her session was gone when she posted: log in here, and her text is kept."""
    carried = drafts.carry(exc.key, exc.page, exc.fields)
    flash("Je sessie was verlopen. Log opnieuw in: je tekst wordt bewaard.")
    return _login_page(LoginForm(formdata=None), status=401, carried=carried)


def _keep_carried(db, user_id: int) -> str | None:
    """Save the text the login page carried as her draft; return the page to go back to."""
    carried = drafts.uncarry(request.form.get("carried", ""))
    if carried is None:
        return None
    key, page, fields = carried
    drafts.save(db, user_id, key, fields)
    return page


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if _plain_request() and (page := _plain_page()):
        return page
    form = LoginForm()
    carried = request.form.get("carried", "")
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _login_page(form, status=status, carried=carried)
    email = form.email.data
    wait, attempt = throttle.reserve_attempt(email)
    if wait:
        minutes = max(1, round(wait / 60))
        error = (
            "Te veel mislukte pogingen. Probeer het over "
            f"{minutes} minu{'ut' if minutes == 1 else 'ten'} opnieuw, of vraag hieronder "
            "een nieuw wachtwoord aan."
        )
        audit("login_throttled", detail=f"wait {wait}s")
        return _login_page(form, error, 429, carried)
    db = get_db()
    row = check_password(db, email, form.password.data)
    if row is None:
        audit("login_failed")
        error = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
        return _login_page(form, error, 400, carried)
    if not row["active"]:
        audit("login_disabled_account", subject=f"user:{row['id']}", actor_id=row["id"])
        error = "Dit account is uitgeschakeld. Neem contact op met de coördinator."
        return _login_page(form, error, 400, carried)
    throttle.attempt_succeeded(email, attempt)
    _start_session(row)
    audit("login", subject=f"user:{row['id']}")
    page = _keep_carried(db, row["id"])
    if page:
        flash("Je bent weer ingelogd. Je tekst is bewaard: kijk hem na en plaats hem.")
    response = redirect(page or _safe_next(request.args.get("next")))
    response.set_cookie(
        throttle.DEVICE_COOKIE,
        throttle.device_cookie_value(email),
        max_age=throttle.DEVICE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    EmptyForm()  # CSRF is checked globally; the form only documents the intent
    # End the session on the server too: a copied cookie is worthless after logout.
    end_sessions(get_db(), current_user.id)
    audit("logout", subject=f"user:{current_user.id}")
    logout_user()
    session.clear()
    flash("Je bent uitgelogd.")
    response = redirect(url_for("accounts.login"))
    # Nothing of hers stays on a shared device: pages, kept dossiers and questions, the
    # service worker's copies. (The device cookie stays: it only says she logged in here.)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def accept(token: str):
    db = get_db()
    invitation = invitation_by_token(db, token)
    problem = invitation_problem(invitation)
    if problem:
        return render_template("auth/invitation_problem.html", problem=problem), 410
    form = AcceptForm(name=invitation["name"] or None)
    error = None
    if form.validate_on_submit():
        try:
            user_id = accept_invitation(db, token, form.name.data, form.password.data)
        except AccountError as exc:
            error = str(exc)
        else:
            _start_session(get_user(db, user_id))
            audit("account_created", subject=f"user:{user_id}", detail=invitation["role"])
            flash("Welkom! Je account is klaar.")
            return redirect(url_for("home.index"))
    status = 400 if (error or form.errors) else 200
    return (
        render_template("auth/accept.html", form=form, invitation=invitation, error=error),
        status,
    )


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@allow(PUBLIC)
def forgot_password():
    """Ask for a link to choose a new password; the answer never tells if an address exists."""
    form = ForgotForm()
    if form.validate_on_submit():
        email = form.email.data
        # Counted like login attempts: nobody can flood an address with mail.
        wait, _ = throttle.reserve_attempt("reset:" + email)
        if not wait:
            db = get_db()
            row = user_by_email(db, email)
            if row and row["active"] and not row["system"] and row["password_hash"]:
                send_reset(db, row)
                audit("password_reset_requested", subject=f"user:{row['id']}")
        flash(
            "Als dit adres bij ons bekend is, krijg je binnen een paar minuten een mail met een "
            "link om een nieuw wachtwoord te kiezen. Kijk ook bij ongewenste mail."
        )
        return redirect(url_for("accounts.login"))
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


def send_reset(db, row: dict, started_by: int | None = None) -> str:
    """Queue the mail with a one-time reset link; return the link."""
    token = create_reset(db, row["id"], started_by)
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("accounts.reset", token=token)
    with transaction(db.conn):
        notify.queue_mail(
            db,
            row["email"],
            "Leer-Kracht: kies een nieuw wachtwoord",
            "mail/reset",
            {"name": row["name"], "link": link, "hours": RESET_HOURS},
            f"reset:{token[:16]}",
        )
    return link


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset(token: str):
    db = get_db()
    if reset_by_token(db, token) is None:
        problem = "Deze link werkt niet meer: hij is al gebruikt of verlopen. Vraag een nieuwe aan."
        return render_template("auth/invitation_problem.html", problem=problem), 410
    form = ResetForm()
    error = None
    if form.validate_on_submit():
        try:
            user_id = use_reset(db, token, form.password.data)
        except AccountError as exc:
            error = str(exc)
        else:
            audit("password_reset", subject=f"user:{user_id}", actor_id=user_id)
            flash("Je nieuwe wachtwoord is ingesteld. Log ermee in.")
            return redirect(url_for("accounts.login"))
    status = 400 if (error or form.errors) else 200
    return render_template("auth/reset.html", form=form, error=error), status
