"""Every setting of a region in one registry: name, default, type and meaning.

A region sets them as environment variables ``PORTAL_<NAME>`` (for example in the deploy
kit's environment file). The README's settings table is checked against this registry by
``tests/test_docs.py``, so the two cannot drift apart.
"""

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from index import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "PORTAL_"


class SettingError(ValueError):
    """A setting has a value the portal cannot use (English, for the operator)."""


def _text(value: str) -> str:
    return value.strip()


def _path(value: str) -> Path:
    return Path(value.strip()).expanduser()


def _whole(value: str) -> int:
    if not re.fullmatch(r"\s*\d+\s*", value):
        raise ValueError("a whole number")
    return int(value)


def _number(value: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ValueError("a number") from None
    if number < 0:
        raise ValueError("a number of 0 or more")
    return number


def _choice(*options: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip().lower()
        if value not in options:
            raise ValueError("one of " + ", ".join(options))
        return value

    return parse


def _school_day(value: str) -> str:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
    if not match:
        raise ValueError("a range of two times such as 08:30-15:00")
    h1, m1, h2, m2 = map(int, match.groups())
    if not (0 <= h1 < 24 and 0 <= h2 < 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
        raise ValueError("a range of two times such as 08:30-15:00, the first before the second")
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def _date_ranges(value: str) -> str:
    for part in filter(None, (p.strip() for p in value.split(","))):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?", part):
            raise ValueError("dates or ranges such as 2027-02-14..2027-02-22, separated by commas")
    return value.strip()


def _hosts(value: str) -> tuple[str, ...]:
    return tuple(h.strip() for h in value.split(",") if h.strip())


@dataclass(frozen=True)
class Setting:
    name: str  # the config key; the environment variable is PORTAL_<name>
    default: object
    parse: Callable[[str], object]
    meaning: str
    shown_default: str | None = None  # how the README shows the default, when not str()

    @property
    def env(self) -> str:
        return PREFIX + self.name

    @property
    def readme_default(self) -> str:
        if self.shown_default is not None:
            return self.shown_default
        return "none" if self.default in (None, "", ()) else str(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", ROOT / "instance", _path,
            "database (`portal.sqlite3`, WAL), index files, `secret_key`", "instance/"),
    Setting("REGION_NAME", "Leer-Kracht", _text, "shown in the page title, the footer and mails"),
    Setting("BASE_URL", "http://127.0.0.1:5000", _text,
            "the portal's address, used in links in mails and invitations"),
    Setting("SECRET_KEY", None, _text,
            "session signing key shared by all workers", "generated into the data dir"),
    Setting("EMBEDDING_MODEL", DEFAULT_MODEL, _text,
            "or a local sentence-transformers model directory; takes effect at `index rebuild`"),
    Setting("SECOND_MODEL", "use", _choice("use", "none"),
            "a second opinion in ranking: `use` (Universal Sentence Encoder, bundled) or `none`"),
    Setting("SMTP_HOST", None, _text, "the SMTP server `jobs run` sends mail through", "no mail"),
    Setting("SMTP_PORT", 587, _whole, "its port"),
    Setting("SMTP_TLS", "starttls", _choice("starttls", "ssl", "none"),
            "`starttls`, `ssl` or `none`"),
    Setting("SMTP_USER", None, _text, "login for the SMTP server"),
    Setting("SMTP_PASSWORD", None, _text, "its password"),
    Setting("SMTP_SENDER", "leer-kracht@localhost", _text, "the From address of every mail"),
    Setting("SCHOOL_DAY", "08:30-15:00", _school_day,
            "the school day in Europe/Amsterdam time; only these hours count as school hours"),
    Setting("SCHOOL_REGION", "midden", _choice("noord", "midden", "zuid"),
            "the region's school holidays (`noord`, `midden`, `zuid`); they and public holidays "
            "do not count"),
    Setting("SCHOOL_HOLIDAYS", "", _date_ranges,
            "extra days off, e.g. `2027-02-14..2027-02-22,2027-06-11`; weekends never count"),
    Setting("BROADCAST_AFTER_HOURS", 4.0, _number,
            "school hours before an unanswered question goes to everyone in the region", "4"),
    Setting("ESCALATE_AFTER_HOURS", 13.0, _number,
            "school hours without an answer before experts hear of it (the coordinator after "
            "twice that)", "13"),
    Setting("SUPPORT_ESCALATE_AFTER_HOURS", 8.0, _number,
            "school hours a request for direct support may wait for an expert before the "
            "coordinator hears of it", "8"),
    Setting("RETENTION_OPEN_DAYS", 365, _whole, "open questions are de-identified after this"),
    Setting("RETENTION_RESOLVED_DAYS", 730, _whole, "resolved cases are de-identified after this"),
    Setting("TRUSTED_PROXIES", 0, _whole,
            "how many reverse proxies in front of the portal set X-Forwarded-For (`1` behind "
            "the deploy kit's Caddy)"),
    Setting("DOSSIER_DIR", ROOT / "content" / "dossiers", _path,
            "the kennisbank's dossier files", "content/dossiers/"),
    Setting("DEMO_DIR", ROOT / "content" / "demo", _path, "the demo region's data",
            "content/demo/"),
)  # fmt: skip

BY_NAME = {s.name: s for s in SETTINGS}


def load(environ: Mapping[str, str] | None = None) -> dict:
    """Read every setting from the environment; raise SettingError naming a bad one."""
    environ = os.environ if environ is None else environ
    config = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or raw.strip() == "":
            config[setting.name] = setting.default
            continue
        try:
            config[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise SettingError(f"{setting.env} must be {exc}, not {raw!r}") from None
    return config


def unknown(environ: Mapping[str, str] | None = None) -> list[str]:
    """PORTAL_* variables that are no setting (most likely a typo)."""
    environ = os.environ if environ is None else environ
    known = {s.env for s in SETTINGS} | {"PORTAL_TEST_ARTIFACTS", "PORTAL_BOOTSTRAP_PASSWORD"}
    return sorted(k for k in environ if k.startswith(PREFIX) and k not in known)


def markdown_table() -> str:
    """The README's settings table, made from the registry (``python -m portal.settings``)."""
    rows = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = s.readme_default
        shown = default if " " in default or default == "none" else f"`{default}`"
        rows.append(f"| `{s.env}` | {shown} | {s.meaning} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
