"""Forms for asking, answering and editing questions."""

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..web.forms import Form
from .cases import ANSWER_KINDS, CLUSTERS, LIMITS


def _text(kind: str, missing: str, sizes: str) -> list:
    """Validators of a required text of the length cases.LIMITS[kind] allows.

    ``sizes`` says the allowed length in her words, with {} for the minimum and maximum.
    """
    low, high = LIMITS[kind]
    return [DataRequired(missing), Length(min=low, max=high, message=sizes.format(low, high))]


class AskForm(Form):
    title = StringField(
        "Je vraag in één zin",
        _text(
            "title", "Schrijf je vraag in één zin.", "Houd de korte vraag tussen {} en {} tekens."
        ),
    )
    body = TextAreaField(
        "Beschrijf de situatie",
        _text(
            "body",
            "Beschrijf de situatie in de klas.",
            "Beschrijf de situatie in {} tot {} tekens.",
        ),
    )
    cluster = SelectField(
        "Over welk soort gedrag gaat het?",
        choices=[("", "Kies …"), *CLUSTERS.items()],
        validators=[DataRequired("Kies over welk soort gedrag je vraag gaat.")],
    )
    grade_band = SelectField(
        "Groep (mag leeg)",
        default="",
        choices=[
            ("", "—"),
            ("1-2", "groep 1-2"),
            ("3-4", "groep 3-4"),
            ("5-6", "groep 5-6"),
            ("7-8", "groep 7-8"),
        ],
    )
    anonymous = BooleanField("Vraag anoniem: collega's zien je naam en school niet")


class EditQuestionForm(Form):
    title = AskForm.title
    body = AskForm.body


class AnswerForm(Form):
    kind = RadioField(
        "Wat bied je aan?",
        choices=list(ANSWER_KINDS.items()),
        default="idea",
        validators=[DataRequired("Kies wat je antwoord biedt.")],
    )
    body = TextAreaField(
        "Je antwoord",
        _text("answer", "Schrijf je antwoord.", "Schrijf een antwoord van {} tot {} tekens."),
    )


class AdditionForm(Form):
    """The asker's own follow-up to her question."""

    body = TextAreaField(
        "Vul je vraag aan",
        _text("answer", "Schrijf je aanvulling.", "Schrijf een aanvulling van {} tot {} tekens."),
    )
