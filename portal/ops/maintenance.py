"""Backups, restores and health checks of a region's data directory: the SQL of ``ops``.

A backup is a directory ``<DIR>/<stamp>/`` (``20261201T023000Z``) with a consistent copy
of ``portal.sqlite3`` made by SQLite's online backup API (the portal keeps serving), the
``secret_key`` file and ``manifest.json``. The search index files are left out: every
worker rebuilds its index from the vectors in SQLite. Everything is private to the
portal's user (directories 0700, files 0600): the database holds questions about children.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from index import stored_model

from .. import clock
from ..db import transaction
from ..notifications.mail import MAX_ATTEMPTS, MAX_BACKOFF, STUCK_AFTER

DB_FILE = "portal.sqlite3"
KEY_FILE = "secret_key"
MANIFEST = "manifest.json"
FORMAT = 1
BACKUP_NAME = re.compile(r"\d{8}T\d{6}Z(-\d+)?")
# What the portal itself writes into a data directory; anything else makes a restore
# target "not empty". The index state is rebuilt from SQLite and never restored.
INDEX_STATE = ("index-*.npz", "index-*.faiss", "index.json", "index-*.tmp", "index.tmp")
PORTAL_FILES = (
    DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", f"{DB_FILE}-journal", KEY_FILE,
    ".secret_key.*", "prior-*.npz", ".ops-check-*", ".*.restore", *INDEX_STATE,
)  # fmt: skip

MB = 1024 * 1024
GB = 1024 * MB
DISK_WARN_BYTES, DISK_WARN_SHARE = GB, 0.10
DISK_FAIL_BYTES, DISK_FAIL_SHARE = 256 * MB, 0.02
JOBS_LATE = timedelta(minutes=30)


class OpsError(Exception):
    """Why an ops command refuses (English, for the operator)."""


# ---- files --------------------------------------------------------------------------------


def _private_dir(path: Path) -> None:
    """Create a directory 0700, or tighten one of ours (never someone else's) to 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.geteuid():
        path.chmod(0o700)


def _create_private(path: Path) -> None:
    """Create an empty file that only the portal's user can read (fails if it exists)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def size_text(n: int) -> str:
    return f"{n / GB:.1f} GB" if n >= GB else f"{n / MB:.1f} MB"


def _ago(stamp: str) -> str:
    minutes = int((clock.now() - clock.parse(stamp)).total_seconds() // 60)
    if minutes < 1:
        return "less than a minute ago"
    if minutes < 120:
        return f"{minutes} minutes ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours ago"
    return f"{minutes // (24 * 60)} days ago"


# ---- what a database holds ------------------------------------------------------------------


def summary(conn: sqlite3.Connection) -> dict:
    """What the manifest records: migrations applied, counts, the index's model."""

    def one(sql: str) -> int:
        return conn.execute(sql).fetchone()[0]

    return {
        "migrations": [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")],
        "counts": {
            "users": one("SELECT count(*) FROM users WHERE system = 0"),
            "questions": one("SELECT count(*) FROM questions"),
            "resolved_cases": one("SELECT count(*) FROM questions WHERE status = 'resolved'"),
        },
        "index_model": stored_model(conn),
    }


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Open a database file without writing anything next to it (a backup, a target)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _integrity(conn: sqlite3.Connection, pragma: str = "integrity_check") -> list[str]:
    """The problems SQLite finds; an empty list when the file is whole."""
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]  # pragma: a constant of this module
    if rows == ["ok"]:
        return []
    lines = [line.strip() for row in rows for line in str(row).splitlines()]
    return [line for line in lines if line and not line.startswith("***")] or ["damaged"]


# ---- backup ---------------------------------------------------------------------------------


def backup(conn: sqlite3.Connection, data_dir: Path, root: Path, region: str = "") -> Path:
    """Write a consistent backup of the live database into a new ``root/<stamp>/``.

    The copy is made in ``root/.<stamp>.partial/`` and renamed when it is complete, so a
    backup that was interrupted is never mistaken for one that can be restored.
    """
    root = Path(root)
    _private_dir(root)
    created_at = clock.stamp()
    name = created_at.replace("-", "").replace(":", "")
    partial = root / f".{name}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    _private_dir(partial)
    try:
        return _backup_into(conn, Path(data_dir), root, name, partial, created_at, region)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # a full disk leaves no half backup
        raise


def _backup_into(
    conn: sqlite3.Connection,
    data_dir: Path,
    root: Path,
    name: str,
    partial: Path,
    created_at: str,
    region: str,
) -> Path:
    target = partial / DB_FILE
    _create_private(target)
    copy = sqlite3.connect(target)
    try:
        # One step: a consistent snapshot under a read transaction; in WAL mode the portal's
        # writers are not blocked meanwhile.
        conn.backup(copy)
        # A backup is one self-contained file (no -wal beside it); connect() switches the
        # restored database back to WAL.
        copy.execute("PRAGMA journal_mode = DELETE")
        problems = _integrity(copy)
        if problems:
            raise OpsError(f"the copy failed its integrity check: {problems[0]}")
        facts = summary(copy)
    finally:
        copy.close()
    _fsync(target)
    manifest = {
        "format": FORMAT,
        "created_at": created_at,
        "region": region,
        **facts,
        "database": {
            "file": DB_FILE,
            "bytes": target.stat().st_size,
            "sha256": sha256_file(target),
        },
        "secret_key": None,
    }
    key = data_dir / KEY_FILE
    if key.exists():
        data = key.read_bytes()
        _write_private(partial / KEY_FILE, data)
        manifest["secret_key"] = {"file": KEY_FILE, "sha256": hashlib.sha256(data).hexdigest()}
    _write_private(partial / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    final, n = root / name, 1
    while final.exists():
        n += 1
        final = root / f"{name}-{n}"
    partial.rename(final)
    _fsync(root)
    return final


def list_backups(root: Path) -> list[Path]:
    """The complete backups in ``root``, newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [
        p
        for p in root.iterdir()
        if p.is_dir() and BACKUP_NAME.fullmatch(p.name) and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda p: _backup_key(p.name), reverse=True)


def _backup_key(name: str) -> tuple[str, int]:
    stamp, _, n = name.partition("-")
    return stamp, int(n or 1)


def prune(root: Path, keep_daily: int, keep_weekly: int) -> tuple[list[Path], list[Path]]:
    """Keep the newest backup of each of the newest ``keep_daily`` days that have one, and
    of each of the newest ``keep_weekly`` ISO weeks; delete the other backups.

    Only directories this module wrote are touched. Returns (kept, removed), newest first.
    """
    backups = list_backups(root)
    keep: set[Path] = set()
    for size, period in (
        (keep_daily, lambda d: d),
        (keep_weekly, lambda d: d.isocalendar()[:2]),
    ):
        seen: list = []
        for path in backups:  # newest first: the first of each period is its newest
            day = date(int(path.name[:4]), int(path.name[4:6]), int(path.name[6:8]))
            key = period(day)
            if key not in seen:
                seen.append(key)
                if len(seen) <= size:
                    keep.add(path)
    removed = [p for p in backups if p not in keep]
    for path in removed:
        shutil.rmtree(path)
    # A backup interrupted more than a day ago will not be completed any more.
    stale = clock.now().timestamp() - 24 * 3600
    for path in Path(root).glob(".*.partial"):
        if path.is_dir() and path.stat().st_mtime < stale:
            shutil.rmtree(path)
    return [p for p in backups if p in keep], removed


# ---- verify and restore -----------------------------------------------------------------------


def verify(backup_dir: Path) -> dict:
    """Check a backup before it is trusted: manifest, checksums, SQLite's integrity check."""
    backup_dir = Path(backup_dir)
    try:
        manifest = json.loads((backup_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OpsError(
            f"{backup_dir} has no {MANIFEST}: it is not a backup of ops backup"
        ) from None
    except (OSError, ValueError) as exc:
        raise OpsError(f"{backup_dir / MANIFEST} cannot be read: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OpsError(f"{backup_dir / MANIFEST} is not a manifest this portal knows")
    database = backup_dir / DB_FILE
    if not database.is_file():
        raise OpsError(f"{database} is missing: the backup is incomplete")
    expected = (manifest.get("database") or {}).get("sha256")
    if sha256_file(database) != expected:
        raise OpsError(
            f"{database} does not match the checksum in {MANIFEST}: the backup is damaged; "
            "restore another one"
        )
    try:
        check = _open_read_only(database)
        try:
            problems = _integrity(check)
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems:
        raise OpsError(f"{database} fails SQLite's integrity check: {problems[0]}")
    key = manifest.get("secret_key")
    if key:
        path = backup_dir / KEY_FILE
        if not path.is_file() or sha256_file(path) != key.get("sha256"):
            raise OpsError(f"{path} is missing or does not match its checksum in {MANIFEST}")
    return manifest


def _foreign(data_dir: Path) -> str | None:
    """Why ``data_dir`` cannot be a data directory at all (not even with --force)."""
    if not data_dir.exists():
        return None
    if not data_dir.is_dir():
        return f"{data_dir} is not a directory"
    foreign = sorted(
        p.name
        for p in data_dir.iterdir()
        if p.name != "lost+found" and not any(p.match(pat) for pat in PORTAL_FILES)
    )
    if foreign:
        return (
            f"{data_dir} holds files that are not the portal's ({', '.join(foreign[:5])}): "
            "is it the right directory? Restore into an empty directory or the region's "
            "PORTAL_DATA_DIR"
        )
    return None


def _occupied(data_dir: Path) -> str | None:
    """Why ``data_dir`` is not empty: it holds a region's accounts or questions."""
    database = data_dir / DB_FILE
    if not database.exists() or database.stat().st_size == 0:
        return None
    try:
        conn = _open_read_only(database)
        try:
            counts = summary(conn)["counts"]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"{database} exists and cannot be read ({exc})"
    if counts["users"] or counts["questions"]:
        return (
            f"{data_dir} already holds a region ({counts['users']} accounts, "
            f"{counts['questions']} questions)"
        )
    return None  # what create_app makes in an empty directory: migrations, no data


def restore(
    backup_dir: Path, data_dir: Path, known_migrations: list[str], force: bool = False
) -> dict:
    """Put a verified backup's database and secret key into ``data_dir``.

    The portal must be stopped. Stale WAL files and index state files of the database
    that was there are removed: a WAL left beside another database would corrupt it.
    """
    backup_dir, data_dir = Path(backup_dir), Path(data_dir).resolve()
    manifest = verify(backup_dir)
    unknown = [m for m in manifest.get("migrations", []) if m not in known_migrations]
    if unknown and not force:
        raise OpsError(
            f"the backup was made by a newer version of the portal (migrations "
            f"{', '.join(unknown)} are unknown here): upgrade the code first, or use --force"
        )
    reason = _foreign(data_dir)
    if reason:
        raise OpsError(reason)
    reason = _occupied(data_dir)
    if reason and not force:
        raise OpsError(f"{reason}; stop the portal and use --force to replace it")
    _private_dir(data_dir)
    owner = data_dir.stat()
    restored = []
    for name in [DB_FILE] + ([KEY_FILE] if manifest.get("secret_key") else []):
        tmp = data_dir / f".{name}.restore"
        tmp.unlink(missing_ok=True)
        _write_private(tmp, (backup_dir / name).read_bytes())
        restored.append((tmp, data_dir / name))
    if sha256_file(restored[0][0]) != manifest["database"]["sha256"]:
        raise OpsError(f"the copy in {data_dir} does not match the backup (is the disk full?)")
    stale = [data_dir / f"{DB_FILE}-wal", data_dir / f"{DB_FILE}-shm"]
    stale += [p for pattern in INDEX_STATE for p in data_dir.glob(pattern)]
    for path in stale:
        path.unlink(missing_ok=True)
    for tmp, final in restored:
        if os.geteuid() == 0 and owner.st_uid != 0:
            # Run as root for the portal's user: the files must stay the portal's own.
            os.chown(tmp, owner.st_uid, owner.st_gid)
        os.replace(tmp, final)
    for path in stale[:2]:
        path.unlink(missing_ok=True)
    _fsync(data_dir)
    return manifest


# ---- checks ---------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    status: str  # "ok", "warn" or "fail"
    message: str

    def as_json(self) -> dict:
        return asdict(self)


def check_writable(conn: sqlite3.Connection | None, data_dir: Path) -> Check:
    """Can the portal create files in its data directory and take SQLite's write lock?"""
    try:
        fd, name = tempfile.mkstemp(prefix=".ops-check-", dir=data_dir)
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
        if conn is not None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except (OSError, sqlite3.Error) as exc:
        return Check(
            "data directory",
            "fail",
            f"{data_dir} is not writable ({exc}): the portal cannot save questions or answers; "
            "check that it belongs to the portal's user (leer-kracht), mode 0700, and that "
            "the disk is not full or mounted read-only",
        )
    return Check("data directory", "ok", f"{data_dir} is writable")


def check_disk(data_dir: Path) -> Check:
    usage = shutil.disk_usage(data_dir)
    share = usage.free / usage.total if usage.total else 0.0
    text = f"{size_text(usage.free)} free of {size_text(usage.total)} ({share:.0%}) on {data_dir}"
    if usage.free < DISK_FAIL_BYTES or share < DISK_FAIL_SHARE:
        return Check(
            "disk", "fail", f"{text}: the disk is (nearly) full; see 'A full disk' in "
            "docs/OPERATIONS.md"
        )  # fmt: skip
    if usage.free < DISK_WARN_BYTES or share < DISK_WARN_SHARE:
        return Check("disk", "warn", f"{text}: below 1 GB or 10%; make room soon")
    return Check("disk", "ok", text)


def check_database(conn: sqlite3.Connection, path: Path) -> Check:
    problems = _integrity(conn, "quick_check")
    if problems:
        return Check(
            "database",
            "fail",
            f"PRAGMA quick_check finds damage in {path}: {problems[0]} ({len(problems)} "
            "problems); stop the portal and restore the latest backup",
        )
    size = path.stat().st_size if path.exists() else 0
    return Check("database", "ok", f"quick_check passed ({path.name}, {size_text(size)})")


def check_index(conn: sqlite3.Connection, status: dict, configured_model: str) -> Check:
    """``status`` is ``get_index().status(conn)``; the resolved cases are counted here."""
    resolved = conn.execute(
        "SELECT count(*) FROM questions q JOIN answers a ON a.id = q.best_answer_id "
        "WHERE q.status = 'resolved'"
    ).fetchone()[0]
    indexed = status["documents"]["case"]
    dossiers = status["documents"]["dossier"]
    if not status["consistent"] or indexed != resolved:
        return Check(
            "search index",
            "fail",
            f"the index does not match the database ({indexed} cases indexed, {resolved} "
            "resolved cases): run flask --app wsgi index rebuild",
        )
    stored = stored_model(conn)
    text = f"{indexed} cases and {dossiers} dossier sections, model {status['model']}"
    if stored not in (None, configured_model):
        return Check(
            "search index",
            "warn",
            f"{text}; the configured model {configured_model} takes effect only after: "
            "flask --app wsgi index rebuild",
        )
    return Check("search index", "ok", f"consistent: {text}")


def check_outbox(conn: sqlite3.Connection, smtp_host: str | None) -> Check:
    """Mail is never given up (notifications/mail.py), so stuck mail is what to report."""
    waiting, oldest = conn.execute(
        "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL"
    ).fetchone()
    late = conn.execute(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND created_at < ?",
        (clock.stamp_in(-STUCK_AFTER),),
    ).fetchone()[0]
    failing = conn.execute(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts >= ?", (MAX_ATTEMPTS,)
    ).fetchone()[0]
    error = conn.execute(
        "SELECT last_error FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    error = f"; last error: {error[0]}" if error else ""
    hours = int(MAX_BACKOFF.total_seconds() // 3600)
    if late or failing:
        parts = [f"{late} mails wait for more than 1 hour (the oldest since {oldest})"]
        if failing:
            parts.append(
                f"{failing} failed {MAX_ATTEMPTS} times or more and are tried only every "
                f"{hours} hours"
            )
        if not smtp_host:
            parts.append("PORTAL_SMTP_HOST is not set")
        else:
            parts.append(
                "fix the cause (journalctl -u leer-kracht-jobs), then send them now: "
                "flask --app wsgi ops retry-mail"
            )
        return Check("mail", "fail", "; ".join(parts) + error)
    if not smtp_host:
        return Check(
            "mail",
            "warn",
            f"PORTAL_SMTP_HOST is not set: the portal sends no mail ({waiting} waiting)",
        )
    if error:
        return Check("mail", "warn", f"{waiting} mails waiting, to be tried again{error}")
    return Check("mail", "ok", f"{waiting} mails waiting, none for more than 1 hour")


def check_jobs(conn: sqlite3.Connection) -> Check:
    row = conn.execute(
        "SELECT started_at, finished_at, error FROM job_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return Check(
            "jobs",
            "warn",
            "jobs run has never run here: no escalation, reminders or mail; enable the timer: "
            "systemctl enable --now leer-kracht-jobs.timer",
        )
    started, finished, error = row
    if error:
        return Check(
            "jobs",
            "fail",
            f"the last jobs run ({started}, {_ago(started)}) failed: {error}; see "
            "journalctl -u leer-kracht-jobs",
        )
    late = clock.parse(started) < clock.now() - JOBS_LATE
    if finished is None:
        if late:
            return Check(
                "jobs",
                "warn",
                f"the last jobs run started {_ago(started)} and never finished (killed?); "
                "see journalctl -u leer-kracht-jobs",
            )
        return Check("jobs", "ok", f"a jobs run is under way (started {_ago(started)})")
    if late:
        return Check(
            "jobs",
            "warn",
            f"the last jobs run was {_ago(started)} ({started}); is the timer running? "
            "systemctl status leer-kracht-jobs.timer",
        )
    took = (clock.parse(finished) - clock.parse(started)).total_seconds()
    return Check("jobs", "ok", f"last run {_ago(started)}, took {took:.0f} s, no error")


def retry_mail(conn: sqlite3.Connection) -> int:
    """Make every mail that failed before due now, with a fresh series of attempts."""
    with transaction(conn):
        return conn.execute(
            "UPDATE outbox SET attempts = 0, next_attempt_at = ?, locked_until = NULL "
            "WHERE sent_at IS NULL AND attempts > 0",
            (clock.stamp(),),
        ).rowcount
