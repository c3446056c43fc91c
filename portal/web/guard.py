"""The privacy guard around a POST that saves free text: the same steps on every form.

A one-click fix ("privacy_fix") changes the fields and the form is shown again; findings
stop the save with a warning, unless she chose "toch plaatsen" where that is allowed; an
override is logged with the kinds only, never the text (docs/PRIVACY.md).
"""

from flask import g, request

import privacy

from ..accounts.users import school_names
from ..db import get_db
from .audit import audit

FIXED, INVALID, WARN = "fixed", "invalid", "warn"


def privacy_step(
    form, names, *, anyway: bool = True, validate: bool = True, limits: dict | None = None
) -> tuple[str | None, list]:
    """Decide a POST's privacy step: (FIXED | INVALID | WARN | None to go ahead, findings).

    ``anyway``: "toch plaatsen" is honoured (text that is not published to the region).
    ``validate``: check the form here, after a fix and before the scan (INVALID); a caller
    that validates later passes False. ``limits``: {field: characters} each scan reads, so
    its work stays bounded whatever is pasted (a fix still covers the whole text).
    """
    schools = school_names(get_db())

    def texts() -> dict[str, str]:
        values = {n: getattr(form, n).data or "" for n in names}
        return {n: v[: limits[n]] for n, v in values.items()} if limits else values

    fix = request.form.get("privacy_fix")
    if fix:
        whole = {n: getattr(form, n).data or "" for n in names}
        for name, value in fix_fields(whole, fix, schools).items():
            getattr(form, name).data = value
        return FIXED, privacy.check_fields(texts(), schools)
    if validate and not form.validate_on_submit():
        return INVALID, privacy.check_fields(texts(), schools)
    findings = privacy.check_fields(texts(), schools)
    if findings and not (anyway and request.form.get("action") == "post_anyway"):
        return WARN, findings
    return None, findings


def fix_fields(fields: dict[str, str], fix: str, schools) -> dict[str, str]:
    """Apply a one-click fix and keep what it replaced for the panel to confirm
    (g.privacy_fixed, read by _privacy.html)."""
    g.privacy_fixed = privacy.fixed_by(fields, fix, schools)
    return privacy.apply_fix(fields, fix, schools)


def posted_fix_action() -> str | None:
    """The URL the panel's replace buttons post to, as the page sent it with a live check
    (hx-vals): a path on this site only, else None (the form's own action)."""
    action = request.form.get("fix_action", "")
    if (
        action.startswith("/")
        and not action.startswith("//")
        and not any(c.isspace() or c in "\\\"'<>" for c in action)
    ):
        return action
    return None


def log_override(findings: list, subject: str) -> None:
    """Log that she posted although the guard warned (the kinds, never the text)."""
    if findings:
        kinds = ",".join(sorted({ff.finding.kind for ff in findings}))
        audit("privacy_warning_overridden", subject, kinds)
