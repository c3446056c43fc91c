"""The coordinator's insight page: what teachers struggle with, and how help reaches them."""

import csv
import io

from flask import Response, abort, render_template

from .. import clock
from ..db import get_db
from ..support import data as support
from ..web.access import allow
from . import bp, data, themes

CSV_FIGURES = ("trechter", "themas", "soort-gedrag", "school", "maand")


@bp.route("")
@allow("coordinator")
def index():
    """The region in figures: themes, the funnel, per cluster, school and month, expertise."""
    db = get_db()
    found = themes.latest(db)
    expertise = data.expertise_map(db)
    figures = data.figures(db)
    charts = {
        "themes": [(", ".join(t["words"]), t["size"]) for t in (found or {}).get("themes", [])],
        "funnel": [(s["label"], s["count"]) for s in figures["funnel"]],
        # "nov" under each column, the month in full in the CSV.
        "months": [
            (clock.MONTH_ABBREVIATIONS[int(m["month"][5:]) - 1], m["total"])
            for m in figures["per_month"]
        ],  # fmt: skip
    }
    return render_template(
        "insights/index.html",
        figures=figures,
        charts=charts,
        themes=found,
        expertise=expertise,
        # The support feature counts everything; this page withholds the small numbers.
        support={k: data.cell(v) for k, v in support.funnel(db).items() if k != "per_cluster"},
        min_cell=themes.MIN_CELL,
    )


@bp.route("/<any(trechter, themas, 'soort-gedrag', school, maand):name>.csv")
@allow("coordinator")
def download(name: str):
    """One figure as CSV (semicolons and decimal commas, as Dutch spreadsheets expect)."""
    db = get_db()
    try:
        header, rows = data.csv_rows(db, name, themes.latest(db))
    except KeyError:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else str(v).replace(".", ",") if isinstance(v, float)
                         else v for v in row])  # fmt: skip
    # A BOM, so Excel reads the accents right.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="inzicht-{name}.csv"'},
    )
