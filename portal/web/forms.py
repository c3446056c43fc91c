"""Form plumbing every feature shares: a Dutch base form, the CSRF-only form, e-mail fields."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp


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
