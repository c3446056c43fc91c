"""Forms for logging in, invitations, schools, passwords and deleting an account."""

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..web.forms import Form, email_field, new_password_fields


class LoginForm(Form):
    email = email_field()
    password = PasswordField("Wachtwoord", [DataRequired("Vul je wachtwoord in.")])


class AcceptForm(Form):
    name = StringField("Je naam", [DataRequired("Vul je naam in."), Length(max=80)])
    password, confirm = new_password_fields("Kies een wachtwoord", "Herhaal het wachtwoord")


class InviteForm(Form):
    email = email_field(required="Vul een e-mailadres in.")
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


class ForgotForm(Form):
    email = email_field()


class ResetForm(Form):
    password, confirm = new_password_fields("Nieuw wachtwoord", "Herhaal het nieuwe wachtwoord")
