"""Forms of the teacher circles. Choices that come from the database are set by the views."""

import re

from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from .. import clock
from ..questions.cases import CLUSTERS, LIMITS
from ..web.forms import Form, date_field, planned_moment, time_field
from .data import MAX_MEMBERS, MIN_MEMBERS, MODES
from .publish import BODY_MAX, PARAGRAPH_MAX

LINK = re.compile(r"^https://\S+\.\S+$")


def from_list(message: str):
    """A choice the list offers, with a Dutch message that says what to do (the choices are
    set by the view, so WTForms' own check would only say "Ongeldige keuze")."""

    def check(form, field):
        offered = {value for value, _ in field.choices or []}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(v not in offered for v in values if v not in ("", None)):
            raise ValidationError(message)

    return check


class CircleForm(Form):
    name = StringField(
        "Naam van de kring",
        [
            DataRequired("Geef de kring een naam."),
            Length(min=3, max=80, message="Houd de naam tussen 3 en 80 tekens."),
        ],
    )
    cluster = SelectField(
        "Over welk soort gedrag gaat de kring?",
        choices=[("", "Kies …"), *CLUSTERS.items()],
        validators=[DataRequired("Kies over welk soort gedrag de kring gaat.")],
    )
    theme = TextAreaField(
        "Thema (mag leeg)",
        [Length(max=500, message="Houd het thema korter dan 500 tekens.")],
    )
    facilitator = SelectField(
        "Begeleider",
        coerce=int,
        validators=[
            DataRequired("Kies wie de kring begeleidt."),
            from_list("Kies de begeleider uit de lijst."),
        ],
        validate_choice=False,
    )
    members = SelectMultipleField(
        "Leden",
        coerce=int,
        validators=[from_list("Kies de leden uit de lijst.")],
        validate_choice=False,
    )
    mode = RadioField(
        "Waar komt de kring bij elkaar?",
        choices=list(MODES.items()),
        default="fysiek",
        validators=[DataRequired("Kies: op een vaste plek of online.")],
    )
    place = StringField(
        "Plaats of link",
        [
            DataRequired("Vul de plaats in, of de link van de online bijeenkomst."),
            Length(max=300, message="Houd de plaats of link korter dan 300 tekens."),
        ],
    )

    def validate_members(self, field):
        chosen = set(field.data or [])
        if not MIN_MEMBERS <= len(chosen) <= MAX_MEMBERS:
            field.errors.append(f"Kies {MIN_MEMBERS} tot {MAX_MEMBERS} leden (nu {len(chosen)}).")
        elif self.facilitator.data in chosen:
            field.errors.append(
                "De begeleider staat ook bij de leden. Haal haar weg bij de leden, "
                "of kies een andere begeleider."
            )

    def validate_place(self, field):
        if self.mode.data == "online" and not LINK.match((field.data or "").strip()):
            field.errors.append(
                "Vul de link van de online bijeenkomst in. Die begint met https://."
            )


class MeetingForm(Form):
    day = date_field()
    time = time_field("Begintijd")
    minutes = IntegerField(
        "Hoe lang (minuten)",
        [
            InputRequired("Vul in hoe lang de bijeenkomst duurt, in minuten."),
            NumberRange(min=30, max=240, message="Een bijeenkomst duurt 30 tot 240 minuten."),
        ],
        default=90,
        render_kw={"type": "number", "min": 30, "max": 240, "step": 15, "inputmode": "numeric"},
    )
    method = SelectField(
        "Intervisiemethode",
        validators=[
            DataRequired("Kies een intervisiemethode."),
            from_list("Kies een van de intervisiemethoden uit de lijst."),
        ],
        validate_choice=False,
    )
    place = StringField(
        "Plaats of link (leeg: die van de kring)",
        [Optional(), Length(max=300, message="Houd de plaats of link korter dan 300 tekens.")],
    )
    agenda = TextAreaField(
        "Agenda",
        [Length(max=2000, message="Houd de agenda korter dan 2000 tekens.")],
    )
    # The meeting's start before this change (an unchanged past moment may stay, so the
    # agenda of a past meeting can still be corrected); set by the view.
    before: str | None = None
    starts_at: str | None = None

    def validate(self, extra_validators=None) -> bool:
        """Also: a date and time that parse, and a new or moved meeting lies ahead."""
        ok = super().validate(extra_validators)
        if self.day.errors or self.time.errors:
            return False
        starts = planned_moment(self)
        if starts is None:
            return False
        stamp = clock.local_stamp(starts)
        if stamp != self.before and starts <= clock.now():
            self.day.errors = [
                *self.day.errors,
                "Dit moment is al voorbij. Kies een moment dat nog komt.",
            ]
            return False
        self.starts_at = stamp
        return ok


class CaseForm(Form):
    question = SelectField(
        "Een vraag die je al stelde (mag leeg)",
        default="",
        validators=[from_list("Kies een van je eigen vragen.")],
        validate_choice=False,
    )
    title = StringField(
        "Je casus in één zin",
        [Optional(), Length(min=10, max=160, message="Houd de zin tussen 10 en 160 tekens.")],
    )
    summary = TextAreaField(
        "Kort wat er speelt (mag leeg)",
        [Length(max=2000, message="Houd de beschrijving korter dan 2000 tekens.")],
    )

    def validate(self, extra_validators=None) -> bool:
        # Not an inline validator: Optional() on the title stops the chain when it is empty.
        ok = super().validate(extra_validators)
        if not (self.title.data or "").strip() and not self.question.data:
            self.title.errors = [
                *self.title.errors,
                "Kies een van je vragen, of schrijf je casus in één zin.",
            ]
            return False
        return ok


class StepForm(Form):
    text = TextAreaField(
        "Wat is er gezegd?",
        [Length(max=3000, message="Houd het korter dan 3000 tekens.")],
    )


class MethodChoiceForm(Form):
    method = SelectField(
        "Methode voor deze casus",
        validators=[from_list("Kies een van de intervisiemethoden uit de lijst.")],
        validate_choice=False,
    )


class LessonForm(Form):
    body = TextAreaField(
        "Wat heeft de kring geleerd?",
        [
            DataRequired("Schrijf op wat de kring leerde."),
            Length(min=20, max=2000, message="Schrijf 20 tot 2000 tekens."),
        ],
    )
    case = SelectField(
        "Bij welke casus? (mag leeg)",
        default="",
        validators=[from_list("Kies een casus van deze kring.")],
        validate_choice=False,
    )


class PublishCaseForm(Form):
    cluster = SelectField(
        "Over welk soort gedrag?",
        choices=list(CLUSTERS.items()),
        validators=[DataRequired("Kies over welk soort gedrag het gaat.")],
    )
    title = StringField(
        "De vraag in één zin",
        [
            DataRequired("Schrijf de vraag in één zin."),
            Length(
                min=LIMITS["title"][0],
                max=LIMITS["title"][1],
                message="Houd de vraag tussen {} en {} tekens.".format(*LIMITS["title"]),
            ),
        ],
    )
    body = TextAreaField(
        "De situatie",
        [
            DataRequired("Beschrijf de situatie."),
            Length(
                min=LIMITS["body"][0],
                max=BODY_MAX,
                message=f"Beschrijf de situatie in {LIMITS['body'][0]} tot {BODY_MAX} tekens.",
            ),
        ],
    )
    answer = TextAreaField(
        "Wat de kring leerde (het antwoord)",
        [
            DataRequired("Schrijf op wat de kring leerde."),
            Length(min=LIMITS["answer"][0], max=2000, message="Schrijf 10 tot 2000 tekens."),
        ],
    )


class PublishDossierForm(Form):
    target = SelectField(
        "Bij welk dossier en welk onderdeel?",
        validators=[
            DataRequired("Kies een dossier en een onderdeel."),
            from_list("Kies een dossier en een onderdeel uit de lijst."),
        ],
        validate_choice=False,
    )
    text = TextAreaField(
        "De aanvulling",
        [
            DataRequired("Schrijf de aanvulling."),
            Length(min=20, max=PARAGRAPH_MAX, message=f"Schrijf 20 tot {PARAGRAPH_MAX} tekens."),
        ],
    )
