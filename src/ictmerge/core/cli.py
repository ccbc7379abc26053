"""Core commands: serve, migrate, worker, users, jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ictmerge.core.commands import console, fail

user_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)
job_app = typer.Typer(help="Background jobs.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Web worker processes.")] = 2,
    dev: Annotated[bool, typer.Option(
        "--dev", help="Development: Django's debug pages (paths, settings, URL patterns); "
                      "never on an address others can reach.")] = False,
) -> None:
    """Serve the web UI and the API (gunicorn, static files by WhiteNoise), DEBUG off
    whatever the settings or the environment say, unless --dev."""
    environment = {**os.environ, "DEBUG": "true" if dev else "false"}
    console.print(f"Serving ictmerge on http://{host}:{port}/" + (" (debug pages on)" if dev else ""))
    command = [sys.executable, "-m", "gunicorn", "ictmerge.wsgi:application",
               "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
               # Idle connections kept longer than a person's pause between clicks: with
               # gunicorn's 2 s a browser or proxy reusing one races its close (reset).
               "--keep-alive", "75", "--access-logfile", "-"]
    os.execvpe(command[0], command, environment)  # nosec B606 # gunicorn of this venv, fixed arguments


def migrate() -> None:
    """Create or update the database tables."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


def worker(
    max_tasks: Annotated[int | None, typer.Option(help="Stop after this many jobs.")] = None,
    batch: Annotated[bool, typer.Option(help="Run the queued jobs, then stop.")] = False,
    check_every: Annotated[int, typer.Option(
        help="Run the periodic checks (e.g. the handover on the reform date) at start and "
             "then every so many seconds; 0 runs them only at start.")] = 3600,
) -> None:
    """Run background jobs (imports, plans, reports) as they are queued; any number of
    workers, on one or several machines, may share one PostgreSQL database."""
    from django.core.management import call_command

    from ictmerge.core.jobs import LEASE_SECONDS, fail_abandoned_jobs, run_periodic_checks

    abandoned = fail_abandoned_jobs()
    if abandoned:
        console.print(f"{abandoned} job(s) whose worker died are marked failed.")
    run_periodic_checks()
    if check_every > 0 and not batch:
        _repeat_in_background(run_periodic_checks, check_every)
    if not batch:  # a worker on another machine may die while this one runs
        _repeat_in_background(fail_abandoned_jobs, LEASE_SECONDS / 2)
    options: dict[str, object] = {"interval": 1.0, "no_startup_delay": True}
    if max_tasks is not None:
        options["max_tasks"] = max_tasks
    if batch:
        options["batch"] = True
    call_command("db_worker", **options)


def _repeat_in_background(function: Callable[[], object], seconds: float) -> threading.Event:
    """Call the function every so many seconds in a daemon thread; set the event to stop."""
    from django.db import connections

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            function()
            connections.close_all()  # this thread's connections, not the worker's

    threading.Thread(target=loop, name="ictmerge-periodic-checks", daemon=True).start()
    return stop


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="auditor, county_lead, steward or viewer.")],
    municipality: Annotated[
        str | None, typer.Option(help="Municipality code (not for an auditor).")
    ] = None,
    reform: Annotated[str | None, typer.Option(help="Reform code, when codes repeat.")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password (default: generated and printed).")
    ] = None,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    superuser: Annotated[bool, typer.Option(help="Also an administrator.")] = False,
) -> None:
    """Create a user with a role over a municipality."""
    from ictmerge.core.services import UserError, create_user

    try:
        user, secret = create_user(username, role, municipality, reform=reform,
                                   password=password, email=email, superuser=superuser)
    except UserError as error:
        fail(str(error))
        return
    console.print(f"Created user [bold]{user.username}[/] ({role}).")
    if password is None:
        console.print(f"Password: [bold]{secret}[/]")


@user_app.command("demo-logins")
def user_demo_logins() -> None:
    """Create (or reset) the demo logins and print them."""
    from ictmerge.core.services import ensure_demo_logins

    for username, password, description in ensure_demo_logins():
        console.print(f"Login [bold]{username}[/] / password [bold]{password}[/]: {description}")


@user_app.command("list")
def user_list() -> None:
    """List users and their roles."""
    from django.contrib.auth import get_user_model
    from rich.table import Table

    table = Table("user", "role", "municipality", "administrator")
    for user in get_user_model().objects.select_related("membership__municipality").order_by(
        "username"
    ):
        membership = getattr(user, "membership", None)
        table.add_row(user.username, membership.role if membership else "",
                      str(membership.municipality or "") if membership else "",
                      "yes" if user.is_superuser else "")
    console.print(table)


@job_app.command("list")
def job_list() -> None:
    """List recent jobs."""
    from rich.table import Table

    from ictmerge.core.models import Job

    table = Table("id", "kind", "title", "status", "progress")
    for job in Job.objects.all()[:50]:
        table.add_row(str(job.pk), job.kind, job.title, job.status, f"{job.progress}%")
    console.print(table)


def _job_json(job: Any) -> dict[str, Any]:
    from ictmerge.core.jobs import read_live_progress

    progress, _messages = read_live_progress(job)
    return {"id": job.pk, "kind": job.kind, "title": job.title, "status": job.status,
            "progress": progress, "error": job.error, "attempts": job.attempts,
            "worker": f"{job.worker_host}:{job.worker_pid}" if job.worker_pid else "",
            "result": job.result,
            "parts": [{"id": part.pk, "title": part.title, "status": part.status,
                       "progress": part.progress, "attempts": part.attempts,
                       "worker": f"{part.worker_host}:{part.worker_pid}" if part.worker_pid else ""}
                      for part in job.children.order_by("pk")]}


@job_app.command("show")
def job_show(
    job_id: Annotated[int, typer.Argument(help="Job id.")],
    wait: Annotated[float, typer.Option(
        help="Wait up to so many seconds for the job to end (0: do not wait).")] = 0,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """A job, its parts (one per county of a fan-out job) and the worker of each; exits 1
    when the job failed (or did not end within --wait)."""
    import json
    import time

    from rich.table import Table

    from ictmerge.core.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        fail(f"no job {job_id}")
        return
    deadline = time.monotonic() + wait
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(1)
        job.refresh_from_db()
    data = _job_json(job)
    if format == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        console.print(f"Job {job.pk} {job.title}: {job.status}, {data['progress']}%")
        if data["parts"]:
            table = Table("id", "part", "status", "progress", "attempts", "worker")
            for part in data["parts"]:
                table.add_row(str(part["id"]), part["title"], part["status"],
                              f"{part['progress']}%", str(part["attempts"]), part["worker"])
            console.print(table)
        if job.error:
            console.print(job.error, highlight=False)
    if job.status != "succeeded":
        raise typer.Exit(1)


@job_app.command("retry")
def job_retry(job_id: Annotated[int, typer.Argument(help="Job id.")]) -> None:
    """Queue a failed job again."""
    from ictmerge.core.jobs import retry_job
    from ictmerge.core.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        fail(f"no job {job_id}")
        return
    if job.status != "failed":
        fail(f"job {job_id} is {job.status}; only failed jobs are retried")
    retry_job(job)
    console.print(f"Job {job_id} queued again.")


def backup(
    file: Annotated[Path, typer.Argument(help="Backup file to write (.tar.gz).")],
) -> None:
    """Back up the database and the uploaded proof documents into one file."""
    from ictmerge.core.backup import create_backup

    summary = create_backup(file)
    console.print(f"Backed up {sum(summary.records.values()):,} records and {summary.files} "
                  f"file(s) to {summary.path}.")


def restore(
    file: Annotated[Path, typer.Argument(help="Backup file made by `ictmerge backup`.",
                                         exists=True, dir_okay=False)],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the current data.")] = False,
) -> None:
    """Replace the database and uploaded files with a backup's (checked before anything changes)."""
    from ictmerge.core.backup import BackupError, read_backup, restore_backup

    try:
        manifest, _data, _media = read_backup(file)
    except BackupError as error:
        fail(str(error))
        return
    if not yes:
        fail(f"{file} holds {sum(manifest['records'].values()):,} records; restoring replaces "
             "everything in this database. Run again with --yes.")
    try:
        summary = restore_backup(file)
    except BackupError as error:
        fail(str(error))
        return
    console.print(f"Restored {sum(summary.records.values()):,} records and {summary.files} "
                  f"file(s) from {file}.")


def check_deploy() -> None:
    """Run Django's deployment checks with the production settings."""
    result = subprocess.run(  # nosec B603 # this Python, fixed arguments, no shell
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ictmerge.settings.production"},
        check=False,
    )
    raise typer.Exit(result.returncode)


def glossary(
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: Annotated[str, typer.Option(help="Language: lv or en.")] = "lv",
) -> None:
    """The glossary of figures: each figure's name, definition, unit and the one function
    that computes it (also the /glossary/ page and GET /api/glossary/)."""
    import json

    from django.utils import translation
    from rich.table import Table

    from ictmerge.core.glossary import glossary_json

    if format not in ("table", "json"):
        fail("--format is table or json")
    with translation.override(lang):
        entries = glossary_json()
    if format == "json":
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    table = Table("key", "name", "unit", "definition", "function")
    for item in entries:
        table.add_row(item["key"], item["name"], item["unit"], item["definition"],
                      item["function"])
    console.print(table)


COMMANDS = {"user": user_app, "job": job_app}
TOP_LEVEL = (serve, migrate, worker, backup, restore, glossary)
