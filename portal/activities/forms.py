"""Forms for parent activities."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..questions.cases import CLUSTERS
from ..web.forms import Form, date_field, time_field


class ActivityForm(Form):
    title = StringField("Titel", [DataRequired("Geef de activiteit een titel."), Length(max=120)])
    kind = SelectField(
        "Soort",
        choices=[("ouderavond", "Thema-ouderavond"), ("ouders-voor-ouders", "Ouders voor ouders")],
    )
    cluster = SelectField("Thema", choices=[("", "Algemeen"), *CLUSTERS.items()], default="")
    day = date_field()
    time = time_field("Begintijd")
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
