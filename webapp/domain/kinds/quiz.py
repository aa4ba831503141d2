"""Multiple-choice and multiple-select questions.

Pure module. Each question is worth one point: max(correct options chosen - wrong options
chosen, 0) divided by the number of correct options, the same "false alarms cost" rule as
marking. Options have ids that are the same for every learner (`id:` in the key file, else a,
b, c… by authored position); each learner sees them in an order of their own, stable for that
learner, so the position of an option tells nothing about whether it is right.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping

from ..model import ID_RE, Exercise, Option, Problem, Question, text_field
from .base import KEY_CHANGED, AnswerError, ExerciseKind, Feedback, GradeResult

QUESTION_TYPES = ("single", "multiple")
FORM_PREFIX = "q-"


class QuizKind(ExerciseKind):
    name = "quiz"
    label = "Quiz"
    skill = "quiz"
    answer_field = "answers"
    page_template = "learn/kinds/quiz.html"
    feedback_template = "learn/kinds/quiz_feedback.html"
    solution_template = "learn/kinds/quiz_solution.html"
    missed_heading = "Correct answers missed most"
    false_alarm_heading = "Wrong answers chosen most"

    # --- content ---
    def parse_key(self, raw: dict, exercise: Exercise, source: str, where: str, problems: list[Problem]) -> None:
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            problems.append(Problem(source, raw["__line__"], f"{where}: missing 'questions' (a list)"))
            return
        seen = set()
        for index, entry in enumerate(raw_questions, 1):
            if not isinstance(entry, dict):
                problems.append(Problem(source, None, f"{where}, question {index}: must be a mapping"))
                continue
            q_id, line = entry.get("id"), entry["__line__"]
            label = f"{where}, question {q_id or index}"
            if not isinstance(q_id, str) or not ID_RE.match(q_id) or q_id in seen:
                problems.append(Problem(source, line, f"{label}: needs a unique id of lowercase letters, digits "
                                                      "and '-'"))
                continue
            seen.add(q_id)
            q_type = entry.get("type")
            if q_type not in QUESTION_TYPES:
                problems.append(Problem(source, line, f"{label}: type must be 'single' or 'multiple', "
                                                      f"not {q_type!r}"))
                continue
            prompt = text_field(entry, "prompt", source, label, problems)
            options = self._parse_options(entry, source, label, line, problems)
            correct = sum(option.correct for option in options)
            if len(options) < 2:
                problems.append(Problem(source, line, f"{label}: needs at least two options"))
            elif q_type == "single" and correct != 1:
                problems.append(Problem(source, line, f"{label}: a single-answer question needs one correct option"))
            elif q_type == "multiple" and correct < 1:
                problems.append(Problem(source, line, f"{label}: needs at least one correct option"))
            exercise.questions.append(Question(q_id, q_type, prompt, tuple(options)))

    @staticmethod
    def _parse_options(entry, source, label, line, problems) -> list[Option]:
        options, ids = [], set()
        raw_options = entry.get("options") or []
        if len(raw_options) > len(string.ascii_lowercase):
            problems.append(Problem(source, line, f"{label}: at most {len(string.ascii_lowercase)} options"))
            return []
        for position, option in enumerate(raw_options):
            o_label = f"{label}, option {position + 1}"
            if not isinstance(option, dict) or not isinstance(option.get("correct"), bool):
                problems.append(Problem(source, line, f"{o_label}: needs text, correct (true/false) and explanation"))
                continue
            option_id = option.get("id", string.ascii_lowercase[position])
            if not isinstance(option_id, str) or not ID_RE.match(option_id) or option_id in ids:
                problems.append(Problem(source, line, f"{o_label}: the id must be unique in its question, of "
                                                      "lowercase letters, digits and '-'"))
                continue
            ids.add(option_id)
            options.append(Option(option_id, text_field(option, "text", source, o_label, problems),
                                  option["correct"], text_field(option, "explanation", source, o_label, problems)))
        return options

    def max_points(self, exercise: Exercise) -> int:
        return len(exercise.questions)

    # --- the order a learner sees ---
    @staticmethod
    def options_for(question: Question, learner_key: str, exercise_id: str) -> list[Option]:
        """The question's options in this learner's own order: shuffled, the same on every visit.

        Seeded by learner, exercise and question; not a secret, only a guard against a position
        that is always right (bandit B311 reviewed: no security depends on it).
        """
        options = list(question.options)
        random.Random(f"{learner_key}/{exercise_id}/{question.id}").shuffle(options)  # noqa: S311  # nosec B311
        return options

    def page_context(self, exercise: Exercise, learner_key: str, draft) -> dict:
        return {"questions": [(question, self.options_for(question, learner_key, exercise.id))
                              for question in exercise.questions]}

    def public_detail(self, exercise: Exercise, learner_key: str) -> dict:
        return {"questions": [
            {"id": question.id, "type": question.type, "prompt": question.prompt,
             "options": [{"id": option.id, "text": option.text} for option in options]}
            for question, options in self.page_context(exercise, learner_key, None)["questions"]
        ]}

    # --- answers ---
    def parse_answer(self, exercise: Exercise, body: Mapping) -> dict[str, list[str]]:
        """Validate a JSON `answers` value: {question id: [option id, ...]}."""
        value = body.get("answers")
        if not isinstance(value, dict):
            raise AnswerError("'answers' must be an object of question id -> list of option ids")
        questions = {q.id: q for q in exercise.questions}
        answers = {}
        for q_id, chosen in value.items():
            question = questions.get(q_id)
            if question is None:
                raise AnswerError(f"unknown question {q_id!r}")
            ids = [option.id for option in question.options]
            if not isinstance(chosen, list) or not all(isinstance(option, str) and option in ids for option in chosen):
                raise AnswerError(f"question {q_id!r}: expected a list of option ids from {', '.join(ids)}")
            if question.type == "single" and len(set(chosen)) > 1:
                raise AnswerError(f"question {q_id!r}: choose one option")
            if chosen:
                answers[q_id] = sorted(set(chosen))
        return answers

    def answer_from_form(self, exercise: Exercise, form: Mapping) -> dict[str, list[str]]:
        chosen = {}
        for question in exercise.questions:
            name = FORM_PREFIX + question.id
            values = form.getlist(name) if hasattr(form, "getlist") else form.get(name, [])
            if values:
                chosen[question.id] = list(values)
        try:
            return self.parse_answer(exercise, {"answers": chosen})
        except AnswerError:
            raise AnswerError("Please answer with the options shown.") from None

    # --- grading ---
    def grade(self, exercise: Exercise, answers: dict[str, list[str]]) -> GradeResult:
        found, missed, false_alarms = [], [], []
        points = 0.0
        for question in exercise.questions:
            chosen = set(answers.get(question.id, []))
            right = wrong = 0
            for option in question.options:
                feedback = Feedback(option.text, option.explanation, question=question.id, option=option.id)
                if option.correct and option.id in chosen:
                    right += 1
                    found.append(feedback)
                elif option.correct:
                    missed.append(feedback)
                elif option.id in chosen:
                    wrong += 1
                    false_alarms.append(feedback)
            points += max(right - wrong, 0) / sum(option.correct for option in question.options)
        return GradeResult(round(points, 4), len(exercise.questions), found, missed, false_alarms)

    def restore(self, exercise: Exercise, answer, stored: dict, points: float) -> GradeResult:
        questions = {question.id: question for question in exercise.questions}

        def feedback(reference) -> Feedback:
            question_id, option_id = reference
            question = questions.get(question_id)
            options = question.options if question else ()
            if isinstance(option_id, int):  # attempts stored before options had ids: the authored position
                option = options[option_id] if 0 <= option_id < len(options) else None
            else:
                option = next((o for o in options if o.id == option_id), None)
            if option is None:
                return Feedback("(an option since removed)", KEY_CHANGED, question=question_id, option=str(option_id))
            return Feedback(option.text, option.explanation, question=question_id, option=option.id)

        groups = {group: [feedback(ref) for ref in stored.get(group, [])]
                  for group in ("found", "missed", "false_alarms", "acceptable")}
        return GradeResult(points, self.max_points(exercise), notes=stored.get("notes", []), **groups)

    def empty(self, answer) -> bool:
        return not any(answer.values()) if isinstance(answer, dict) else not answer
