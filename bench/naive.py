"""How far naive strategies get on every exercise: a key is only worth grading if they fail.

    python bench/naive.py [--check]

For every marking exercise of every lesson it prints the score of each naive strategy:
- every unit: every word (hedge) or every sentence (unsourced, filler);
- every sentence holding a hedge word, two variants: a plain list of common hedge words, and the
  assistant's own finder (webapp.domain.analysis.has_hedge); on the hedge exercise "a sentence"
  means every word of it;
- the first and last three sentences (their words, on the hedge exercise);
- every sentence with a digit (their words, on the hedge exercise).
Any figure above 0.25 is marked FAIL. For reference (not checked) it also prints what strategies
that use the skill itself score: every word of a plain hedge list on the hedge exercises, and the
assistant's suggestions (webapp.domain.analysis.suggest) on every marking exercise.

For every quiz it prints, computed exactly: the score of always choosing the first option in
authored order; the score of ticking every option on the "multiple" questions (a "single"
question accepts one option only, so "every option" is not a valid answer there and those
questions are left out of that column); and the expected score of a uniformly random valid answer
(one option at random for a single question; a random non-empty subset for a multiple one), over
all questions and over the multiple ones only. First option above random (all questions), or
every option above random (multiple questions, and on each multiple question), is marked FAIL.
It also counts the correct options by authored position, to show that no position is favoured.

It then checks that no exercise's instructions name one of its key items' texts (required or
acceptable, case-insensitive, whole words), and that every distractor (the optional
`distractors:` list of a marking exercise, read from the YAML because the loader may not know it
yet) is found in the article on unit boundaries and overlaps no key item.

With --check the exit status is 1 when any check fails.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from fractions import Fraction
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.domain.content import load_catalog  # noqa: E402

try:  # today's grader; the redesign on main grades through the exercise kinds
    from webapp.domain.grading import grade as _grade
except ImportError:  # pragma: no cover - depends on the branch
    from webapp.domain.kinds import grade as _grade

try:  # the assistant's hedge finder, whichever form it has today
    from webapp.domain.analysis import has_hedge as _has_hedge
except ImportError:  # pragma: no cover - only if the assistant is redesigned
    _has_hedge = None
    try:
        from webapp.domain.analysis import find_hedges as _find_hedges
    except ImportError:
        _find_hedges = None

try:  # the assistant's suggestions, shown for reference only
    from webapp.domain.analysis import suggest as _suggest
except ImportError:  # pragma: no cover
    _suggest = None

MARKING_LIMIT = 0.25


def score(exercise, answer) -> float:
    """The one call into the grader (the grading API is being redesigned: adapt it here).

    `answer` is a list of (start, end) spans for a marking exercise, or {question id: [option
    positions]} for a quiz; positions become option ids where options have them (the redesign).
    """
    if exercise.kind == "quiz":
        answer = {q.id: [getattr(q.options[i], "id", i) for i in answer.get(q.id, [])] for q in exercise.questions}
    return _grade(exercise, answer).score


# A plain list of common hedge words, matched on word boundaries, no context (the baseline of
# bench/analysis.py).
PLAIN_HEDGE_RE = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|probably|likely|apparently|reportedly|allegedly|"
    r"seems?|appears?|suggests?|potentially|somewhat|believed|presumably|arguably)\b",
    re.IGNORECASE,
)


def plain_hedge(sentence: str) -> bool:
    return bool(PLAIN_HEDGE_RE.search(sentence))


def finder_hedge(sentence: str) -> bool:
    if _has_hedge is not None:
        return _has_hedge(sentence)
    from webapp.domain.article import Article

    return bool(_find_hedges(Article(sentence)))


# --- strategies: each returns the sentence indices it marks -----------------------------------


def _sentences(exercise):
    article = exercise.article
    return [(s, article.text[s.start:s.end]) for s in article.sentences]


STRATEGIES = {
    "every unit": None,  # handled apart: every word or every sentence
    "hedge-word sentences (plain list)": lambda ex: [s for s, t in _sentences(ex) if plain_hedge(t)],
    "hedge-word sentences (assistant)": lambda ex: [s for s, t in _sentences(ex) if finder_hedge(t)],
    "first and last three sentences": lambda ex: ex.article.sentences[:3] + ex.article.sentences[-3:],
    "sentences with a digit": lambda ex: [s for s, t in _sentences(ex) if re.search(r"\d", t)],
}


def spans_for(exercise, name: str) -> list[tuple[int, int]]:
    units = exercise.article.units(exercise.unit)
    if STRATEGIES[name] is None:
        return [(u.start, u.end) for u in units]
    sentences = {s.sentence for s in STRATEGIES[name](exercise)}
    # On a word exercise a sentence is marked word by word; on a sentence exercise as itself.
    return [(u.start, u.end) for u in units if u.sentence in sentences]


# --- quizzes: exact expectations --------------------------------------------------------------


def question_score(question, chosen: set[int]) -> Fraction:
    right = sum(1 for i in chosen if question.options[i].correct)
    wrong = len(chosen) - right
    correct = sum(o.correct for o in question.options)
    return Fraction(max(right - wrong, 0), correct)


def random_expectation(question) -> Fraction:
    n = len(question.options)
    if question.type == "single":
        answers = [{i} for i in range(n)]
    else:
        answers = [set(c) for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]
    return sum((question_score(question, a) for a in answers), Fraction(0)) / len(answers)


def quiz_rows(exercise):
    questions = exercise.questions
    multiple = [q for q in questions if q.type == "multiple"]
    first = sum((question_score(q, {0}) for q in questions), Fraction(0)) / len(questions)
    # cross-check the exact first-option figure with the grader itself
    graded = score(exercise, {q.id: [0] for q in questions})
    assert abs(graded - float(first)) < 1e-3, (graded, first)
    rand_all = sum((random_expectation(q) for q in questions), Fraction(0)) / len(questions)
    every = rand_multi = None
    if multiple:
        every = sum((question_score(q, set(range(len(q.options)))) for q in multiple), Fraction(0)) / len(multiple)
        rand_multi = sum((random_expectation(q) for q in multiple), Fraction(0)) / len(multiple)
    per_question = [
        (q.id, q.type, len(q.options), [i for i, o in enumerate(q.options) if o.correct],
         question_score(q, {0}),
         question_score(q, set(range(len(q.options)))) if q.type == "multiple" else None,
         random_expectation(q))
        for q in questions
    ]
    return first, every, rand_all, rand_multi, per_question


# --- content checks ---------------------------------------------------------------------------


def named_in_instructions(exercise) -> list[str]:
    instructions = exercise.instructions.lower()
    named = []
    for item in exercise.items:
        pattern = r"(?<!\w)" + re.escape(item.text.lower()) + r"(?!\w)"
        if re.search(pattern, instructions):
            named.append(f"{item.text!r} ({item.status})")
    return sorted(set(named))


def raw_distractors(root: Path) -> dict[str, list[dict]]:
    found = {}
    for path in sorted((root / "quizzes").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("exercises") or []:
            if isinstance(raw, dict) and raw.get("distractors"):
                found[raw["id"]] = raw["distractors"]
    return found


def distractor_problems(exercise, distractors: list[dict]) -> list[str]:
    units = exercise.article.units(exercise.unit)
    starts, ends = {u.start for u in units}, {u.end for u in units}
    problems, spans = [], []
    for entry in distractors:
        text, occurrence = entry.get("text"), entry.get("occurrence", 1)
        label = f"distractor {str(text)[:40]!r}"
        if not isinstance(entry.get("explanation"), str) or not entry["explanation"].strip():
            problems.append(f"{label}: no explanation")
        span = exercise.article.find(text, occurrence) if isinstance(text, str) else None
        if span is None:
            problems.append(f"{label}: not found (occurrence {occurrence})")
            continue
        if span[0] not in starts or span[1] not in ends:
            problems.append(f"{label}: not on {exercise.unit} boundaries")
            continue
        for item in exercise.items:
            if item.start < span[1] and span[0] < item.end:
                problems.append(f"{label}: overlaps the {item.status} item {item.text[:40]!r}")
        for other in spans:
            if other[0] < span[1] and span[0] < other[1]:
                problems.append(f"{label}: overlaps another distractor")
        spans.append(span)
    return problems


# --- report -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when any figure fails")
    args = parser.parse_args()
    catalog = load_catalog(ROOT)
    failures = 0

    print(f"Marking exercises: score of each naive strategy (FAIL above {MARKING_LIMIT:.2f})\n")
    names = list(STRATEGIES)
    short = ["every unit", "hedge sents (list)", "hedge sents (asst)", "first+last 3", "digit sents"]
    print(f"{'exercise':28}{'req':>5}" + "".join(f"{n:>20}" for n in short))
    quizzes = []
    for lesson in catalog.lessons.values():
        for exercise in lesson.exercises:
            if exercise.kind == "quiz":
                quizzes.append(exercise)
                continue
            cells = []
            for name in names:
                value = score(exercise, spans_for(exercise, name))
                flag = " FAIL" if value > MARKING_LIMIT else ""
                failures += bool(flag)
                cells.append(f"{value:.2f}{flag}")
            print(f"{exercise.id:28}{len(exercise.required_items):>5}" + "".join(f"{c:>20}" for c in cells))

    print("\nFor reference, not checked (strategies that use the skill itself):")
    for lesson in catalog.lessons.values():
        for exercise in lesson.exercises:
            if exercise.kind == "quiz":
                continue
            text = exercise.article.text
            if exercise.kind == "hedge":
                plain = [(m.start(), m.end()) for m in PLAIN_HEDGE_RE.finditer(text)]
                print(f"  {exercise.id:26} every plain-list hedge word {score(exercise, plain):.2f}", end="")
            else:
                print(f"  {exercise.id:26}{'':33}", end="")
            if _suggest is not None:
                marks = [(s.start, s.end) for s in _suggest(text) if s.kind == exercise.kind]
                print(f"   assistant's suggestions {score(exercise, marks):.2f}", end="")
            print()

    for exercise in quizzes:
        first, every, rand_all, rand_multi, per_question = quiz_rows(exercise)
        print(f"\nQuiz {exercise.id}: {len(exercise.questions)} questions "
              f"({sum(q.type == 'multiple' for q in exercise.questions)} multiple)")
        print(f"{'question':22}{'type':>9}{'opts':>5}  {'correct at':12}{'first':>7}{'every':>12}{'random':>8}")
        for q_id, q_type, n, correct, q_first, q_every, q_rand in per_question:
            at = ",".join("abcdefgh"[i] for i in correct)
            every_cell = "-" if q_every is None else f"{float(q_every):.2f}"
            if q_every is not None and q_every > q_rand:
                every_cell += " FAIL"
                failures += 1
            print(f"{q_id:22}{q_type:>9}{n:>5}  {at:12}{float(q_first):>7.2f}{every_cell:>12}{float(q_rand):>8.2f}")
        first_fail = first > rand_all
        print(f"  first option (all questions):          {float(first):.3f}  vs random {float(rand_all):.3f}"
              + ("  FAIL" if first_fail else "  ok"))
        failures += first_fail
        if every is not None:
            every_fail = every > rand_multi
            print(f"  every option (multiple questions only): {float(every):.3f}  vs random {float(rand_multi):.3f}"
                  + ("  FAIL" if every_fail else "  ok"))
            failures += every_fail
        print("  (single questions take one option, so 'every option' is not a valid answer there: left out)")
        positions: dict[int, int] = {}
        for q in exercise.questions:
            for i, o in enumerate(q.options):
                if o.correct:
                    positions[i] = positions.get(i, 0) + 1
        print("  correct options by authored position: "
              + ", ".join(f"{'abcdefgh'[i]}={positions[i]}" for i in sorted(positions)))

    print("\nInstructions that name one of their exercise's items:")
    named_any = False
    for exercise in catalog.exercises.values():
        if exercise.kind == "quiz":
            continue
        named = named_in_instructions(exercise)
        if named:
            named_any = True
            failures += 1
            print(f"  {exercise.id}: FAIL, names {', '.join(named)}")
    if not named_any:
        print("  none (ok)")

    print("\nDistractors (found on unit boundaries, overlapping no key item):")
    by_id = raw_distractors(ROOT)
    for exercise in catalog.exercises.values():
        if exercise.kind == "quiz":
            continue
        distractors = by_id.get(exercise.id, [])
        problems = distractor_problems(exercise, distractors)
        failures += len(problems)
        status = "ok" if not problems else "FAIL"
        print(f"  {exercise.id}: {len(distractors)} distractors, {status}")
        for problem in problems:
            print(f"    {problem}")

    print(f"\n{failures} failure(s)")
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
