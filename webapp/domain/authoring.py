"""Authoring a new case study: from a teacher's reviewed items to a lesson and answer key.

Pure module (no Flask). The output is the same text formats as the built-in content
(lessons/*.md and quizzes/*.yaml), and it is validated by the same parser, so a lesson created
in the app is held to exactly the built-in lesson's standard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .analysis import EXERCISE_SUFFIXES, EXERCISE_TITLES
from .content import ArticleStore, Exercise, Lesson, parse_lesson, parse_quiz_file

TEMPLATE = Path(__file__).resolve().parents[2] / "lessons/templates/new-case-study.md"
MAX_ARTICLE_CHARS = 200_000


@dataclass
class DraftItem:
    text: str
    occurrence: int
    kind: str  # hedge | unsourced | seo_filler
    status: str  # required | acceptable
    explanation: str


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-")
    return slug or "case-study"


def article_path(slug: str) -> str:
    """The pseudo-path under which a stored article is known to the content loader."""
    return f"db:{slug}"


def build_key(slug: str, items: list[DraftItem]) -> str:
    """The quizzes-format YAML for the items, one exercise per kind that has items."""
    exercises = []
    for kind, suffix in EXERCISE_SUFFIXES.items():
        chosen = [item for item in items if item.kind == kind]
        if not chosen:
            continue
        title, instructions = EXERCISE_TITLES[kind]
        exercises.append({
            "id": f"{slug}-{suffix}", "kind": kind, "title": title, "instructions": instructions,
            "items": [
                {"text": item.text, **({"occurrence": item.occurrence} if item.occurrence != 1 else {}),
                 "status": item.status, "explanation": item.explanation}
                for item in chosen
            ],
        })
    return yaml.safe_dump({"article": article_path(slug), "exercises": exercises}, allow_unicode=True,
                          sort_keys=False, width=1000)


def build_lesson(slug: str, title: str, flow: list[str], teacher_notes: str = "") -> str:
    front = {
        "slug": slug, "title": title, "article": article_path(slug),
        "objectives": [
            "Identify hedge words and explain how they change what a sentence claims.",
            "Tell a sourced claim from an unsourced one and say how a reader could check it.",
            "Recognise SEO filler and explain why publishers write it.",
        ],
        "quizzes": [f"{slug}.yaml"], "flow": flow,
    }
    body = TEMPLATE.read_text(encoding="utf-8").strip()
    notes = teacher_notes.strip() or "This case study was written in Spotcheck's case-study editor."
    front_matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{front_matter}---\n\n{body}\n\n## Teacher notes\n\n{notes}\n"


def load_stored_lesson(slug: str, article: str, key_yaml: str, lesson_md: str) -> tuple[Lesson, list[Exercise]]:
    """Parse a stored case study exactly as the built-in ones are parsed (raises ContentError)."""
    store = ArticleStore(Path("."), extra={article_path(slug): article})
    exercises = parse_quiz_file(key_yaml, f"case study {slug!r} key", store)
    lesson = parse_lesson(lesson_md, f"case study {slug!r}")
    for exercise in exercises:
        exercise.source = lesson.source
    return lesson, exercises


def build_case_study(title: str, article: str, items: list[DraftItem], slug: str, teacher_notes: str = ""):
    """Build and validate; return (lesson, exercises, key_yaml, lesson_md) or raise ContentError."""
    key_yaml = build_key(slug, items)
    flow = [f"{slug}-{EXERCISE_SUFFIXES[kind]}" for kind in EXERCISE_SUFFIXES if any(i.kind == kind for i in items)]
    lesson_md = build_lesson(slug, title, flow, teacher_notes)
    lesson, exercises = load_stored_lesson(slug, article, key_yaml, lesson_md)
    return lesson, exercises, key_yaml, lesson_md
