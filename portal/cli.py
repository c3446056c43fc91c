"""Command line: ``flask --app wsgi users|cases|search|index|kennisbank|demo ...``.

These commands are a contract other tools rely on: keep names, options and output stable.
"""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

import privacy
from index import stored_model
from index.evaluate import DEFAULT_SET, evaluate, format_report
from privacy.evaluate import evaluate as evaluate_privacy

from . import demo
from .accounts import gdpr
from .accounts import users as accounts
from .db import configured_index, get_db, get_index
from .insights import themes
from .kennisbank import store
from .notifications import jobs
from .questions import cases, importer
from .questions.suggest import suggest
from .settings import ROOT

users_cli = AppGroup("users", help="Manage accounts.")
cases_cli = AppGroup("cases", help="Import resolved cases.")
index_cli = AppGroup("index", help="Build and inspect the search index.")
kennisbank_cli = AppGroup("kennisbank", help="Knowledge dossiers.")
demo_cli = AppGroup("demo", help="The demo region.")
privacy_cli = AppGroup("privacy", help="The privacy guard and de-identification.")
jobs_cli = AppGroup("jobs", help="Escalation, reminders, digests and mail (run by a timer).")
insights_cli = AppGroup("insights", help="The working group's insight page.")


@jobs_cli.command("run")
def jobs_run():
    """Run every job once; safe to run often and from several processes."""
    result = jobs.run(get_db(), get_index())
    click.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class _Progress:
    """A progress bar on a terminal, silence elsewhere."""

    def __init__(self, total: int, label: str):
        self.bar = None
        if sys.stderr.isatty() and total:
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()

    def __call__(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar:
            self.bar.__exit__(None, None, None)


# ---- users --------------------------------------------------------------------------------


@users_cli.command("create-coordinator")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.password_option(
    "--password", envvar="PORTAL_BOOTSTRAP_PASSWORD", help="Asked for when not given."
)
def create_coordinator(email, name, password):
    """Create the first coordinator account of a region."""
    try:
        user_id = accounts.create_user(get_db(), email, name, "coordinator", password=password)
    except accounts.AccountError as exc:
        _fail(str(exc))
    click.echo(f"Created coordinator {email} (id {user_id}).")


@users_cli.command("invite")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["teacher", "expert", "parent", "coordinator"]), required=True
)
@click.option("--school", default=None, help="School name (required for teacher and expert).")
@click.option("--name", default="")
def invite(email, role, school, name):
    """Invite someone; print the one-time link that sets her password."""
    db = get_db()
    school_id = None
    if school:
        match = [s for s in accounts.list_schools(db) if s["name"].lower() == school.lower()]
        if not match:
            known = ", ".join(s["name"] for s in accounts.list_schools(db)) or "none"
            _fail(f"no school named {school!r}; known: {known}")
        school_id = match[0]["id"]
    try:
        token = accounts.create_invitation(db, email, role, school_id, None, name)
    except accounts.AccountError as exc:
        _fail(str(exc))
    base = current_app.config["BASE_URL"].rstrip("/")
    click.echo(f"{base}/uitnodiging/{token}")


# ---- cases --------------------------------------------------------------------------------


@cases_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--replace-personal-data",
    "replace",
    is_flag=True,
    help="Replace what the privacy guard finds by placeholders such as [leerling].",
)
@click.option(
    "--allow-personal-data",
    "allow_found",
    is_flag=True,
    help="Import even where the privacy guard finds something (false alarms).",
)
def import_cases(file, replace, allow_found):
    """Import resolved cases from a JSONL file (all lines or none)."""
    try:
        parsed = importer.parse_import(file)
    except importer.ImportError_ as exc:
        _fail(f"{file.name}: {exc}; nothing was imported")
    schools = region_schools()
    found = importer.privacy_findings(parsed, schools)
    if found and replace:
        parsed = importer.scrub_cases(parsed, schools)
        click.echo(f"Replaced {len(found)} privacy findings by placeholders.")
    elif found and not allow_found:
        for line, field, f in found[:50]:
            click.echo(f"{file.name}: case {line}, {field}: {f.kind} {f.text!r}", err=True)
        _fail(
            f"{file.name}: {len(found)} places could identify a pupil or family; nothing was "
            "imported. Fix them, or use --replace-personal-data or --allow-personal-data"
        )
    progress = _Progress(len(parsed), "embedding")
    try:
        result = importer.import_cases(get_db(), get_index(), parsed, progress)
    finally:
        progress.close()
    if get_index().calibration_stale(get_db().conn):
        get_index().calibrate(get_db().conn)
    get_index().save(get_db().conn)
    click.echo(
        f"Imported {result['imported']} cases, skipped {result['skipped']} already present "
        f"(of {len(parsed)} in {file.name})."
    )


# ---- insights -----------------------------------------------------------------------------


@insights_cli.command("refresh")
@with_appcontext
def insights_refresh():
    """Embed new questions and find the themes now (`jobs run` does it when enough changed)."""
    db = get_db()
    embedded = themes.refresh_vectors(db, get_index())
    found = themes.compute(db, get_index())
    click.echo(
        f"Embedded {embedded} questions; {len(found['themes'])} themes in "
        f"{found['questions']} questions."
    )
    for t in found["themes"]:
        click.echo(f"{t['size']:5}  {t['covered_share']:4.0%} covered  {', '.join(t['words'])}")


# ---- search -------------------------------------------------------------------------------


@click.command("search")
@with_appcontext
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one list of hits per query).")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--kind", type=click.Choice(["case", "dossier"]), default=None)
@click.option("--queries", type=click.File("r", encoding="utf-8"), help="One query per line.")
@click.option(
    "--shown",
    is_flag=True,
    help="Print exactly what the ask page shows for the text: cases, then dossier sections.",
)
def search(text, as_json, k, kind, queries, shown):
    """Search resolved cases and dossier sections; every hit carries its band."""
    if (text is None) == (queries is None):
        _fail("give either TEXT or --queries FILE")
    db = get_db()
    index = get_index()
    lines = [text] if queries is None else [line.rstrip("\n") for line in queries]
    for line in lines:
        if shown:
            hits = suggest(db, index, line).shown
        else:
            hits = index.search(db.conn, line, k=k, kind=kind)
        if as_json:
            click.echo(json.dumps([h.as_json() for h in hits], ensure_ascii=False))
        else:
            for h in hits:
                band = h.band or "-"
                click.echo(f"{h.score:7.3f}  {band:6}  {h.kind:7}  {h.target:>8}  {h.title}")
            if len(lines) > 1:
                click.echo()


# ---- index --------------------------------------------------------------------------------


@index_cli.command("rebuild")
def index_rebuild():
    """Re-embed every resolved case and dossier section with the configured model.

    The portal keeps serving from the old index until the new one is written whole.
    """
    db = get_db()
    directory = current_app.config["DOSSIER_DIR"]
    docs = cases.all_case_docs(db) + store.section_docs(store.effective(db.conn, directory))
    index = configured_index()
    progress = _Progress(len(docs), "embedding")
    try:
        count = index.replace_all(db.conn, docs, progress)
    finally:
        progress.close()
    store.sync(db.conn, index, directory, force=True)  # records the dossiers' fingerprint
    click.echo(f"Rebuilt the index: {count} documents with {index.embedder.model_id}.")


@index_cli.command("evaluate")
@click.option(
    "--set",
    "set_dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="A directory with queries.jsonl and cases (default: index/eval).",
)
@click.option("--json", "as_json", is_flag=True)
def index_evaluate(set_dir, as_json):
    """Measure each lever, the bands, the dossiers and the query memory on a labelled set."""
    db = get_db()
    dossiers = store.section_docs(store.effective(db.conn, current_app.config["DOSSIER_DIR"]))
    report = evaluate(configured_index().encoders, set_dir or DEFAULT_SET, dossiers)
    click.echo(json.dumps(report) if as_json else format_report(report))


@index_cli.command("status")
@click.option("--json", "as_json", is_flag=True)
def index_status(as_json):
    """Show counts, model, when built, and whether the index matches the database."""
    db = get_db()
    status = get_index().status(db.conn)
    resolved = len(cases.all_case_docs(db))
    configured = configured_index().embedder.model_id
    status["configured_model"] = configured
    status["rebuild_needed"] = stored_model(db.conn) not in (None, configured)
    status["resolved_cases"] = resolved
    status["consistent"] = status["consistent"] and status["documents"]["case"] == resolved
    if as_json:
        click.echo(json.dumps(status))
        return
    click.echo(f"model:       {status['model']}")
    if status["rebuild_needed"]:
        click.echo(
            f"configured:  {configured} - serving from the old index until: "
            "flask --app wsgi index rebuild"
        )
    click.echo(f"built at:    {status['built_at'] or 'never (grown incrementally)'}")
    click.echo(
        f"cases:       {status['documents']['case']} indexed, {resolved} resolved in the database"
    )
    click.echo(f"dossiers:    {status['documents']['dossier']} sections")
    verdict = "yes" if status["consistent"] else "NO - run: flask --app wsgi index rebuild"
    click.echo(f"consistent:  {verdict}")


# ---- kennisbank ---------------------------------------------------------------------------


@kennisbank_cli.command("sync")
def kennisbank_sync():
    """Index the dossier sections that changed on disk."""
    result = store.sync(get_db().conn, get_index(), current_app.config["DOSSIER_DIR"])
    if result is None:
        click.echo("The dossiers did not change since the last sync.")
        return
    click.echo(
        f"{result['documents']} sections: {result['changed']} (re)indexed, "
        f"{result['removed']} removed."
    )


# ---- demo ---------------------------------------------------------------------------------


@demo_cli.command("create")
@click.option("--force", is_flag=True, help="Create even if the database already has accounts.")
def demo_create(force):
    """Create the demo region: schools, an account per role, cases and open questions."""
    db = get_db()
    if not force and list(db.query("SELECT 1 FROM users WHERE system = 0 LIMIT 1")):
        _fail(
            f"{current_app.config['DATABASE']} already has accounts; the demo region goes into "
            "an empty data directory (set PORTAL_DATA_DIR) or use --force"
        )
    result = demo.create(db, get_index(), current_app.config["DEMO_DIR"])
    get_index().calibrate(db.conn)
    get_index().save(db.conn)
    themes.run(db, get_index())
    click.echo(
        f"Demo region created: {result['schools']} schools, {result['users']} accounts, "
        f"{result['cases']} resolved cases, {result['open']} open questions, "
        f"{result['circles']} teacher circles, {result['support']} support requests. "
        f"Password for every demo account: {demo.PASSWORD}"
    )


# ---- privacy ------------------------------------------------------------------------------


def region_schools() -> list[str]:
    return accounts.school_names(get_db())


@privacy_cli.command("scan")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def privacy_scan(as_json):
    """Read text from standard input and print what could identify a pupil or family."""
    text = sys.stdin.read()
    findings = privacy.scan(text, region_schools())
    if as_json:
        click.echo(json.dumps([f.as_json() for f in findings], ensure_ascii=False))
        return
    for f in findings:
        click.echo(f"{f.start:>6}-{f.end:<6} {f.kind:10} {f.text!r} -> {f.replacement}")


@privacy_cli.command("evaluate")
@click.option(
    "--set",
    "set_file",
    type=click.Path(exists=True, dir_okay=False),
    multiple=True,
    help="Labelled JSONL file(s); default: tests/data/privacy/*.jsonl.",
)
@click.option("--json", "as_json", is_flag=True)
def privacy_evaluate(set_file, as_json):
    """Report recall per kind and the false-alarm rate on a labelled set."""
    labelled = ROOT / "tests/data/privacy"
    files = [Path(f) for f in set_file] or sorted(labelled.glob("*.jsonl"))
    schools = region_schools() or [
        line
        for line in (labelled / "schools.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    reports = {f.name: evaluate_privacy(f, schools) for f in files}
    if as_json:
        click.echo(json.dumps(reports))
        return
    for name, report in reports.items():
        click.echo(
            f"{name}: {report['texts']} texts, {report['clean_texts']} without personal data"
        )
        for kind, st in sorted(report["kinds"].items()):
            recall = f"{st['recall']:.3f}" if st["recall"] is not None else "  -  "
            click.echo(
                f"  {kind:10} recall {recall} ({st['found']}/{st['labelled']}), "
                f"false findings {st['false']}"
            )
        click.echo(f"  false alarms on clean texts: {report['false_alarm_rate']:.1%}")
        if report["ages_without_school"]:
            click.echo(
                f"  ages labelled in texts without a school (not counted, see "
                f"privacy/evaluate.py): {report['ages_without_school']}"
            )


@privacy_cli.command("retention")
@click.option(
    "--open-days", type=int, default=None, help="Default: PORTAL_RETENTION_OPEN_DAYS or 365."
)
@click.option(
    "--resolved-days",
    type=int,
    default=None,
    help="Default: PORTAL_RETENTION_RESOLVED_DAYS or 730.",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be de-identified.")
def privacy_retention(open_days, resolved_days, dry_run):
    """De-identify old questions: strip residual names, unlink authors, drop raw threads."""
    config = current_app.config
    open_days = open_days or config["RETENTION_OPEN_DAYS"]
    resolved_days = resolved_days or config["RETENTION_RESOLVED_DAYS"]
    result = gdpr.retention(
        get_db(), get_index(), open_days, resolved_days, region_schools(), dry_run=dry_run
    )
    verb = "Would de-identify" if dry_run else "De-identified"
    click.echo(
        f"{verb} {result['open']} open questions older than {open_days} days and "
        f"{result['resolved']} resolved cases older than {resolved_days} days; "
        f"removed {result['answers_removed']} answers of raw threads."
    )


def init_app(app) -> None:
    from .ops.cli import ops_cli  # backups, restores, checks (portal/ops/)

    for command in (
        users_cli, cases_cli, search, index_cli, kennisbank_cli, demo_cli, privacy_cli, jobs_cli,
        insights_cli,
    ):  # fmt: skip
        app.cli.add_command(command)
    app.cli.add_command(ops_cli)
