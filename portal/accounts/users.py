"""Accounts, schools and invitations: data access and the flask-login user."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from .. import clock
from ..db import get_db, transaction

INVITATION_DAYS = 7
MIN_PASSWORD_LENGTH = 10
IMPORT_EMAIL = "import@leer-kracht.invalid"
IMPORT_NAME = "Kennisbank (import)"


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message is Dutch."""


class User(UserMixin):
    """The logged-in person, as flask-login sees her."""

    def __init__(self, row: dict):
        self.id = row["id"]
        self.email = row["email"]
        self.name = row["name"]
        self.role = row["role"]
        self.school_id = row["school_id"]
        self.school_name = row.get("school_name")
        self._active = bool(row["active"])
        self.session_token = row["session_token"]

    @property
    def is_active(self) -> bool:
        return self._active

    def get_id(self) -> str:
        # The token makes old cookies invalid after a password change or disabling.
        return f"{self.id}:{self.session_token}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_session_token() -> str:
    return secrets.token_urlsafe(16)


USER_SELECT = (
    "SELECT u.*, s.name AS school_name FROM users u LEFT JOIN schools s ON s.id = u.school_id "
)


def get_user(db, user_id: int) -> dict | None:
    rows = list(db.query(USER_SELECT + "WHERE u.id = ?", [user_id]))
    return rows[0] if rows else None


def user_by_email(db, email: str) -> dict | None:
    rows = list(db.query(USER_SELECT + "WHERE u.email = ?", [email.strip()]))
    return rows[0] if rows else None


def load_user(user_id: str) -> User | None:
    """Load the user behind a session cookie, or None if the session was ended."""
    uid, _, token = user_id.partition(":")
    if not uid.isdigit():
        return None
    row = get_user(get_db(), int(uid))
    if row is None or not secrets.compare_digest(row["session_token"], token):
        return None
    return User(row)


def check_password(db, email: str, password: str) -> dict | None:
    """Return the active user with this e-mail and password, or None."""
    row = user_by_email(db, email)
    if row is None or not row["password_hash"]:
        # Spend the same time as a real check, so timing does not reveal accounts.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row["password_hash"], password):
        return None
    return row


_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone")


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "veelgebruikte-wachtwoorden.txt"
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def validate_password(password: str, email: str = "") -> None:
    """Refuse short passwords, the most common ones, and the e-mail address itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")
    if len(password) > 200:
        raise AccountError("Kies een wachtwoord van hoogstens 200 tekens.")
    if password.lower() in common_passwords():
        raise AccountError(
            "Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden. Kies een ander; "
            "een zin van een paar woorden is sterk en goed te onthouden."
        )
    if email and (
        password.lower() == email.lower() or password.lower() == email.split("@")[0].lower()
    ):
        raise AccountError("Je wachtwoord mag niet gelijk zijn aan je e-mailadres.")


def create_user(db, email, name, role, school_id=None, password=None, system=False) -> int:
    """Create an account; raise AccountError if the e-mail address is taken."""
    email = email.strip()
    if user_by_email(db, email):
        raise AccountError(f"Er bestaat al een account voor {email}.")
    if password is not None:
        validate_password(password, email)
    with transaction(db.conn):
        cur = db.conn.execute(
            "INSERT INTO users (email, name, role, school_id, password_hash, system, "
            "session_token) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                email,
                (name or "").strip() or email.split("@")[0],
                role,
                school_id,
                generate_password_hash(password) if password else None,
                int(system),
                _new_session_token(),
            ),
        )
    return cur.lastrowid


def set_password(db, user_id: int, password: str) -> None:
    """Set a new password and end every session of the user."""
    user = get_user(db, user_id)
    validate_password(password, user["email"])
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE users SET password_hash = ?, session_token = ? WHERE id = ?",
            (generate_password_hash(password), _new_session_token(), user_id),
        )


def end_sessions(db, user_id: int) -> None:
    """End every session of a user by changing the token in their login cookies."""
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE users SET session_token = ? WHERE id = ?", (_new_session_token(), user_id)
        )


def set_active(db, user_id: int, active: bool) -> None:
    """Enable or disable an account; disabling ends every session at once."""
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE users SET active = ?, session_token = ? WHERE id = ? AND system = 0",
            (int(active), _new_session_token(), user_id),
        )


def list_users(db) -> list[dict]:
    return list(db.query(USER_SELECT + "WHERE u.system = 0 ORDER BY u.role, u.name"))


def import_account(db) -> int:
    """Return the id of the system account that authors imported cases."""
    row = user_by_email(db, IMPORT_EMAIL)
    if row:
        return row["id"]
    return create_user(db, IMPORT_EMAIL, IMPORT_NAME, "expert", system=True)


# ---- schools ------------------------------------------------------------------------------

SCHOOL_KINDS = {"regulier": "basisschool", "sbo": "SBO", "so": "SO"}


def list_schools(db) -> list[dict]:
    return list(db.query("SELECT * FROM schools ORDER BY name"))


# An anonymous label names the kind of school only when that still leaves many people: at
# least this many schools of the kind, and this many teachers and experts at them.
SAFE_KIND_SCHOOLS = 2
SAFE_KIND_PEOPLE = 8


def safe_school_kinds(db) -> frozenset[str]:
    """The school kinds that do not narrow an anonymous asker to a handful of people."""
    rows = db.execute(
        "SELECT s.kind, count(DISTINCT s.id), count(u.id) FROM schools s LEFT JOIN users u "
        "ON u.school_id = s.id AND u.role IN ('teacher', 'expert') AND u.active = 1 "
        "AND u.system = 0 GROUP BY s.kind"
    ).fetchall()
    return frozenset(
        kind for kind, schools, people in rows
        if schools >= SAFE_KIND_SCHOOLS and people >= SAFE_KIND_PEOPLE
    )  # fmt: skip


def school_names(db) -> list[str]:
    """The region's school names, which the privacy guard looks for."""
    return [r[0] for r in db.execute("SELECT name FROM schools")]


def create_school(db, name: str, kind: str = "regulier") -> int:
    name = name.strip()
    if not name:
        raise AccountError("Geef de school een naam.")
    if kind not in SCHOOL_KINDS:
        raise AccountError("Kies een soort school.")
    if list(db.query("SELECT 1 FROM schools WHERE name = ?", [name])):
        raise AccountError(f"De school {name} bestaat al.")
    with transaction(db.conn):
        cur = db.conn.execute("INSERT INTO schools (name, kind) VALUES (?, ?)", (name, kind))
    return cur.lastrowid


# ---- invitations --------------------------------------------------------------------------


def create_invitation(db, email, role, school_id, invited_by, name="", days=INVITATION_DAYS):
    """Create a one-time invitation; return the raw token (only its hash is stored)."""
    email = email.strip()
    if user_by_email(db, email):
        raise AccountError(f"Er bestaat al een account voor {email}.")
    if role not in ("teacher", "expert", "parent", "coordinator"):
        raise AccountError("Kies een rol.")
    if role in ("teacher", "expert") and school_id is None:
        raise AccountError("Kies de school van deze collega.")
    token = secrets.token_urlsafe(32)
    expires = clock.stamp_in(timedelta(days=days))
    with transaction(db.conn):
        # A new invitation replaces an earlier one for the same address.
        db.conn.execute("DELETE FROM invitations WHERE email = ? AND accepted_at IS NULL", (email,))
        db.conn.execute(
            "INSERT INTO invitations (email, name, role, school_id, token_hash, invited_by, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (email, (name or "").strip(), role, school_id, _hash_token(token), invited_by, expires),
        )
    return token


def invitation_by_token(db, token: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT i.*, s.name AS school_name FROM invitations i "
            "LEFT JOIN schools s ON s.id = i.school_id WHERE i.token_hash = ?",
            [_hash_token(token)],
        )
    )
    return rows[0] if rows else None


def invitation_problem(inv: dict | None) -> str | None:
    """Return why an invitation cannot be used (Dutch), or None if it can."""
    if inv is None:
        return "Deze uitnodiging bestaat niet. Controleer de link of vraag een nieuwe aan."
    if inv["accepted_at"]:
        return "Deze uitnodiging is al gebruikt. Log in met je e-mailadres en wachtwoord."
    if inv["expires_at"] < clock.stamp():
        return "Deze uitnodiging is verlopen. Vraag de coördinator om een nieuwe."
    return None


def accept_invitation(db, token: str, name: str, password: str) -> int:
    """Create the account of an invitation; the link can be used only once."""
    inv = invitation_by_token(db, token)
    problem = invitation_problem(inv)
    if problem:
        raise AccountError(problem)
    validate_password(password, inv["email"])
    with transaction(db.conn):
        claimed = db.conn.execute(
            "UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL",
            (clock.stamp(), inv["id"]),
        ).rowcount
        if not claimed:
            raise AccountError("Deze uitnodiging is al gebruikt.")
        user_id = create_user(
            db, inv["email"], name or inv["name"], inv["role"], inv["school_id"], password
        )
    return user_id


def list_invitations(db) -> list[dict]:
    return list(
        db.query(
            "SELECT i.*, s.name AS school_name FROM invitations i "
            "LEFT JOIN schools s ON s.id = i.school_id "
            "WHERE i.accepted_at IS NULL ORDER BY i.created_at DESC"
        )
    )


# ---- profile: expertise and topics ---------------------------------------------------------


def profile(db, user_id: int) -> tuple[set[str], str]:
    """A person's expertise (clusters) and the topics she names herself."""
    expertise = {
        r[0] for r in db.execute("SELECT cluster FROM user_expertise WHERE user_id = ?", [user_id])
    }
    topics = db.execute("SELECT topics FROM users WHERE id = ?", [user_id]).fetchone()[0]
    return expertise, topics


def set_profile(db, user_id: int, clusters: list[str], topics: str) -> None:
    """Replace a person's expertise and topics (who hears of which questions first)."""
    with transaction(db.conn):
        db.conn.execute("DELETE FROM user_expertise WHERE user_id = ?", (user_id,))
        db.conn.executemany(
            "INSERT INTO user_expertise (user_id, cluster) VALUES (?, ?)",
            [(user_id, c) for c in clusters],
        )
        db.conn.execute("UPDATE users SET topics = ? WHERE id = ?", (topics.strip()[:300], user_id))


def colleagues(db, exclude: tuple[int, ...] = ()) -> list[dict]:
    """Active teachers and experts, by name (for "Vraag een collega")."""
    marks = ",".join("?" * len(exclude)) or "NULL"
    return list(
        db.query(
            "SELECT u.id, u.name, s.name AS school FROM users u LEFT JOIN schools s "  # noqa: S608 # nosec B608 - only '?' marks
            "ON s.id = u.school_id WHERE u.role IN ('teacher', 'expert') AND u.active = 1 "
            f"AND u.system = 0 AND u.id NOT IN ({marks}) ORDER BY u.name",
            list(exclude),
        )
    )


# ---- forgotten passwords ------------------------------------------------------------------

RESET_HOURS = 24


def create_reset(db, user_id: int, started_by: int | None = None) -> str:
    """A one-time link to choose a new password; earlier unused links stop working."""
    token = secrets.token_urlsafe(32)
    with transaction(db.conn):
        db.conn.execute(
            "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
            (clock.stamp(), user_id),
        )
        db.conn.execute(
            "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, "
            "started_by) VALUES (?, ?, ?, ?, ?)",
            (
                user_id,
                _hash_token(token),
                clock.stamp(),
                clock.stamp_in(timedelta(hours=RESET_HOURS)),
                started_by,
            ),
        )
    return token


def reset_by_token(db, token: str) -> dict | None:
    """The usable reset behind a link (not used, not expired, active account), or None."""
    rows = list(
        db.query(
            "SELECT r.*, u.email, u.active FROM password_resets r JOIN users u "
            "ON u.id = r.user_id WHERE r.token_hash = ?",
            [_hash_token(token)],
        )
    )
    if not rows:
        return None
    row = rows[0]
    if row["used_at"] or row["expires_at"] < clock.stamp() or not row["active"]:
        return None
    return row


def use_reset(db, token: str, password: str) -> int:
    """Set the new password through a reset link (once); every session of the user ends."""
    reset = reset_by_token(db, token)
    if reset is None:
        raise AccountError("Deze link werkt niet meer. Vraag een nieuwe aan.")
    validate_password(password, reset["email"])
    with transaction(db.conn):
        claimed = db.conn.execute(
            "UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL",
            (clock.stamp(), reset["id"]),
        ).rowcount
        if not claimed:
            raise AccountError("Deze link is al gebruikt.")
        set_password(db, reset["user_id"], password)
    return reset["user_id"]
