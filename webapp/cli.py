"""Command-line tools registered on `flask --app webapp ...`; thin wrappers over the modules."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext

from .domain import export
from .domain.analysis import draft_key
from .domain.authoring import slugify
from .domain.content import ContentError, load_catalog
from .store.db import get_db
from .web import auth, classroom


@click.command("check-content")
@with_appcontext
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


@click.command("create-instructor")
@with_appcontext
@click.argument("email")
def create_instructor_command(email):
    """Create an instructor account. The password is prompted twice, or read from standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        instructor = auth.create_instructor(get_db(), email, password)
    except auth.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created instructor {instructor['email']}.")


@click.command("create-class")
@with_appcontext
@click.option("--instructor", "email", required=True, help="The email of the instructor who runs the class.")
@click.option("--title", required=True, help="The class's name, as students and exports show it.")
def create_class_command(email, title):
    """Create a class; the last line of the output is its join code."""
    db = get_db()
    instructor = auth.find_instructor(db, email)
    if instructor is None:
        raise click.ClickException(f"No instructor has the email {email!r}: create one with create-instructor.")
    if not title.strip():
        raise click.ClickException("The title must not be empty.")
    klass = classroom.create_class(db, instructor["id"], title.strip())
    click.echo(f"Created class {klass['title']!r} for {instructor['email']}. Students join at /join with the code:")
    click.echo(klass["code"])


@click.command("export-scores")
@with_appcontext
@click.argument("code")
@click.option("--format", "format_name", type=click.Choice(list(export.FORMATS)), default="csv", show_default=True,
              help="csv: a row per student; json; canvas: a Canvas gradebook import; long: a row per attempt.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def export_scores_command(code, format_name, output):
    """Export the scores of the class with join code CODE."""
    db = get_db()
    klass = classroom.find_class(db, code)
    if klass is None:
        raise click.ClickException(f"No class has the join code {code!r}.")
    exercises, rows = classroom.class_scores(db, klass)
    text = export.FORMATS[format_name].render(klass, exercises, rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_bytes(text.encode("utf-8"))
        click.echo(f"Wrote {len(rows)} student(s) to {output}", err=True)


@click.command("suggest")
@with_appcontext
@click.argument("article", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", help="Lesson slug for the exercise ids (default: from the file name).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Where to write the YAML.")
def suggest_command(article, slug, output):
    """Write a draft answer key for ARTICLE (a .txt or .md file) in the quizzes/ YAML format."""
    path = Path(article)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{article}: cannot read it as UTF-8 text ({exc})") from None
    if not text.strip():
        raise click.ClickException(f"{article} is empty.")
    root = Path(current_app.config["CONTENT_ROOT"]).resolve()
    shown_path = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else path
    key = draft_key(text, str(shown_path), slug or slugify(path.stem))
    output.write("# Draft key from `flask --app webapp suggest`: review every item before use.\n")
    output.write(yaml.safe_dump(key, allow_unicode=True, sort_keys=False, width=1000))


def init_app(app):
    app.cli.add_command(check_content_command)
    app.cli.add_command(create_instructor_command)
    app.cli.add_command(create_class_command)
    app.cli.add_command(export_scores_command)
    app.cli.add_command(suggest_command)
