"""Forms of direct support: the request, the moment agreed, the outcome."""

from wtforms import BooleanField, RadioField, SelectField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from ..questions.cases import CLUSTERS
from ..web.forms import Form, date_field, time_field
from .data import CHANNELS, KINDS, LIMITS, URGENCIES


def _text(field: str, missing: str, sizes: str) -> list:
    """Validators of a text of the length data.LIMITS[field] allows (min 0: may be empty)."""
    low, high = LIMITS[field]
    length = Length(min=low, max=high, message=sizes.format(low, high))
    return [DataRequired(missing), length] if low else [length]


class RequestForm(Form):
    kind = RadioField(
        "Wat voor ondersteuning wil je?",
        choices=list(KINDS.items()),
        invalid_choice_message="Kies wat voor ondersteuning je wilt.",
    )
    channel = RadioField(
        "Hoe wil je de expert spreken?",
        choices=list(CHANNELS.items()),
        invalid_choice_message="Kies hoe je de expert wilt spreken.",
    )
    want_to_know = TextAreaField(
        "Wat wil je weten?",
        _text(
            "want_to_know",
            "Schrijf op wat je wilt weten.",
            "Schrijf in {} tot {} tekens wat je wilt weten.",
        ),
    )
    availability = TextAreaField(
        "Wanneer kun je?",
        _text(
            "availability",
            "Schrijf op wanneer je kunt.",
            "Schrijf in {} tot {} tekens wanneer je kunt.",
        ),
    )
    urgency = RadioField(
        "Hoe snel heb je hulp nodig?",
        choices=list(URGENCIES.items()),
        invalid_choice_message="Kies hoe snel je hulp nodig hebt.",
    )
    cluster = SelectField(
        "Over welk soort gedrag gaat het?",
        choices=[("", "Kies …"), *CLUSTERS.items()],
        validators=[DataRequired("Kies over welk soort gedrag het gaat.")],
    )
    show_name = BooleanField("Laat mijn naam en school zien aan de experts")

    def validate_channel(self, field):
        if self.kind.data == "observatie" and field.data and field.data != "op-school":
            raise ValidationError(
                "Voor een observatie komt de expert naar je klas: kies 'Op school'."
            )


class AgreeForm(Form):
    day = date_field("Datum")
    time = time_field("Tijd")
    note = TextAreaField(
        "Waar en hoe? (mag leeg)",
        _text("note", "", "Houd de toelichting op hoogstens {1} tekens."),
    )


class OutcomeForm(Form):
    seen = TextAreaField(
        "Wat zag of hoorde je?",
        _text("seen", "Schrijf op wat je zag.", "Schrijf in {} tot {} tekens wat je zag."),
    )
    to_try = TextAreaField(
        "Wat kan de leerkracht proberen?",
        _text(
            "to_try",
            "Schrijf op wat de leerkracht kan proberen.",
            "Schrijf in {} tot {} tekens wat de leerkracht kan proberen.",
        ),
    )
    follow_up = TextAreaField(
        "Vervolg (mag leeg)",
        _text("follow_up", "", "Houd het vervolg op hoogstens {1} tekens."),
    )
