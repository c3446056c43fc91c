"""Template filters and globals: Dutch dates and numbers, Markdown, what a parent may read.

They read feature data modules, so `create_app` registers them after the features.
"""

from flask import g
from flask_login import current_user

import privacy

from .. import clock
from ..accounts.gdpr import FORMER_NAME
from ..accounts.users import IMPORT_NAME, SCHOOL_KINDS, safe_school_kinds, school_names
from ..circles.publish import CIRCLE_AUTHOR
from ..db import get_db
from ..notifications.notify import unread_count
from ..questions.cases import ANSWER_KINDS, CLUSTERS, HELPED_LABELS
from .render import render_markdown


def for_viewer(text: str) -> str:
    """Parent partners read cases without any name of a pupil, family or school in them."""
    if current_user.is_authenticated and current_user.role == "parent":
        if "school_names" not in g:  # once per request, not once per row
            g.school_names = school_names(get_db())
        return privacy.scrub(text, g.school_names)
    return text


def _safe_school_kinds() -> frozenset[str]:
    """School kinds an anonymous label may show without narrowing the asker down."""
    if "safe_school_kinds" not in g:
        g.safe_school_kinds = safe_school_kinds(get_db())
    return g.safe_school_kinds


def _unread() -> int:
    return unread_count(get_db(), current_user.id) if current_user.is_authenticated else 0


# Who asked, for the portal's own accounts (tests/test_circles.py, tests/test_gdpr.py).
SYSTEM_AUTHORS = {
    IMPORT_NAME: "geïmporteerde casus",
    CIRCLE_AUTHOR: "geleerd in een leerkrachtkring",
    FORMER_NAME: "een oud-account",
}


def system_author(name: str) -> str:
    return SYSTEM_AUTHORS.get(name, "geïmporteerde casus")


def init_app(app) -> None:
    app.jinja_env.filters.update(clock.FILTERS, md=render_markdown, for_viewer=for_viewer)
    app.jinja_env.globals.update(
        CLUSTERS=CLUSTERS,
        ANSWER_KINDS=ANSWER_KINDS,
        SCHOOL_KINDS=SCHOOL_KINDS,
        HELPED_LABELS=HELPED_LABELS,
        unread_count=_unread,
        safe_school_kinds=_safe_school_kinds,
        system_author=system_author,
    )
