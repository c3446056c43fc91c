"""Error pages in Dutch; operators get the details in the log, users never a trace."""

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..db import is_storage_error
from ..questions import drafts
from .access import LoginToKeepDraft

MESSAGES = {
    400: "Dit verzoek klopt niet helemaal. Ga terug en probeer het opnieuw.",
    401: "Log eerst in.",
    403: "Dit mag je met jouw account niet doen of zien.",
    404: "Deze pagina bestaat niet (meer).",
    405: "Dit kan zo niet. Gebruik de knoppen op de pagina.",
    410: "Deze link is niet meer geldig.",
    413: "Dit is te veel tekst in één keer. Maak het korter en probeer het opnieuw.",
    429: "Even rustig aan: probeer het over een minuut opnieuw.",
    500: "Er ging iets mis aan onze kant. Je invoer is niet verloren: ga terug en "
    "probeer het nog eens.",
}


def _page(code: int, message: str | None = None):
    return render_template(
        "errors/error.html", code=code, message=message or MESSAGES.get(code, MESSAGES[400])
    ), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        app.logger.warning("CSRF check failed: %s", exc.description)
        carried = drafts.from_request(request.endpoint, request.view_args, request.form)
        if carried and current_user.is_authenticated:
            # Nothing is saved from a request that failed its CSRF check; the page carries
            # her text (signed) to a button that does pass it.
            return render_template(
                "errors/expired.html", carried=drafts.carry(*carried), fields=carried[2]
            ), 400
        if carried:  # no session at all: log in on a page that carries the text
            return app.handle_user_exception(LoginToKeepDraft(*carried))
        return _page(
            400, "Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens."
        )

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return _page(exc.code or 500)

    @app.before_request
    def refuse_writes_when_storage_is_broken():
        # Known at start-up (read-only data directory): say so before trying to write.
        if app.config.get("STORAGE_PROBLEM") and request.method == "POST":
            return _cannot_store()
        return None

    @app.errorhandler(Exception)
    def unexpected(exc):
        if is_storage_error(exc):
            # A full disk shows up only when a write is tried: nothing was saved (the
            # transaction rolled back); she gets her text back to keep it herself.
            app.logger.error("cannot write to the data directory: %s", exc)
            return _cannot_store()
        app.logger.exception("unhandled error: %s", exc)
        return _page(500)


def _cannot_store():
    """The Dutch page for a write that the disk refused, with her text to copy."""
    fields = {k: request.form.get(k, "") for k in ("title", "body", "summary", "note")}
    response = render_template(
        "errors/storage.html", fields={k: v for k, v in fields.items() if v.strip()}
    )
    return response, 503, {"Retry-After": "300"}
