"""Authoring a new case study: from a teacher's reviewed items to a lesson and answer key.

Pure module (no Flask). The output is the same text formats as the built-in content
(lessons/*.md and quizzes/*.yaml), and it is validated by the same parser, so a lesson created
in the app is held to exactly the built-in lesson's standard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .analysis import EXERCISE_SUFFIXES, EXERCISE_TITLES
from .article import Article, canonical_text
from .content import (
    FRONT_MATTER_RE,
    ArticleStore,
    ContentError,
    Exercise,
    Lesson,
    Problem,
    SafeLoader,
    assemble,
    parse_lesson,
    parse_quiz_file,
)
from .textfiles import NotText, decode_text

TEMPLATE = Path(__file__).resolve().parents[2] / "lessons/templates/new-case-study.md"
MAX_ARTICLE_CHARS = 200_000
# libyaml's emitter where PyYAML has it, as content.SafeLoader: the pure-Python one took half a
# second to write the key of a case study of 500 items.
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class DraftItem:
    text: str
    occurrence: int
    kind: str  # hedge | unsourced | seo_filler
    status: str  # required | acceptable
    explanation: str


# Whole-sentence kinds: an item of these kinds is a sentence, however little of it was selected.
SENTENCE_KINDS = {"unsourced", "seo_filler"}
HEDGE_MAX_WORDS = 8  # "it is widely believed that" is five; a whole sentence is a slip of the mouse
# Words that point at a source without naming it ("experts say", "research shows").
VAGUE_SOURCES = re.compile(r"\b(experts?|critics|insiders|sources|studies|study|research|analysis|reports?|surveys?|"
                           r"officials|observers|analysts|scientists|many people|some people)\b", re.I)
SELF_PROMOTION = re.compile(r"\b(we|our|us)\b", re.I)


def quoted(text: str, limit: int = 60) -> str:
    words = " ".join(text.split())
    return f"“{words if len(words) <= limit else words[:limit - 1].rstrip() + '…'}”"


def explanation_draft(kind: str, text: str) -> str:
    """A first explanation of an item for students, in plain words, from its kind and its text;
    every sentence of it is true of any item of that kind, so the teacher can keep or sharpen it."""
    if kind == "hedge":
        return (f"{quoted(text)} makes this sound less certain than a fact. The writer does not say how sure "
                "anyone really is, or why.")
    if kind == "unsourced":
        vague = VAGUE_SOURCES.search(text)
        named = f" It mentions {quoted(vague.group())} but does not say who or where." if vague else ""
        return ("This sentence states something as true but does not say who says so or where the evidence is, "
                f"so you cannot check it.{named}")
    if kind == "seo_filler":
        about_site = " It talks about the website itself, not the news." if SELF_PROMOTION.search(text) else ""
        return ("This sentence tells you nothing new about the story. It is there to fill the page, repeat words "
                f"people search for, or keep you reading.{about_site}")
    raise ValueError(f"unknown kind {kind!r}")


def pin_to_article(article: Article, item: DraftItem) -> DraftItem:
    """The item with the article's own text and occurrence. A browser sends a sentence of a
    hard-wrapped article with CRLF line breaks, or with spaces where the lines broke; the key must
    hold the text exactly as the article has it. An item found nowhere is returned as it is, for
    the validator to report."""
    span = article.find_ignoring_spacing(item.text, item.occurrence)
    if span is None:
        return item
    start, end = span
    return replace(item, text=article.text[start:end], occurrence=article.occurrence_at(start, end))


def items_from_selection(article: Article, kind: str, sentence: int, words: str = "",
                         near: int | None = None) -> list[DraftItem]:
    """New items from what a teacher selected: `words` (may be empty) in sentence number
    `sentence` (0-based), where the selection began near offset `near`. A hedge is exactly the
    words; the other kinds are whole sentences, every one the words touch. ValueError says, in
    the teacher's words, what is wrong."""
    if not 0 <= sentence < len(article.sentences):
        raise ValueError("Choose one of the article's sentences.")
    unit = article.sentences[sentence]
    if words.strip():
        # The words start in the chosen sentence and may run on into the next ones.
        spans = [span for span in article.spans_ignoring_spacing(words, unit.start) if span[0] < unit.end]
        if not spans:
            raise ValueError(f"{quoted(words)} is not in sentence {sentence + 1}: select the words in the article, "
                             "or type them exactly as they are written.")
        start, end = min(spans, key=lambda span: abs(span[0] - near)) if near is not None else spans[0]
    elif kind in SENTENCE_KINDS:
        start, end = unit.start, unit.end
    else:
        raise ValueError("A hedge is a word or phrase: select it in the article, or type it, before adding it.")
    if kind in SENTENCE_KINDS:
        touched = [s for s in article.sentences if s.start < end and start < s.end]
        spans = [(s.start, s.end) for s in touched]
    elif article.sentence_at(end - 1) != unit:
        raise ValueError("A hedge is a word or phrase inside one sentence: select less.")
    elif len(article.text[start:end].split()) > HEDGE_MAX_WORDS:
        raise ValueError(f"A hedge is a word or a short phrase (at most {HEDGE_MAX_WORDS} words): select fewer "
                         "words, or add the sentence as an unsourced claim.")
    else:
        spans = [(start, end)]
    return [DraftItem(article.text[lo:hi], article.occurrence_at(lo, hi), kind, "required",
                      explanation_draft(kind, article.text[lo:hi])) for lo, hi in spans]


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
    return dump_yaml({"article": article_path(slug), "exercises": exercises})


def dump_yaml(data) -> str:
    """YAML as the content files are written: in the order given, non-ASCII as is, long lines whole."""
    return yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=1000)


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
    # A "## " line in the notes would open a section of its own, shown to students: keep the
    # teacher's headings inside the notes by making them one level lower.
    notes = re.sub(r"^(\s{0,3})##(?=\s|$)", r"\1###", teacher_notes.strip(), flags=re.M)
    notes = notes or "This case study was written in Spotcheck's case-study editor."
    front_matter = dump_yaml(front)
    return f"---\n{front_matter}---\n\n{body}\n\n## Teacher notes\n\n{notes}\n"


def load_stored_lesson(slug: str, article: str, key_yaml: str, lesson_md: str) -> tuple[Lesson, list[Exercise]]:
    """Parse a stored case study exactly as the built-in ones are parsed (raises ContentError)."""
    store = ArticleStore(None, extra={article_path(slug): article})
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


@dataclass(frozen=True)
class ImportedCaseStudy:
    slug: str
    lesson: Lesson
    article: str
    key_yaml: str
    lesson_md: str


def _find(base: Path, relative: str, also: tuple[str, ...] = ()) -> Path | None:
    """A file named in front matter: beside the lesson, or where the repository layout puts it
    (the lesson's parent folder, or its quizzes/ folder)."""
    for folder in (base, base.parent):
        for candidate in (folder / relative, *(folder / extra / relative for extra in also)):
            if candidate.is_file():
                return candidate
    return None


def import_case_study(path: Path, is_taken, max_article_chars: int) -> ImportedCaseStudy:
    """Read a lesson Markdown file whose front matter names its article and key files (the formats
    of lessons/ and quizzes/), and turn it into a stored case study of its own: the article and
    keys copied in, the slug made unique with `is_taken(slug)`, exercise ids prefixed with the slug
    so they cannot clash with any other lesson's. Validated like the built-in lesson; raises
    ContentError listing every problem."""
    source = str(path)

    def problem(message: str, line: int | None = None) -> ContentError:
        return ContentError([Problem(source, line, message)])

    try:
        text = decode_text(path.read_bytes(), "lesson")
    except (OSError, NotText) as exc:
        raise problem(str(exc)) from None
    lesson = parse_lesson(text, source)
    article_file = _find(path.parent, lesson.article_path)
    if article_file is None:
        raise problem(f"the article {lesson.article_path!r} is not beside the lesson or in its parent folder")
    try:
        article = canonical_text(decode_text(article_file.read_bytes(), "article"))
    except (OSError, NotText) as exc:
        raise problem(f"article {lesson.article_path!r}: {exc}") from None
    if not article or len(article) > max_article_chars:
        raise problem(f"article {lesson.article_path!r}: empty, or longer than {max_article_chars // 1000} KB")
    if lesson.transfer_article_path:
        raise problem("a case study has one article: remove 'transfer_article' (or import the transfer as its own)")
    base = slugify(lesson.slug)
    slug, number = base, 2
    while is_taken(slug):
        slug, number = f"{base}-{number}", number + 1
    renamed = {}
    exercises = []
    for name in lesson.quiz_files:
        key_file = _find(path.parent, name, also=("quizzes",))
        if key_file is None:
            raise problem(f"key file {name!r} is not beside the lesson or in a quizzes/ folder")
        try:
            data = yaml.safe_load(decode_text(key_file.read_bytes(), "key file"))
        except (OSError, NotText, yaml.YAMLError, RecursionError) as exc:
            raise problem(f"key file {name!r}: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
            raise problem(f"key file {name!r}: expected a mapping with 'exercises' (see quizzes/README.md)")
        if data.get("article") not in (None, lesson.article_path):
            raise problem(f"key file {name!r} marks another article ({data.get('article')!r})")
        for exercise in data["exercises"]:
            if isinstance(exercise, dict) and isinstance(exercise.get("id"), str):
                new_id = exercise["id"] if exercise["id"].startswith(f"{slug}-") else f"{slug}-{exercise['id']}"
                renamed[exercise["id"]] = exercise["id"] = new_id[:63]
            exercises.append(exercise)
    key_yaml = dump_yaml({"article": article_path(slug), "exercises": exercises})
    match = FRONT_MATTER_RE.match(text.replace("\r\n", "\n"))
    front = yaml.safe_load(match.group(1))
    front.update(slug=slug, article=article_path(slug), quizzes=[f"{slug}.yaml"],
                 flow=[renamed.get(ex_id, ex_id) for ex_id in lesson.flow])
    body = text.replace("\r\n", "\n")[match.end():]
    lesson_md = f"---\n{dump_yaml(front)}---\n{body}"
    stored_lesson, stored_exercises = load_stored_lesson(slug, article, key_yaml, lesson_md)
    problems = assemble(stored_lesson, {exercise.id: exercise for exercise in stored_exercises})
    if problems:
        raise ContentError(problems)
    return ImportedCaseStudy(slug, stored_lesson, article, key_yaml, lesson_md)


def draft_items_from_key(key_yaml: str) -> list[DraftItem]:
    """The items of a key written by `build_key`, to edit or copy a case study; ValueError for a
    key of another shape (a case study imported from files, with quizzes or distractors)."""
    data = yaml.load(key_yaml, Loader=SafeLoader)  # noqa: S506  # nosec B506 - a safe loader
    items = []
    for exercise in data.get("exercises", []) if isinstance(data, dict) else []:
        if exercise.get("kind") not in EXERCISE_SUFFIXES or set(exercise) - {"id", "kind", "title", "instructions",
                                                                             "items"}:
            raise ValueError("this case study was imported from files: edit the files and import them again")
        for item in exercise.get("items", []):
            items.append(DraftItem(str(item["text"]), int(item.get("occurrence", 1)), exercise["kind"],
                                   str(item.get("status", "required")), str(item.get("explanation", ""))))
    return items


def teacher_notes_of(lesson_md: str) -> str:
    """The teacher notes `build_lesson` wrote at the end of a lesson."""
    marker = "\n## Teacher notes\n\n"
    return lesson_md.rsplit(marker, 1)[1].strip() if marker in lesson_md else ""
