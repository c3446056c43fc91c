"""Rendering: user text as Markdown sanitised by nh3, and whole pages or htmx fragments."""

import nh3
from flask import render_template, request
from jinja2_fragments.flask import render_block
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source is not parsed as HTML (it stays text); nh3 then removes anything
# outside a small allow-list, so no script, event handler, style or hx-* attribute passes.
# Web addresses in an answer ("Een bron") become links (linkify), still through nh3.
_md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": True}).enable("linkify")
_md.disable("image")

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to safe HTML."""
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 # nosec B704 - sanitised by nh3 just above


def page_or_fragment(template: str, block: str, status: int = 200, **context):
    """Render the whole page, or only ``block`` of it for an htmx request.

    One endpoint serves both, so the page works the same with and without JavaScript.
    """
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render_block(template, block, **context), status
    return render_template(template, **context), status
