"""Forms for parent activities."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from ..questions.cases import CLUSTERS
from ..web.forms import Form


class ActivityForm(Form):
    title = StringField("Titel", [DataRequired("Geef de activiteit een titel."), Length(max=120)])
    kind = SelectField(
        "Soort",
        choices=[("ouderavond", "Thema-ouderavond"), ("ouders-voor-ouders", "Ouders voor ouders")],
    )
    cluster = SelectField("Thema", choices=[("", "Algemeen"), *CLUSTERS.items()], default="")
    starts_at = StringField(
        "Datum en tijd",
        [
            DataRequired("Vul datum en tijd in."),
            Regexp(r"^\d{4}-\d{2}-\d{2}(T| )\d{2}:\d{2}$", message="Gebruik JJJJ-MM-DD UU:MM."),
        ],
    )
    place = StringField(
        "Plaats of link", [DataRequired("Vul een plaats in, of 'online'."), Length(max=200)]
    )
    online = BooleanField("Online")
    description = TextAreaField(
        "Beschrijving", [DataRequired("Beschrijf de activiteit."), Length(max=3000)]
    )


class SummaryForm(Form):
    summary = TextAreaField(
        "Korte terugblik", [DataRequired("Schrijf een korte terugblik."), Length(max=3000)]
    )
