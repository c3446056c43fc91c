"""The docs say what the code does: the README's settings table is the settings registry."""

import re
from pathlib import Path

from portal import settings

ROOT = Path(__file__).resolve().parent.parent


def test_readme_lists_every_setting_with_its_default_and_nothing_else():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in readme, (
        "run: python -c 'import portal.settings as s; print(s.markdown_table())'"
    )
    documented = set(re.findall(r"`(PORTAL_[A-Z_]+)`", readme))
    known = {s.env for s in settings.SETTINGS} | {"PORTAL_BOOTSTRAP_PASSWORD"}
    assert documented <= known, documented - known


def test_a_bad_setting_gets_a_clear_message_for_the_operator():
    for env, message in [
        ({"PORTAL_SMTP_PORT": "vijf"}, "PORTAL_SMTP_PORT must be a whole number"),
        ({"PORTAL_SCHOOL_DAY": "15:00-08:30"}, "PORTAL_SCHOOL_DAY must be a range of two times"),
        ({"PORTAL_SCHOOL_REGION": "oost"}, "must be one of noord, midden, zuid"),
        ({"PORTAL_SCHOOL_HOLIDAYS": "kerst"}, "PORTAL_SCHOOL_HOLIDAYS must be dates"),
    ]:
        try:
            settings.load(env)
        except settings.SettingError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(f"{env} was accepted")
    loaded = settings.load(
        {"PORTAL_ESCALATE_AFTER_HOURS": "6,5", "PORTAL_SCHOOL_DAY": "8:15-14:45"}
    )
    assert loaded["ESCALATE_AFTER_HOURS"] == 6.5 and loaded["SCHOOL_DAY"] == "08:15-14:45"
    assert settings.unknown({"PORTAL_SMTP_HOTS": "x", "PORTAL_SMTP_HOST": "y"}) == [
        "PORTAL_SMTP_HOTS"
    ]
