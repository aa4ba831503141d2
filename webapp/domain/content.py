"""Load and validate lessons (Markdown + front matter) and answer keys / quizzes (YAML).

Pure module (no Flask). Every problem is reported as a `Problem` naming the file, the line and
the item, and all problems of a load are collected before `ContentError` is raised, so a teacher
fixing a key sees the whole list at once. Each exercise's kind reads its own part of a key
(`kinds/`). The formats are documented in `quizzes/README.md` and `lessons/README.md`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import kinds
from .article import Article
from .model import ID_RE, STATUSES, ContentError, Exercise, KeyItem, Option, Problem, Question, text_field

__all__ = ["STATUSES", "ContentError", "Exercise", "KeyItem", "Option", "Problem", "Question", "text_field"]

TEACHER_NOTES = "teacher notes"


@dataclass
class Section:
    title: str
    markdown: str

    @property
    def for_teachers(self) -> bool:
        return self.title.strip().lower() == TEACHER_NOTES


@dataclass
class Lesson:
    slug: str
    title: str
    objectives: list[str]
    article_path: str
    transfer_article_path: str | None
    flow: list[str]
    sections: list[Section]
    source: str
    quiz_files: list[str] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    owner_id: int | None = None  # set for lessons an instructor created in the app
    case_study_id: int | None = None  # their row in the store

    @property
    def teaching_sections(self) -> list[Section]:
        return [s for s in self.sections if not s.for_teachers]

    @property
    def teacher_notes(self) -> Section | None:
        return next((s for s in self.sections if s.for_teachers), None)

    def role_of(self, exercise: Exercise) -> str:
        """'case-study' or 'transfer', by the article the exercise marks up."""
        if exercise.article_path and exercise.article_path == self.transfer_article_path:
            return "transfer"
        return "case-study"


@dataclass
class Catalog:
    lessons: dict[str, Lesson] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)


# --- YAML with line numbers -------------------------------------------------------------------


# libyaml's parser where PyYAML was built with it: the pure-Python one took 2.4 s for a key of
# 500 items, which every worker parses when a teacher saves a case study (bench/casestudy_save.py).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(SafeLoader):
    """A safe loader that remembers the line of every mapping as `__line__`."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _load_yaml(text: str, source: str, problems: list[Problem]):
    try:
        # _LineLoader is a SafeLoader subclass (bandit B506 reviewed).
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(source, line, f"invalid YAML: {reason}"))
        return None
    except RecursionError:  # PyYAML composes nested collections recursively
        problems.append(Problem(source, None, "invalid YAML: nested too deeply"))
        return None


# --- answer keys and quizzes ------------------------------------------------------------------


class ArticleStore:
    """Reads and segments each article once; paths are relative to the content root.

    Without a root (a case study stored in the database) only the `extra` articles exist: a
    stored key can name its own article and nothing on the server's disk.
    """

    def __init__(self, root: Path | None, extra: dict[str, str] | None = None):
        self.root = root
        self.extra = extra or {}  # articles stored elsewhere (the database), by pseudo-path
        self._cache: dict[str, Article] = {}

    def get(self, path: str) -> Article:
        if path not in self._cache:
            if path in self.extra:
                raw = self.extra[path]
            elif self.root is None:
                raise ValueError(f"article path {path!r} is not this case study's own article")
            else:
                full = (self.root / path).resolve()
                if self.root.resolve() not in full.parents:
                    raise ValueError(f"article path {path!r} leaves the content folder")
                raw = full.read_text(encoding="utf-8")
            self._cache[path] = Article(raw)
        return self._cache[path]


def parse_quiz_file(text: str, source: str, articles: ArticleStore) -> list[Exercise]:
    """Parse one quizzes/*.yaml text; raise ContentError listing every problem found."""
    problems: list[Problem] = []
    data = _load_yaml(text, source, problems)
    if not problems and not isinstance(data, dict):
        problems.append(Problem(source, 1, "expected a mapping with 'article' and 'exercises'"))
    if problems:
        raise ContentError(problems)
    article_path = data.get("article")
    article = None
    if article_path is not None:
        try:
            article = articles.get(str(article_path))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            problems.append(Problem(source, data["__line__"], f"article {article_path!r}: {exc}"))
    raw_exercises = data.get("exercises")
    if not isinstance(raw_exercises, list) or not raw_exercises:
        problems.append(Problem(source, data["__line__"], "missing 'exercises' (a list)"))
        raw_exercises = []
    exercises = []
    for raw in raw_exercises:
        exercise = _parse_exercise(raw, source, article_path, article, problems)
        if exercise:
            exercises.append(exercise)
    if problems:
        raise ContentError(problems)
    return exercises


def _parse_exercise(raw, source, article_path, article, problems) -> Exercise | None:
    if not isinstance(raw, dict):
        problems.append(Problem(source, None, "each exercise must be a mapping"))
        return None
    line = raw["__line__"]
    ex_id = raw.get("id")
    if not isinstance(ex_id, str) or not ID_RE.match(ex_id):
        problems.append(Problem(source, line, f"exercise id {ex_id!r}: use lowercase letters, digits and '-'"))
        return None
    where = f"exercise {ex_id}"
    plugin = kinds.get(raw.get("kind")) if isinstance(raw.get("kind"), str) else None
    if plugin is None:
        problems.append(Problem(
            source, line, f"{where}: unknown kind {raw.get('kind')!r} (expected one of {', '.join(kinds.KINDS)})"
        ))
        return None
    exercise = Exercise(
        id=ex_id,
        plugin=plugin,
        title=text_field(raw, "title", source, where, problems),
        instructions=text_field(raw, "instructions", source, where, problems),
        source=source,
    )
    if plugin.needs_article:
        if article is None:
            if article_path is None:
                problems.append(Problem(source, line, f"{where}: a {plugin.name} exercise needs the file's 'article'"))
            return None
        exercise.article_path, exercise.article = str(article_path), article
    plugin.parse_key(raw, exercise, source, where, problems)
    return exercise


# --- lessons ----------------------------------------------------------------------------------

FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)


def parse_lesson(text: str, source: str) -> Lesson:
    problems: list[Problem] = []
    match = FRONT_MATTER_RE.match(text.replace("\r\n", "\n"))
    if not match:
        raise ContentError([Problem(source, 1, "missing front matter between '---' lines")])
    meta = _load_yaml(match.group(1), source, problems)
    if problems:
        raise ContentError(problems)
    if not isinstance(meta, dict):
        raise ContentError([Problem(source, 1, "front matter must be a mapping")])
    slug = meta.get("slug")
    if not isinstance(slug, str) or not ID_RE.match(slug):
        problems.append(Problem(source, 2, f"slug {slug!r}: use lowercase letters, digits and '-'"))
    title = text_field(meta, "title", source, "front matter", problems)
    article = text_field(meta, "article", source, "front matter", problems)
    lists = {}
    for name in ("objectives", "quizzes", "flow"):
        value = meta.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            problems.append(Problem(source, 1, f"front matter: '{name}' must be a list of texts"))
            value = []
        lists[name] = value
    body_start = text[: match.end()].count("\n")
    sections = _split_sections(text.replace("\r\n", "\n")[match.end():])
    if not sections:
        problems.append(Problem(source, body_start + 1, "the lesson has no '## ' sections of teaching text"))
    if problems:
        raise ContentError(problems)
    lesson = Lesson(
        slug=slug, title=title, objectives=lists["objectives"], article_path=article,
        transfer_article_path=meta.get("transfer_article"), flow=lists["flow"],
        sections=sections, source=source, quiz_files=lists["quizzes"],
    )
    return lesson


def _split_sections(body: str) -> list[Section]:
    sections = []
    for chunk in re.split(r"^## +", body, flags=re.M)[1:]:
        title, _, markdown = chunk.partition("\n")
        sections.append(Section(title.strip(), markdown.strip()))
    return sections


def assemble(lesson: Lesson, exercises_by_id: dict[str, Exercise]) -> list[Problem]:
    """Attach the lesson's exercises in flow order; report ids that do not resolve."""
    problems = []
    lesson.exercises = []
    for ex_id in lesson.flow:
        exercise = exercises_by_id.get(ex_id)
        if exercise is None:
            problems.append(Problem(lesson.source, None, f"flow names exercise {ex_id!r}, which no quiz file defines"))
            continue
        exercise.lesson = lesson.slug
        lesson.exercises.append(exercise)
    return problems


def load_catalog(root: Path) -> Catalog:
    """Load every lesson under root/lessons with the quiz files it names; validate all of it."""
    root = Path(root)
    problems: list[Problem] = []
    catalog = Catalog()
    articles = ArticleStore(root)
    parsed_files: dict[str, list[Exercise]] = {}
    lesson_files = sorted((root / "lessons").glob("*.md"))
    lesson_files = [p for p in lesson_files if p.name.lower() != "readme.md"]
    if not lesson_files:
        problems.append(Problem("lessons/", None, "no lessons found"))
    for path in lesson_files:
        source = str(path.relative_to(root))
        try:
            lesson = parse_lesson(path.read_text(encoding="utf-8"), source)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if lesson.slug in catalog.lessons:
            problems.append(Problem(source, 2, f"slug {lesson.slug!r} is used by another lesson"))
            continue
        exercises = {}
        for name in lesson.quiz_files:
            quiz_source = f"quizzes/{name}"
            if quiz_source not in parsed_files:
                try:
                    text = (root / quiz_source).read_text(encoding="utf-8")
                    parsed_files[quiz_source] = parse_quiz_file(text, quiz_source, articles)
                except OSError as exc:
                    problems.append(Problem(source, None, f"quiz file {name!r}: {exc.strerror}"))
                    parsed_files[quiz_source] = []
                except ContentError as exc:
                    problems.extend(exc.problems)
                    parsed_files[quiz_source] = []
            exercises.update({ex.id: ex for ex in parsed_files[quiz_source]})
        problems.extend(add_lesson(catalog, lesson, exercises))
    if problems:
        raise ContentError(problems)
    return catalog


def add_lesson(catalog: Catalog, lesson: Lesson, exercises: dict[str, Exercise]) -> list[Problem]:
    problems = assemble(lesson, exercises)
    for exercise in lesson.exercises:
        if exercise.id in catalog.exercises:
            problems.append(Problem(exercise.source, None, f"exercise id {exercise.id!r} is used twice"))
    if not problems:
        catalog.lessons[lesson.slug] = lesson
        catalog.exercises.update({ex.id: ex for ex in lesson.exercises})
    return problems
