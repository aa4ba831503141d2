"""Command-line tools registered on `flask --app webapp ...`: each a thin wrapper over the
domain or store function of the same name, so the CLI and the web pages apply the same rules."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext

from .domain import export
from .domain.analysis import draft_key
from .domain.authoring import MAX_ARTICLE_CHARS, import_case_study, slugify
from .domain.checking import SOLUTION_POLICIES
from .domain.content import ContentError, load_catalog
from .domain.roster import RosterError, parse_roster
from .domain.textfiles import NotText, decode_text
from .store import attempts, case_studies, classes, schema
from .store.accounts import EmailTaken
from .store.db import get_db
from .web import auth, classroom
from .web.catalog import forget_stored_lessons, get_catalog


def fail(message: str):
    raise click.ClickException(message)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (also done automatically at start)."""
    schema.init_db(current_app.config["DATABASE"])
    click.echo(f"Database ready at {current_app.config['DATABASE']}")


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
        fail(str(exc))
    except EmailTaken:
        fail(f"An instructor with the email {email.strip().lower()} already exists.")
    click.echo(f"Created instructor {instructor['email']}.")


def instructor_by_email(email: str) -> dict:
    instructor = auth.find_instructor(get_db(), email)
    if instructor is None:
        fail(f"No instructor has the email {email!r}: create one with create-instructor.")
    return instructor


def class_by_code(code: str) -> dict:
    klass = classes.find_class(get_db(), code)
    if klass is None:
        fail(f"No class has the join code {code!r}.")
    return klass


@click.command("create-class")
@with_appcontext
@click.option("--instructor", "email", required=True, help="The email of the instructor who runs the class.")
@click.option("--title", required=True, help="The class's name, as students and exports show it.")
@click.option("--attempts", type=click.IntRange(1, 100), help="Attempts allowed per exercise (default: unlimited).")
@click.option("--solutions", type=click.Choice(SOLUTION_POLICIES), default="after-finishing", show_default=True,
              help="When students see an exercise's solution.")
@click.option("--counting", type=click.Choice(classes.COUNTING_RULES), default="best", show_default=True,
              help="Which attempt counts: the best or the last.")
@click.option("--closed", is_flag=True, help="Create the class closed for joining.")
@click.option("--lessons", help="Comma-separated lesson slugs to assign (default: the built-in lessons).")
def create_class_command(email, title, attempts, solutions, counting, closed, lessons):
    """Create a class; the last line of the output is its join code."""
    instructor = instructor_by_email(email)
    if not title.strip() or len(title) > 120:
        fail("The title must not be empty, and at most 120 characters.")
    exercise_ids = None
    if lessons is not None:
        try:
            exercise_ids = classroom.lesson_exercise_ids(
                instructor["id"], [slug.strip() for slug in lessons.split(",") if slug.strip()])
        except ValueError as exc:
            fail(str(exc))
    klass = classroom.create_class(get_db(), instructor["id"], title.strip(), exercise_ids, attempts_allowed=attempts,
                                   solutions=solutions, counting=counting, open_for_joining=not closed)
    click.echo(f"Created class {klass['title']!r} for {instructor['email']}. Students join at /join with the code:")
    click.echo(klass["code"])


@click.command("delete-class")
@with_appcontext
@click.argument("code")
@click.option("--yes", is_flag=True, help="Delete without asking.")
def delete_class_command(code, yes):
    """Delete the class with join code CODE, its roster and all of its students' work."""
    klass = class_by_code(code)
    if not yes:
        click.confirm(f"Delete {klass['title']!r} and all of its students' work for good?", abort=True)
    classes.delete_class(get_db(), klass["id"])
    click.echo(f"Deleted class {klass['title']!r} ({klass['code']}).")


@click.command("import-roster")
@with_appcontext
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_roster_command(code, file):
    """Import a roster CSV into the class with join code CODE (the same import as the dashboard's)."""
    klass = class_by_code(code)
    try:
        entries = parse_roster(file.read_bytes())
    except RosterError as exc:
        fail("The roster was not imported.\n" + "\n".join(exc.problems))
    except OSError as exc:
        fail(f"{file}: {exc.strerror}")
    click.echo(classes.import_roster(get_db(), klass["id"], entries).summary())


@click.command("import-case-study")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--instructor", "email", required=True, help="The email of the teacher who will own it.")
def import_case_study_command(file, email):
    """Add a case study from a lesson Markdown FILE whose front matter names its article and key
    files (paths relative to FILE), validated like the built-in lesson; prints its slug last."""
    instructor = instructor_by_email(email)
    db = get_db()
    taken = set(get_catalog().lessons)
    try:
        study = import_case_study(file, lambda slug: slug in taken or case_studies.slug_taken(db, slug),
                                  MAX_ARTICLE_CHARS)
    except ContentError as exc:
        fail("The case study was not imported.\n" + "\n".join(str(problem) for problem in exc.problems))
    case_studies.add_case_study(db, slug=study.slug, title=study.lesson.title, instructor_id=instructor["id"],
                                article=study.article, key_yaml=study.key_yaml, lesson_md=study.lesson_md)
    forget_stored_lessons()
    click.echo(f"Imported {study.lesson.title!r} for {instructor['email']} with "
               f"{len(study.lesson.exercises)} exercises. Its slug:")
    click.echo(study.slug)


@click.command("export-scores")
@with_appcontext
@click.argument("code")
@click.option("--format", "format_name", type=click.Choice(list(export.FORMATS)), default="csv", show_default=True,
              help="csv: a row per student; json; canvas: a Canvas gradebook import; long: a row per attempt.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def export_scores_command(code, format_name, output):
    """Export the scores of the class with join code CODE."""
    klass = class_by_code(code)
    exercises, rows = classroom.class_scores(get_db(), klass)
    text = export.FORMATS[format_name].render(klass, exercises, rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_bytes(text.encode("utf-8"))
        click.echo(f"Wrote {len(rows)} {'student' if len(rows) == 1 else 'students'} to {output}", err=True)


@click.command("prune")
@with_appcontext
@click.option("--older-than", "days", type=click.IntRange(1, 36500), required=True, metavar="DAYS",
              help="Delete anonymous practice data older than this many days.")
def prune_command(days):
    """Delete anonymous practice attempts and drafts older than DAYS (class work is never pruned)."""
    before = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="milliseconds")
    counts = attempts.prune(get_db(), before)
    click.echo(f"Pruned {counts['attempts']} practice attempts, {counts['drafts']} drafts and "
               f"{counts['finished']} finished marks from before {before[:10]}.")


@click.command("suggest")
@with_appcontext
@click.argument("article", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", help="Lesson slug for the exercise ids (default: from the file name).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Where to write the YAML.")
def suggest_command(article, slug, output):
    """Write a draft answer key for ARTICLE (a .txt or .md file) in the quizzes/ YAML format."""
    path = Path(article)
    try:
        text = decode_text(path.read_bytes(), "article")
    except OSError as exc:
        fail(f"{article}: {exc.strerror}")
    except NotText as exc:
        fail(f"{article}: {exc}")
    if not text.strip():
        fail(f"{article} is empty.")
    root = Path(current_app.config["CONTENT_ROOT"]).resolve()
    shown_path = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else path
    key = draft_key(text, str(shown_path), slug or slugify(path.stem))
    output.write("# Draft key from `flask --app webapp suggest`: review every item before use.\n")
    output.write(yaml.safe_dump(key, allow_unicode=True, sort_keys=False, width=1000))


COMMANDS = (init_db_command, check_content_command, create_instructor_command, create_class_command,
            delete_class_command, import_roster_command, import_case_study_command, export_scores_command,
            prune_command, suggest_command)


def init_app(app):
    for command in COMMANDS:
        app.cli.add_command(command)
