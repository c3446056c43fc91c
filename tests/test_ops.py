"""Operating a region: ops backup/restore/check, and the deploy kit in deploy/.

What needs systemd, Caddy or a whole VM is checked as far as this machine allows: the unit
files parse and name what they must (``systemd-analyze verify`` where it exists), the
scripts pass ``bash -n``, the Caddyfile validates where ``caddy`` is installed, and
gunicorn with the kit's settings is killed with SIGKILL for real.
"""

import ast
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from collections import namedtuple
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from portal import create_app, settings
from portal.db import get_db, get_index
from portal.ops import maintenance
from portal.questions import cases

from .helpers import answer, ask, free_port, user_id

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
INSTALL_DIR = "/opt/leer-kracht"
UNITS = [
    "leer-kracht.socket",
    "leer-kracht.service",
    "leer-kracht-jobs.service",
    "leer-kracht-jobs.timer",
    "leer-kracht-backup.service",
    "leer-kracht-backup.timer",
]


def fresh_app(data_dir: Path):
    return create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "SECRET_KEY": "x",
            "EMBEDDING_MODEL": "stand-in",
            "SECOND_MODEL": "none",
        }
    )


def resolved_case(app, **fields) -> int:
    """A question with an answer marked most helpful: a resolved case in the index."""
    qid = ask(app, **fields)
    aid = answer(app, qid)
    with app.app_context():
        cases.mark_best(get_db(), get_index(), qid, aid, user_id(app, "teacher"))
    return qid


def counts(app) -> dict:
    with app.app_context():
        db = get_db()
        return {
            "users": db.execute("SELECT count(*) FROM users WHERE system = 0").fetchone()[0],
            "resolved": db.execute(
                "SELECT count(*) FROM questions WHERE status = 'resolved'"
            ).fetchone()[0],
            "titles": sorted(r[0] for r in db.execute("SELECT title FROM questions")),
        }


def backup(runner, directory: Path, *args: str) -> Path:
    result = runner.invoke(args=["ops", "backup", str(directory), *args])
    assert result.exit_code == 0, result.output
    return Path(re.search(r"Backup written to (\S+):", result.output).group(1))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- backup and restore ----------------------------------------------------------------------


def test_backup_restored_into_a_fresh_data_dir_finds_the_same_cases(app, runner, tmp_path):
    resolved_case(app)
    ask(app, title="Meisje in groep 4 zegt de hele dag niets")
    before = counts(app)
    made = backup(runner, tmp_path / "backups")

    assert mode(tmp_path / "backups") == 0o700 and mode(made) == 0o700
    assert sorted(p.name for p in made.iterdir()) == ["manifest.json", "portal.sqlite3"]
    assert all(mode(p) == 0o600 for p in made.iterdir())
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["counts"] == {"users": before["users"], "questions": 2, "resolved_cases": 1}
    assert manifest["database"]["sha256"] == maintenance.sha256_file(made / "portal.sqlite3")
    assert "0001_initial" in manifest["migrations"] and manifest["index_model"]
    assert manifest["secret_key"] is None  # the test app's key is a setting, not a file

    result = runner.invoke(args=["ops", "restore", str(made), "--to", str(tmp_path / "fresh")])
    assert result.exit_code == 0, result.output
    assert "start the portal" in result.output.lower() and "search index" in result.output
    assert mode(tmp_path / "fresh") == 0o700 and mode(tmp_path / "fresh/portal.sqlite3") == 0o600

    restored = fresh_app(tmp_path / "fresh")
    assert counts(restored) == before
    with restored.app_context():  # no index file was restored: it is rebuilt from SQLite
        hits = get_index().search(get_db().conn, "roept door de instructie heen", kind="case")
        assert hits and hits[0].kind == "case"
        assert get_index().status(get_db().conn)["consistent"]


def test_backup_saves_the_secret_key_file_but_no_index_files(tmp_path):
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "EMBEDDING_MODEL": "stand-in",
         "SECOND_MODEL": "none"}
    )  # fmt: skip
    with app.app_context():
        get_index().save(get_db().conn)  # index-*.npz and index.json in the data dir
    assert list((tmp_path / "data").glob("index*"))
    made = backup(app.test_cli_runner(), tmp_path / "backups")
    assert sorted(p.name for p in made.iterdir()) == [
        "manifest.json",
        "portal.sqlite3",
        "secret_key",
    ]
    assert (made / "secret_key").read_text() == (tmp_path / "data/secret_key").read_text()
    assert mode(made / "secret_key") == 0o600

    restored = tmp_path / "restored"
    result = app.test_cli_runner().invoke(args=["ops", "restore", str(made), "--to", str(restored)])
    assert result.exit_code == 0, result.output
    assert (restored / "secret_key").read_text() == (tmp_path / "data/secret_key").read_text()


def test_a_corrupted_backup_is_refused(app, runner, tmp_path):
    made = backup(runner, tmp_path / "backups")
    database = made / "portal.sqlite3"
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    target = tmp_path / "fresh"
    result = runner.invoke(args=["ops", "restore", str(made), "--to", str(target)])
    assert result.exit_code == 1
    assert (
        "does not match the checksum" in result.output and "nothing was restored" in result.output
    )
    assert not (target / "portal.sqlite3").exists()

    # Damaged before the checksum was taken: SQLite's integrity check still refuses it.
    page = int.from_bytes(data[16:18], "big")
    data[page : page + 100] = b"\xff" * 100
    database.write_bytes(bytes(data))
    manifest = json.loads((made / "manifest.json").read_text())
    manifest["database"]["sha256"] = maintenance.sha256_file(database)
    (made / "manifest.json").write_text(json.dumps(manifest))
    result = runner.invoke(args=["ops", "restore", str(made), "--to", str(target)])
    assert result.exit_code == 1 and "integrity check" in result.output, result.output

    (made / "manifest.json").unlink()
    result = runner.invoke(args=["ops", "restore", str(made), "--to", str(target)])
    assert result.exit_code == 1 and "has no manifest.json" in result.output


def test_restore_refuses_a_target_with_a_region_unless_forced(app, runner, tmp_path):
    made = backup(runner, tmp_path / "backups")
    data_dir = app.config["DATA_DIR"]
    ask(app)  # the live region moved on after the backup
    (data_dir / "index.json").write_text("{}")  # stale index state of the old database
    result = runner.invoke(args=["ops", "restore", str(made), "--to", str(data_dir)])
    assert result.exit_code == 1 and "already holds a region" in result.output
    assert "--force" in result.output

    result = runner.invoke(args=["ops", "restore", str(made), "--to", str(data_dir), "--force"])
    assert result.exit_code == 0, result.output
    assert not (data_dir / "index.json").exists()
    assert not (data_dir / "portal.sqlite3-wal").exists()
    with sqlite3.connect(data_dir / "portal.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 0

    # A directory with files that are not the portal's is never a restore target.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine")
    for extra in ([], ["--force"]):
        result = runner.invoke(args=["ops", "restore", str(made), "--to", str(elsewhere), *extra])
        assert result.exit_code == 1 and "not the portal's" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.txt"]


def _fake_backup(root: Path, name: str) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "manifest.json").write_text("{}")


def test_retention_keeps_the_newest_daily_and_weekly_backups(tmp_path):
    root = tmp_path / "backups"
    # 60 nights of backups, two on the last day (a manual one before an upgrade).
    days = [f"202611{d:02d}" for d in range(1, 31)] + [f"202612{d:02d}" for d in range(1, 31)]
    for day in days:
        _fake_backup(root, f"{day}T023000Z")
    _fake_backup(root, "20261230T110000Z")
    (root / "not-a-backup").mkdir()
    (root / "20261101T000000Z-incomplete").mkdir()

    kept, removed = maintenance.prune(root, keep_daily=7, keep_weekly=4)
    names = sorted(p.name for p in kept)
    daily = [f"202612{d:02d}T023000Z" for d in range(24, 30)] + ["20261230T110000Z"]
    # The newest backup of each of the 4 newest ISO weeks: Sunday 27 Dec (week 52), the
    # 20th, the 13th, and the week of Wednesday 30 Dec (week 53) is among the daily ones.
    weekly = ["20261213T023000Z", "20261220T023000Z", "20261227T023000Z"]
    assert names == sorted(set(daily + weekly))
    assert len(removed) == 61 - len(names)
    assert sorted(p.name for p in root.iterdir()) == sorted(
        names + ["not-a-backup", "20261101T000000Z-incomplete"]
    )


def test_two_backups_in_a_row_both_land(app, runner, tmp_path):
    first = backup(runner, tmp_path / "b", "--keep-daily", "3")
    with app.app_context():
        second = maintenance.backup(get_db().conn, app.config["DATA_DIR"], tmp_path / "b")
    assert first != second and {first.parent, second.parent} == {tmp_path / "b"}
    assert not list((tmp_path / "b").glob(".*.partial"))


# ---- ops check -----------------------------------------------------------------------------


def check(runner, *args: str):
    result = runner.invoke(args=["ops", "check", *args])
    assert "Traceback" not in result.output
    lines = {}
    for line in result.output.splitlines():
        found = re.match(r"(OK|WARN|FAIL) +([a-z ]+): (.*)", line)
        if found:
            lines[found.group(2)] = (found.group(1), found.group(3))
    return result, lines


def jobs_run(app, runner) -> None:
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output


def test_check_passes_on_a_healthy_region(app, runner):
    app.config["SMTP_HOST"] = "smtp.test"
    resolved_case(app)
    jobs_run(app, runner)
    result, lines = check(runner)
    assert result.exit_code == 0, result.output
    assert set(lines) == {"data directory", "disk", "database", "search index", "mail", "jobs"}
    assert all(status == "OK" for status, _ in lines.values()), result.output
    assert "1 cases" in lines["search index"][1]
    assert result.output.strip().endswith("All 6 checks passed, 0 warnings.")

    data = json.loads(runner.invoke(args=["ops", "check", "--json"]).output)
    assert data["ok"] is True and len(data["checks"]) == 6
    assert {c["status"] for c in data["checks"]} == {"ok"}


def test_check_without_any_jobs_run_warns(app, runner):
    result, lines = check(runner)
    assert lines["jobs"][0] == "WARN" and "never run" in lines["jobs"][1]
    assert "leer-kracht-jobs.timer" in lines["jobs"][1]
    assert lines["mail"][0] == "WARN" and "PORTAL_SMTP_HOST" in lines["mail"][1]
    assert result.exit_code == 0  # warnings alone do not fail


def test_check_reports_old_and_failed_jobs_runs(app, runner):
    jobs_run(app, runner)
    with app.app_context():
        get_db().conn.execute(
            "UPDATE job_runs SET started_at = '2026-01-05T08:00:00Z', "
            "finished_at = '2026-01-05T08:00:01Z'"
        )
    result, lines = check(runner)
    assert lines["jobs"][0] == "WARN" and "2026-01-05T08:00:00Z" in lines["jobs"][1]

    with app.app_context():
        get_db().conn.execute(
            "INSERT INTO job_runs (started_at, finished_at, error) VALUES (?, ?, ?)",
            ("2026-01-05T08:05:00Z", "2026-01-05T08:05:02Z", "OperationalError: disk I/O error"),
        )
    result, lines = check(runner)
    assert result.exit_code == 1
    assert lines["jobs"][0] == "FAIL" and "disk I/O error" in lines["jobs"][1]
    assert "journalctl -u leer-kracht-jobs" in lines["jobs"][1]


def _mail(app, created_at: str, attempts: int = 0, error: str | None = None) -> None:
    with app.app_context():
        get_db().conn.execute(
            "INSERT INTO outbox (dedupe_key, to_addr, subject, body_text, body_html, created_at, "
            "attempts, next_attempt_at, last_error) VALUES (?, 'juf@school.test', 'Onderwerp', "
            "'tekst', '<p>tekst</p>', ?, ?, ?, ?)",
            (f"k{created_at}{attempts}", created_at, attempts, created_at, error),
        )


def test_check_reports_a_stuck_outbox(app, runner):
    app.config["SMTP_HOST"] = "smtp.test"
    jobs_run(app, runner)
    _mail(app, maintenance.clock.stamp())  # just queued: fine
    result, lines = check(runner)
    assert lines["mail"][0] == "OK" and result.exit_code == 0

    _mail(app, "2026-01-05T08:00:00Z", attempts=3, error="SMTPAuthenticationError: 535")
    result, lines = check(runner)
    assert result.exit_code == 1
    assert lines["mail"][0] == "FAIL"
    assert "1 mails wait for more than 1 hour" in lines["mail"][1]
    assert "SMTPAuthenticationError: 535" in lines["mail"][1]
    assert "ops retry-mail" in lines["mail"][1]

    _mail(app, "2026-01-04T08:00:00Z", attempts=8, error="ConnectionRefusedError: 111")
    result, lines = check(runner)
    assert "2 mails wait" in lines["mail"][1]
    assert "1 failed 8 times or more" in lines["mail"][1]
    retried = runner.invoke(args=["ops", "retry-mail"])
    assert retried.exit_code == 0 and retried.output.startswith("2 mails")
    with app.app_context():
        due = (
            get_db()
            .execute(
                "SELECT count(*) FROM outbox WHERE attempts = 0 AND next_attempt_at <= ?",
                [maintenance.clock.stamp()],
            )
            .fetchone()[0]
        )
    assert due == 3
    _, lines = check(runner)
    assert "failed 8 times" not in lines["mail"][1]


@contextmanager
def unwritable(path: Path):
    """Make a directory unwritable, also for root (who ignores file modes)."""
    if os.geteuid() != 0:
        path.chmod(0o500)
        try:
            yield
        finally:
            path.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root, and chattr +i does not work on this file system")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_check_reports_an_unwritable_data_dir(app, runner):
    data_dir = app.config["DATA_DIR"]
    with unwritable(data_dir):
        result, lines = check(runner)
    assert result.exit_code == 1
    status, message = lines["data directory"]
    assert status == "FAIL" and str(data_dir) in message and "not writable" in message
    assert "leer-kracht" in message


def test_check_reports_an_inconsistent_index(app, runner):
    jobs_run(app, runner)
    qid = ask(app)
    aid = answer(app, qid)
    with app.app_context():  # resolved behind the index's back (as a faulty import would)
        get_db().conn.execute(
            "UPDATE questions SET status = 'resolved', best_answer_id = ? WHERE id = ?",
            (aid, qid),
        )
    result, lines = check(runner)
    assert result.exit_code == 1
    status, message = lines["search index"]
    assert status == "FAIL" and "0 cases indexed, 1 resolved" in message
    assert "flask --app wsgi index rebuild" in message


DiskUsage = namedtuple("DiskUsage", "total used free")


def test_check_reports_a_full_disk(app, runner, monkeypatch):
    total = 20 * maintenance.GB
    for free, expected in ((5 * maintenance.GB, "OK"), (800 * maintenance.MB, "WARN"),
                           (100 * maintenance.MB, "FAIL")):  # fmt: skip
        usage = DiskUsage(total, total - free, free)
        monkeypatch.setattr(maintenance.shutil, "disk_usage", lambda _p, u=usage: u)
        _, lines = check(runner)
        assert lines["disk"][0] == expected, lines["disk"]
    assert "full" in lines["disk"][1]


def test_check_reports_a_damaged_database(tmp_path):
    path = tmp_path / "broken.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("CREATE INDEX t_x ON t (x)")
        conn.executemany(
            "INSERT INTO t VALUES (?)", [(f"{i:04d}" + "x" * 300,) for i in range(200)]
        )
    conn.close()
    data = bytearray(path.read_bytes())
    data[2 * 4096 + 8 : 2 * 4096 + 16] = b"\x00\x07" * 4  # a cell pointer of page 3
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(path)
    try:
        found = maintenance.check_database(conn, path)
    finally:
        conn.close()
    assert found.status == "fail" and "restore the latest backup" in found.message
    assert "\n" not in found.message and "page 3" in found.message


# ---- the deploy kit ------------------------------------------------------------------------


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as {section: {key: [values]}} (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in (DEPLOY / name).read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"{name}: not INI: {raw!r}"
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def one(section: dict, key: str) -> str:
    assert key in section, f"missing {key}"
    return section[key][-1]


def gunicorn_setting(name: str):
    """A top-level constant (or a function's name) of deploy/gunicorn.conf.py."""
    found = None
    for node in ast.parse((DEPLOY / "gunicorn.conf.py").read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            found = ast.literal_eval(node.value)
        elif isinstance(node, ast.FunctionDef) and node.name == name:
            found = node.name
    return found


def test_every_unit_parses_and_has_what_it_needs():
    for name in UNITS:
        parsed = unit(name)
        assert "Unit" in parsed and "Description" in parsed["Unit"], name
    web = unit("leer-kracht.service")
    service = web["Service"]
    assert one(service, "ExecStart") == (
        f"{INSTALL_DIR}/.venv/bin/gunicorn -c deploy/gunicorn.conf.py wsgi:app"
    )
    assert one(service, "WorkingDirectory") == INSTALL_DIR
    assert one(service, "EnvironmentFile") == "/etc/leer-kracht/portal.env"
    assert one(service, "User") == "leer-kracht"
    assert one(service, "KillMode") in ("control-group", "mixed")
    assert one(service, "Restart") == "on-failure"
    assert int(one(service, "TimeoutStopSec")) > gunicorn_setting("graceful_timeout")
    assert "leer-kracht.socket" in one(web["Unit"], "Requires")
    assert one(web["Install"], "WantedBy") == "multi-user.target"
    assert one(unit("leer-kracht.socket")["Socket"], "ListenStream") == "127.0.0.1:8000"

    for name in ("leer-kracht.service", "leer-kracht-jobs.service", "leer-kracht-backup.service"):
        service = unit(name)["Service"]
        assert one(service, "User") == "leer-kracht", name
        assert one(service, "EnvironmentFile") == "/etc/leer-kracht/portal.env", name
        for key, value in {
            "NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
            "ProtectHome": "yes", "StateDirectory": "leer-kracht", "UMask": "0077",
        }.items():  # fmt: skip
            assert one(service, key) == value, (name, key)
        assert "/var/lib/leer-kracht" in service["ReadWritePaths"], name
        assert "RestrictAddressFamilies" in service and "SystemCallFilter" in service, name
        binary = one(service, "ExecStart").split()[0].replace(INSTALL_DIR, str(ROOT))
        assert os.access(binary, os.X_OK), (name, binary)

    jobs = unit("leer-kracht-jobs.service")["Service"]
    assert one(jobs, "Type") == "oneshot"
    assert one(jobs, "ExecStart").endswith("/.venv/bin/flask --app wsgi jobs run")
    assert one(unit("leer-kracht-jobs.timer")["Timer"], "OnCalendar") == "*:0/5"
    backups = unit("leer-kracht-backup.service")["Service"]
    assert "ops backup /var/backups/leer-kracht --keep-daily" in one(backups, "ExecStart")
    assert "/var/backups/leer-kracht" in backups["ReadWritePaths"]
    timer = unit("leer-kracht-backup.timer")["Timer"]
    assert one(timer, "Persistent") == "true" and "OnCalendar" in timer
    for name in ("leer-kracht-jobs.timer", "leer-kracht-backup.timer"):
        assert one(unit(name)["Install"], "WantedBy") == "timers.target"


def _rendered_units(tmp_path: Path) -> list[Path]:
    """The units as install.sh writes them, for a checkout in ROOT."""
    out = []
    for name in UNITS:
        path = tmp_path / name
        path.write_text((DEPLOY / name).read_text().replace(INSTALL_DIR, str(ROOT)))
        out.append(path)
    return out


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    paths = _rendered_units(tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if any(name in line for name in UNITS)
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr

    services = [p for p in paths if p.suffix == ".service"]
    exposure = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--threshold=25", *map(str, services)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if "Unknown option" in exposure.stderr or "unrecognized option" in exposure.stderr:
        pytest.skip("this systemd-analyze cannot score units offline")
    assert exposure.returncode == 0, exposure.stdout[-2000:] + exposure.stderr


def test_the_scripts_pass_bash_n():
    for script, shell in (("install.sh", "bash"), ("leer-kracht", "sh")):
        path = DEPLOY / script
        result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert os.access(path, os.X_OK), f"{script} is not executable"
    if shutil.which("shellcheck"):
        result = subprocess.run(
            [
                "shellcheck",
                "-S",
                "warning",
                str(DEPLOY / "install.sh"),
                str(DEPLOY / "leer-kracht"),
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout
    install = (DEPLOY / "install.sh").read_text()
    torch, project = install.index("torch==2.13.0"), install.index("pip install --quiet -e .")
    assert torch < project
    for name in UNITS:
        assert name in install
    assert "install -d -m 0700" in install and "useradd --system" in install


def test_caddyfile_proxies_compresses_and_caches():
    text = (DEPLOY / "Caddyfile").read_text()
    assert "encode zstd gzip" in text
    assert "reverse_proxy 127.0.0.1:8000" in text and "header_up X-Forwarded-For" in text
    assert "max-age=31536000, immutable" in text and "/static/*" in text
    listen = one(unit("leer-kracht.socket")["Socket"], "ListenStream")
    assert f"reverse_proxy {listen}" in text
    caddy = shutil.which("caddy")
    if caddy:
        result = subprocess.run(
            [caddy, "adapt", "--adapter", "caddyfile", "--config", str(DEPLOY / "Caddyfile")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr


def test_environment_file_names_every_region_setting():
    names, values = set(), {}
    for line in (DEPLOY / "portal.env.example").read_text().splitlines():
        found = re.fullmatch(r"(#?)(PORTAL_[A-Z_]+)=(.*)", line)
        if found:
            names.add(found.group(2))
            if not found.group(1):
                values[found.group(2)] = found.group(3).strip('"')
        else:
            assert not line or line.startswith("#"), f"not NAME=value: {line!r}"
    known = {s.env for s in settings.SETTINGS}
    assert names <= known, f"no such setting: {names - known}"
    assert known - names == {"PORTAL_DEMO_DIR"}, "add the new setting to deploy/portal.env.example"
    assert values["PORTAL_TRUSTED_PROXIES"] == "1"
    assert values["PORTAL_DATA_DIR"] == "/var/lib/leer-kracht"
    settings.load(values)  # every value is one the portal accepts


def test_gunicorn_settings_of_the_kit():
    assert gunicorn_setting("workers") >= 1
    assert 0 < gunicorn_setting("graceful_timeout") <= gunicorn_setting("timeout")
    assert gunicorn_setting("post_fork") == "post_fork"
    assert gunicorn_setting("post_worker_init") == "post_worker_init"


def test_a_worker_loads_the_search_index_before_its_first_request(app):
    # What the kit's post_worker_init hook calls: after it the index is there, searched once.
    import runpy
    from types import SimpleNamespace

    hooks = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert "search_index" not in app.extensions
    hooks["post_worker_init"](SimpleNamespace(wsgi=app))
    index = app.extensions["search_index"]
    with app.app_context():
        assert index.search(get_db().conn, "Een leerling slaat op het plein", k=3)


# ---- gunicorn under kill -9 -----------------------------------------------------------------


def gunicorn_env(data_dir: Path) -> dict:
    return {
        **os.environ,
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_SECRET_KEY": "x",
        "PORTAL_EMBEDDING_MODEL": "stand-in",
        "PORTAL_SECOND_MODEL": "none",
        "HF_HUB_OFFLINE": "1",
    }


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for init, it serves nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_serving(base: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")


def start_gunicorn(data_dir: Path, args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env={**gunicorn_env(data_dir), **kwargs.pop("env", {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        **kwargs,
    )


def workers_of(master: subprocess.Popen, expected: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = children(master.pid)
        if len(found) >= expected:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{expected} workers did not start")


def kill_master_and_time_workers(master: subprocess.Popen, workers: list[int]) -> float:
    os.kill(master.pid, signal.SIGKILL)
    master.wait(10)
    start = time.monotonic()
    while any(running(w) for w in workers) and time.monotonic() - start < 20:
        time.sleep(0.02)
    return time.monotonic() - start


def cleanup(*processes: subprocess.Popen) -> None:
    for process in processes:
        with suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)  # the session this test started
        with suppress(subprocess.TimeoutExpired):
            process.wait(5)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_the_master_takes_every_worker_along(app):
    data_dir = app.config["DATA_DIR"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"),
               "-b", f"127.0.0.1:{port}", "wsgi:app"]  # fmt: skip
    master = start_gunicorn(data_dir, command)
    again = None
    try:
        wait_serving(base, master)
        workers = workers_of(master, gunicorn_setting("workers"))
        gone_after = kill_master_and_time_workers(master, workers)
        print(f"workers gone {gone_after:.2f} s after kill -9 of the master")
        assert not [w for w in workers if running(w)], "orphaned workers survived"
        assert gone_after < 5
        with pytest.raises(OSError):
            urllib.request.urlopen(base + "/robots.txt", timeout=2)  # noqa: S310
        # A restart binds the same port at once (no "Address in use").
        again = start_gunicorn(data_dir, command)
        wait_serving(base, again, seconds=60)
    finally:
        cleanup(master, *([again] if again else []))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_socket_activation_survives_kill_9_of_the_master(app, tmp_path):
    """As under leer-kracht.socket: systemd holds the socket, gunicorn gets it as fd 3."""
    import socket

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    fd = listener.fileno()
    command = [
        "bash", "-c",  # dash knows only single-digit file descriptors
        f'exec 3<&{fd}; LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" -c "$1" wsgi:app',
        str(BIN / "gunicorn"), str(DEPLOY / "gunicorn.conf.py"),
    ]  # fmt: skip
    started = []
    try:
        for _ in range(2):  # start, kill -9, start again on the very same socket
            master = start_gunicorn(app.config["DATA_DIR"], command, pass_fds=(fd,))
            started.append(master)
            wait_serving(base, master)
            workers = workers_of(master, gunicorn_setting("workers"))
            assert kill_master_and_time_workers(master, workers) < 5
            assert not [w for w in workers if running(w)]
    finally:
        cleanup(*started)
        listener.close()
