"""Forms with their Dutch validation messages (CSRF comes with FlaskForm)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from .cases import ANSWER_KINDS, CLUSTERS, LIMITS


class Form(FlaskForm):
    """Base form: WTForms' own messages (e.g. an invalid choice) in Dutch too."""

    class Meta:
        locales = ("nl",)


EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Vul een geldig e-mailadres in.")


class LoginForm(Form):
    email = StringField("E-mailadres", [DataRequired("Vul je e-mailadres in."), EMAIL])
    password = PasswordField("Wachtwoord", [DataRequired("Vul je wachtwoord in.")])


def new_password_fields(label: str, confirm_label: str):
    """A new password and its repetition (the full policy is checked by accounts)."""
    password = PasswordField(
        label,
        [
            DataRequired("Kies een wachtwoord."),
            Length(min=10, max=200, message="Kies een wachtwoord van minstens 10 tekens."),
        ],
    )
    confirm = PasswordField(
        confirm_label, [EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")]
    )
    return password, confirm


class AcceptForm(Form):
    name = StringField("Je naam", [DataRequired("Vul je naam in."), Length(max=80)])
    password, confirm = new_password_fields("Kies een wachtwoord", "Herhaal het wachtwoord")


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


class InviteForm(Form):
    email = StringField("E-mailadres", [DataRequired("Vul een e-mailadres in."), EMAIL])
    name = StringField("Naam (mag leeg)", [Length(max=80)])
    role = SelectField(
        "Rol",
        choices=[
            ("teacher", "Leerkracht"),
            ("expert", "Expert (ib'er, specialist)"),
            ("parent", "Ouderpartner"),
            ("coordinator", "Coördinator"),
        ],
    )
    school_id = SelectField("School", coerce=str, choices=[])


class SchoolForm(Form):
    name = StringField(
        "Naam van de school", [DataRequired("Geef de school een naam."), Length(max=120)]
    )
    kind = SelectField("Soort", choices=[("regulier", "Basisschool"), ("sbo", "SBO"), ("so", "SO")])


class RevealForm(Form):
    reason = StringField(
        "Waarom moet je weten wie dit vroeg?",
        [
            DataRequired("Geef een reden: die wordt vastgelegd."),
            Length(min=10, max=300, message="Geef een reden van 10 tot 300 tekens."),
        ],
    )


class PasswordChangeForm(Form):
    current = PasswordField("Huidig wachtwoord", [DataRequired("Vul je huidige wachtwoord in.")])
    password, confirm = new_password_fields("Nieuw wachtwoord", "Herhaal het nieuwe wachtwoord")


class DeleteAccountForm(Form):
    password = PasswordField(
        "Je wachtwoord, ter bevestiging", [DataRequired("Vul je wachtwoord in ter bevestiging.")]
    )


class ProposalForm(Form):
    markdown = TextAreaField(
        "De tekst van het dossier (Markdown met front matter)",
        [DataRequired("De tekst mag niet leeg zijn."), Length(max=100_000)],
    )
    note = StringField("Wat verandert er en waarom?", [Length(max=300)])


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


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that change something."""
