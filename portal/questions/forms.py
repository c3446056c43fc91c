"""Forms for asking, answering and editing questions."""

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..web.forms import Form
from .cases import ANSWER_KINDS, CLUSTERS, LIMITS


class AskForm(Form):
    title = StringField(
        "Je vraag in één zin",
        [
            DataRequired("Schrijf je vraag in één zin."),
            Length(
                min=LIMITS["title"][0],
                max=LIMITS["title"][1],
                message="Houd de korte vraag tussen {} en {} tekens.".format(*LIMITS["title"]),
            ),
        ],
    )
    body = TextAreaField(
        "Beschrijf de situatie",
        [
            DataRequired("Beschrijf de situatie in de klas."),
            Length(
                min=LIMITS["body"][0],
                max=LIMITS["body"][1],
                message="Beschrijf de situatie in {} tot {} tekens.".format(*LIMITS["body"]),
            ),
        ],
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
        [
            DataRequired("Schrijf je antwoord."),
            Length(
                min=LIMITS["answer"][0],
                max=LIMITS["answer"][1],
                message="Schrijf een antwoord van {} tot {} tekens.".format(*LIMITS["answer"]),
            ),
        ],
    )
