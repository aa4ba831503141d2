"""Content validation: clear errors naming file, line and item; the CLI exits non-zero."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webapp.domain.content import ArticleStore, ContentError, load_catalog, parse_lesson, parse_quiz_file

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "seeds/000_1c820eb4196e347a.txt"


def parse(yaml_text):
    return parse_quiz_file(yaml_text, "quizzes/test.yaml", ArticleStore(ROOT))


def problems_of(yaml_text):
    with pytest.raises(ContentError) as info:
        parse(yaml_text)
    return [str(p) for p in info.value.problems]


def key(items, kind="hedge"):
    return f"article: {ARTICLE}\nexercises:\n  - id: t-1\n    kind: {kind}\n    title: T\n    instructions: I\n" \
           f"    items:\n{items}"


GOOD = "      - text: reportedly\n        status: required\n        explanation: Names no reporter.\n"


def test_the_shipped_content_is_valid():
    catalog = load_catalog(ROOT)
    assert "cz-pardon" in catalog.lessons
    lesson = catalog.lessons["cz-pardon"]
    assert [e.kind for e in lesson.exercises[:3]] == ["hedge", "unsourced", "seo_filler"]
    assert lesson.teacher_notes is not None and lesson.teaching_sections


def test_a_valid_item_is_located_in_the_article():
    (exercise,) = parse(key(GOOD))
    item = exercise.items[0]
    assert exercise.article.text[item.start:item.end] == "reportedly"


@pytest.mark.parametrize("items, expected", [
    (GOOD.replace("reportedly", "not in the article"), "quizzes/test.yaml:8: exercise t-1, item 1"),
    (GOOD.replace("reportedly", "reportedl"), "does not start and end on word boundaries"),
    (GOOD.replace("required", "maybe"), "status must be required or acceptable"),
    (GOOD.replace("        explanation: Names no reporter.\n", ""), "missing 'explanation'"),
    (GOOD + GOOD, "overlaps the item 'reportedly'"),
    (GOOD.replace("status: required", "status: required\n        occurrence: 99"),
     "not found in the article (occurrence 99)"),
    (GOOD.replace("status: required", "status: required\n        occurrence: 0"), "occurrence must be a whole number"),
])
def test_item_problems_name_file_line_and_item(items, expected):
    problems = problems_of(key(items))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("quizzes/test.yaml") for p in problems)


def test_unknown_kind_is_reported():
    assert any("unknown kind 'rumour'" in p for p in problems_of(key(GOOD, kind="rumour")))


def test_sentence_items_must_be_whole_sentences():
    items = GOOD.replace("reportedly", "were reportedly retained")
    assert any("sentence boundaries" in p for p in problems_of(key(items, kind="unsourced")))


def test_invalid_yaml_names_the_line():
    assert any("quizzes/test.yaml:2: invalid YAML" in p for p in problems_of("article: x\n  - : [\n"))


def test_yaml_nested_too_deeply_is_a_problem_not_a_crash():
    # PyYAML's own parser recurses until RecursionError; libyaml's stops at a depth of 1,000.
    assert any(p.startswith("quizzes/test.yaml") and "invalid YAML" in p
               and ("nested too deeply" in p or "maximum nesting depth" in p) for p in problems_of("[" * 20_000))


def test_lesson_needs_front_matter():
    with pytest.raises(ContentError, match="missing front matter"):
        parse_lesson("# no front matter", "lessons/x.md")


def test_check_content_command_passes_on_shipped_content(runner):
    result = runner.invoke(args=["check-content"])
    assert result.exit_code == 0, result.output
    assert "content OK" in result.output


def test_check_content_command_fails_on_a_broken_key(app, runner, tmp_path):
    for folder in ("seeds", "lessons", "quizzes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    key_file = tmp_path / "quizzes/cz-pardon.yaml"
    key_file.write_text(key_file.read_text(encoding="utf-8").replace("kind: hedge", "kind: hedgehog", 1),
                        encoding="utf-8")
    app.config["CONTENT_ROOT"] = str(tmp_path)
    result = runner.invoke(args=["check-content"])
    assert result.exit_code == 1
    assert "quizzes/cz-pardon.yaml" in result.output and "unknown kind 'hedgehog'" in result.output
