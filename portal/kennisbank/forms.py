"""The form for proposing a dossier edit."""

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..web.forms import Form


class ProposalForm(Form):
    markdown = TextAreaField(
        "De tekst van het dossier (Markdown met front matter)",
        [DataRequired("De tekst mag niet leeg zijn."), Length(max=100_000)],
    )
    note = StringField("Wat verandert er en waarom?", [Length(max=300)])
