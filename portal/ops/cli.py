"""``flask --app wsgi ops backup|restore|check|retry-mail``: operating a region.

Like the rest of the command line, a contract: the deploy kit's timers and a region's
monitoring rely on the names, the options, the output and the exit codes (1 = failed).
"""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from index import model_id_of

from .. import db as portal_db
from ..db import get_db, get_index
from . import maintenance
from .maintenance import Check, OpsError

ops_cli = AppGroup("ops", help="Backups, restores and health checks of the region.")

LABELS = {"ok": "OK", "warn": "WARN", "fail": "FAIL"}


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _counts(manifest: dict) -> str:
    c = manifest["counts"]
    return (
        f"{c['users']} accounts, {c['questions']} questions, {c['resolved_cases']} resolved cases"
    )


@ops_cli.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--keep-daily",
    default=7,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Keep the newest backup of this many days.",
)
@click.option(
    "--keep-weekly",
    default=8,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Keep the newest backup of this many ISO weeks.",
)
def backup(directory, keep_daily, keep_weekly):  # fmt: skip
    """Back up the database and secret key into DIRECTORY/<stamp>/, then prune old backups.

    The portal keeps running meanwhile (SQLite's online backup). The search index files
    are not backed up: the portal rebuilds them from the database.
    """
    config = current_app.config
    try:
        made = maintenance.backup(
            get_db().conn, config["DATA_DIR"], directory, config["REGION_NAME"]
        )
        kept, removed = maintenance.prune(directory, keep_daily, keep_weekly)
    except (OpsError, OSError) as exc:
        _fail(f"no backup was made: {exc}")
    manifest = json.loads((made / maintenance.MANIFEST).read_text(encoding="utf-8"))
    database = manifest["database"]
    click.echo(
        f"Backup written to {made}: {_counts(manifest)}; database "
        f"{maintenance.size_text(database['bytes'])}, sha256 {database['sha256'][:16]}."
    )
    if manifest["secret_key"] is None:
        click.echo(
            "No secret_key file in the data directory: the key comes from PORTAL_SECRET_KEY, "
            "so keep a copy of portal.env as well."
        )
    gone = f": {', '.join(p.name for p in removed)}" if removed else ""
    click.echo(
        f"Kept {len(kept)} backups ({keep_daily} daily, {keep_weekly} weekly), "
        f"removed {len(removed)}{gone}."
    )


@ops_cli.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--to",
    "data_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The data directory to restore into (PORTAL_DATA_DIR of the region).",
)
@click.option(
    "--force", is_flag=True, help="Replace the region's data that is already in the data directory."
)
def restore(backup_dir, data_dir, force):  # fmt: skip
    """Verify a backup (checksum, integrity) and restore it into a data directory.

    Stop the portal first (systemctl stop leer-kracht leer-kracht-jobs.timer).
    """
    known = [name for name, _ in portal_db.MIGRATIONS]
    try:
        manifest = maintenance.restore(backup_dir, data_dir, known, force=force)
    except (OpsError, OSError) as exc:
        _fail(f"nothing was restored: {exc}")
    region = f" ({manifest['region']})" if manifest.get("region") else ""
    click.echo(
        f"Restored the backup of {manifest['created_at']}{region} into {data_dir.resolve()}: "
        f"{_counts(manifest)}."
    )
    if manifest.get("secret_key") is None:
        click.echo(
            "The backup holds no secret_key: the region sets PORTAL_SECRET_KEY in portal.env; "
            "keep that value (with another key everyone logs in again)."
        )
    newer = [name for name in known if name not in manifest.get("migrations", [])]
    click.echo("Next:")
    click.echo("  1. Start the portal: systemctl start leer-kracht leer-kracht-jobs.timer")
    if newer:
        click.echo(f"     It applies {len(newer)} newer migrations at start ({', '.join(newer)}).")
    click.echo("  2. Nothing to rebuild: each worker reloads the search index from the database.")
    click.echo("  3. Check the region: flask --app wsgi ops check")


def _guarded(name: str, fn, *args) -> Check:
    try:
        return fn(*args)
    except Exception as exc:  # a check that cannot run is a failed check, not a traceback
        return Check(name, "fail", f"could not be checked: {type(exc).__name__}: {exc}")


def run_checks() -> list[Check]:
    config = current_app.config
    data_dir = Path(config["DATA_DIR"])
    database = Path(config["DATABASE"])
    try:
        conn = get_db().conn
    except Exception as exc:
        conn, opened = None, f"{database} cannot be opened: {type(exc).__name__}: {exc}"
    checks = [
        _guarded("data directory", maintenance.check_writable, conn, data_dir),
        _guarded("disk", maintenance.check_disk, data_dir),
    ]
    if conn is None:
        return checks + [
            Check(name, "fail", opened) for name in ("database", "search index", "mail", "jobs")
        ]
    configured = model_id_of(config["EMBEDDING_MODEL"], config["SECOND_MODEL"])
    checks += [
        _guarded("database", maintenance.check_database, conn, database),
        _guarded(
            "search index",
            lambda: maintenance.check_index(conn, get_index().status(conn), configured),
        ),
        _guarded("mail", maintenance.check_outbox, conn, config.get("SMTP_HOST")),
        _guarded("jobs", maintenance.check_jobs, conn),
    ]
    return checks


@ops_cli.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of one line per check.")
def check(as_json):
    """Check the region: database, search index, data directory, disk, mail, jobs.

    One line per check (OK, WARN or FAIL); exits with 1 when a check fails.
    """
    checks = run_checks()
    failed = [c for c in checks if c.status == "fail"]
    warned = [c for c in checks if c.status == "warn"]
    if as_json:
        click.echo(json.dumps({"ok": not failed, "checks": [c.as_json() for c in checks]}))
    else:
        for c in checks:
            click.echo(f"{LABELS[c.status]:<5} {c.name}: {c.message}")
        if failed:
            click.echo(f"{len(failed)} of {len(checks)} checks failed, {len(warned)} warnings.")
        else:
            click.echo(f"All {len(checks)} checks passed, {len(warned)} warnings.")
    if failed:
        sys.exit(1)


@ops_cli.command("retry-mail")
def retry_mail():
    """Send the mails that failed before at the next jobs run, instead of after the backoff."""
    count = maintenance.retry_mail(get_db().conn)
    click.echo(f"{count} mails will be tried again at the next jobs run (within 5 minutes).")
