"""Command-line tools registered on `flask --app webapp ...`; thin wrappers over the modules."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from .content import ContentError, load_catalog


@click.command("check-content")
def check_content_command():
    """Validate every lesson, answer key and quiz; exit non-zero on any error."""
    try:
        catalog = load_catalog(Path(current_app.config["CONTENT_ROOT"]))
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.exceptions.Exit(1) from None
    for lesson in catalog.lessons.values():
        click.echo(f"{lesson.slug}: {lesson.title}")
        for exercise in lesson.exercises:
            click.echo(f"  {exercise.id} ({exercise.kind}): {exercise.max_points} points")
    click.echo("content OK")


def init_app(app):
    app.cli.add_command(check_content_command)
