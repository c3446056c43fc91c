"""Form plumbing every feature shares: a Dutch base form, the CSRF-only form, e-mail fields."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from .. import clock


class Form(FlaskForm):
    """Base form: WTForms' own messages (e.g. an invalid choice) in Dutch too."""

    class Meta:
        locales = ("nl",)


EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Vul een geldig e-mailadres in.")


def email_field(label: str = "E-mailadres", required: str = "Vul je e-mailadres in."):
    """An e-mail address as phones type it: spaces around it are dropped, case does not matter."""
    return StringField(
        label,
        [DataRequired(required), EMAIL],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        render_kw={
            "type": "email",
            "autocomplete": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


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


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that change something."""


def date_field(label: str = "Datum") -> StringField:
    """A date a phone shows a picker for (type=date); typed Dutch dates work too."""
    return StringField(
        label,
        [DataRequired("Vul een datum in, bijvoorbeeld 15-01-2027.")],
        render_kw={"type": "date", "placeholder": "dd-mm-jjjj"},
    )


def time_field(label: str = "Tijd") -> StringField:
    return StringField(
        label,
        [DataRequired("Vul een tijd in, bijvoorbeeld 19:30.")],
        render_kw={"type": "time", "placeholder": "uu:mm"},
    )


def planned_moment(form, date_name: str = "day", time_name: str = "time"):
    """The Amsterdam moment of a form's date and time fields, or None with a field error."""
    day, at = getattr(form, date_name), getattr(form, time_name)
    try:
        return clock.parse_typed(day.data, at.data)
    except ValueError as exc:
        target = at if "tijd" in str(exc) else day
        target.errors = [*target.errors, str(exc)]
        return None
