"""The OpenAPI 3.1 description of the JSON API, served at GET /api/openapi.json.

Data, not code: `DESCRIPTION` is the whole document. tests/test_openapi.py keeps it honest
(every /api route is described with its methods, and every described operation exists) and
fuzzes the app against it with schemathesis: no server error, no undocumented status, and every
response body matches its schema.

Every error under /api is `{"error": "..."}` (webapp/web/security.py), so each operation lists
the statuses it can answer with that one shape. Statuses every operation shares:
- 429 when a rate limit is passed (webapp/web/security.py: per session or per address);
- 500 if something unexpected breaks (the fuzzing test makes sure none does);
- 413 on any body over MAX_CONTENT_LENGTH (2 MB), 503 when the database takes no writes, on the
  operations that carry a body or write.
"""

from __future__ import annotations

from copy import deepcopy

from ..domain.authoring import MAX_ARTICLE_CHARS
from ..domain.kinds import KINDS
from .forms import SUBMISSION_ID_PATTERN


def _errors(*codes: int) -> dict:
    descriptions = {
        400: "The request is malformed (not JSON, not an object, a bad answer), or, with CSRF protection on, "
             "its X-CSRFToken header is missing or stale.",
        401: "Not a class student: join a class first (POST /api/join).",
        403: "Not allowed: the exercise is not assigned to the student's class, or the class's rules refuse it "
             "(attempts used up, finished, solutions not shown).",
        404: "No such exercise (or class code, or name on the class list).",
        409: "A conflict: joining, the name on the class list is taken already; submitting, the submission id "
             "was used for another exercise.",
        413: "The body is too large.",
        429: "Too many requests from this session or address: wait and try again.",
        500: "Something unexpected went wrong on the server.",
        503: "The database cannot take writes right now; nothing was half-saved.",
    }
    return {str(code): {"description": descriptions[code], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for code in codes}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


EXERCISE_ID = {
    "name": "exercise_id", "in": "path", "required": True,
    "description": "An exercise id, as listed by GET /api/lessons.",
    "schema": {"type": "string", "minLength": 1},
    "examples": {name: {"value": name} for name in ("cz-pardon-hedge", "cz-pardon-unsourced", "cz-pardon-filler",
                                                    "cz-pardon-quiz")},
}

NULLABLE_INT = {"type": ["integer", "null"], "minimum": 0}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "string", "description": "What went wrong, for a person to read."}},
    },
    "ExerciseSummary": {
        "type": "object", "required": ["id", "kind", "unit", "title", "url"],
        "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "unit": {"type": ["string", "null"], "enum": ["word", "sentence", None],
                     "description": "What a learner marks in the article; null for a quiz."},
            "title": {"type": "string"},
            "url": {"type": "string", "description": "The exercise's page."},
        },
    },
    "Lesson": {
        "type": "object", "required": ["slug", "title", "url", "exercises", "quizzes"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "exercises": {"type": "array", "items": _ref("ExerciseSummary"),
                          "description": "The exercises marked on the lesson's article."},
            "quizzes": {"type": "array", "items": _ref("ExerciseSummary")},
        },
    },
    "Spans": {
        "type": "array", "description": "Character spans [start, end) in the article text; each is snapped to "
                                        "the words or sentences it overlaps. At most one span per unit.",
        "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 0}},
    },
    "Answers": {
        "type": "object", "description": "Question id -> the ids of the options chosen.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "MarkingAnswer": {
        "type": "object", "required": ["spans"], "properties": {"spans": _ref("Spans")},
        "not": {"required": ["answers"]},
        "description": "The answer to an exercise marked on the article (hedge, unsourced, seo_filler).",
    },
    "QuizAnswer": {
        "type": "object", "required": ["answers"], "properties": {"answers": _ref("Answers")},
        "not": {"required": ["spans"]},
        "description": "The answer to a quiz.",
    },
    "Answer": {"oneOf": [_ref("MarkingAnswer"), _ref("QuizAnswer")],
               "description": "`spans` for an exercise marked on the article, `answers` for a quiz (a body with "
                              "both is refused)."},
    "MarkingFeedback": {
        "type": "object", "required": ["text", "explanation", "start", "end"],
        "properties": {"text": {"type": "string"}, "explanation": {"type": "string"},
                       "start": {"type": "integer"}, "end": {"type": "integer"}},
    },
    "QuizFeedback": {
        "type": "object", "required": ["text", "explanation", "question", "option"],
        "properties": {"text": {"type": "string"}, "explanation": {"type": "string"},
                       "question": {"type": "string"}, "option": {"type": "string"}},
    },
    "FeedbackList": {"type": "array", "items": {"anyOf": [_ref("MarkingFeedback"), _ref("QuizFeedback")]}},
    "CheckResult": {
        "type": "object", "description": "A checked answer as the learner may see it: the missed key items "
                                         "only once the solution is visible (missed_count always).",
        "required": ["score", "points", "max_points", "notes", "found", "missed", "false_alarms", "acceptable",
                     "missed_count", "solution_visible"],
        "properties": {
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "points": {"type": "number", "minimum": 0},
            "max_points": {"type": "integer", "minimum": 0},
            "notes": {"type": "array", "items": {"type": "string"}},
            "found": _ref("FeedbackList"),
            "missed": _ref("FeedbackList"),
            "false_alarms": _ref("FeedbackList"),
            "acceptable": _ref("FeedbackList"),
            "missed_count": {"type": "integer", "minimum": 0},
            "solution_visible": {"type": "boolean"},
        },
    },
    "Submission": {"allOf": [{
        "type": "object", "required": ["exercise_id", "submission_id"],
        "properties": {
            "exercise_id": {"type": "string", "examples": ["cz-pardon-hedge"]},
            "submission_id": {"type": "string", "pattern": SUBMISSION_ID_PATTERN,
                              "description": "Chosen by the client; sending the same one again returns the "
                                             "first result and counts once."},
        }}, _ref("Answer")]},
    "ExerciseDetail": {
        "type": "object",
        "required": ["id", "kind", "unit", "title", "instructions", "attempts_used", "attempts_allowed",
                     "solution_visible"],
        "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "unit": {"type": ["string", "null"], "enum": ["word", "sentence", None]},
            "title": {"type": "string"},
            "instructions": {"type": "string"},
            "attempts_used": {**NULLABLE_INT, "description": "Counted only where the class limits attempts."},
            "attempts_allowed": NULLABLE_INT,
            "solution_visible": {"type": "boolean"},
            "text": {"type": "string", "description": "The article (exercises marked on it)."},
            "units": {"type": "array", "items": {
                "type": "object", "required": ["id", "start", "end"],
                "properties": {"id": {"type": "string"}, "start": {"type": "integer", "minimum": 0},
                               "end": {"type": "integer", "minimum": 0}}}},
            "questions": {"type": "array", "description": "A quiz's questions, options in this learner's order.",
                          "items": {
                              "type": "object", "required": ["id", "type", "prompt", "options"],
                              "properties": {
                                  "id": {"type": "string"},
                                  "type": {"type": "string", "enum": ["single", "multiple"]},
                                  "prompt": {"type": "string"},
                                  "options": {"type": "array", "items": {
                                      "type": "object", "required": ["id", "text"],
                                      "properties": {"id": {"type": "string"}, "text": {"type": "string"}}}}}}},
        },
        "oneOf": [{"required": ["text", "units"]}, {"required": ["questions"]}],
    },
    "Draft": {"oneOf": [
        {"type": "object", "required": ["spans"], "properties": {"spans": _ref("Spans")}},
        {"type": "object", "required": ["answers"], "properties": {"answers": _ref("Answers")}},
    ]},
}

# Real examples (the built-in lesson's exercises) let the fuzzer reach past "no such exercise".
ANSWER_EXAMPLES = {
    "marking": {"summary": "Two spans on an article (cz-pardon-hedge)", "value": {"spans": [[0, 12], [40, 60]]}},
    "quiz": {"summary": "A quiz answer (cz-pardon-quiz)", "value": {"answers": {"hedge-likely": ["b"]}}},
}
SUBMISSION_EXAMPLES = {
    "marking": {"value": {"exercise_id": "cz-pardon-hedge", "submission_id": "example-marking-1",
                          "spans": [[0, 12]]}},
    "quiz": {"value": {"exercise_id": "cz-pardon-quiz", "submission_id": "example-quiz-1",
                       "answers": {"hedge-likely": ["b"]}}},
}


def _answer_body(schema: dict, examples: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema, "examples": examples}}}


_exercise_link = {"operationId": "getExercise", "parameters": {"exercise_id": "$response.body#/id"}}

PATHS = {
    "/api/openapi.json": {"get": {
        "operationId": "getOpenapi", "summary": "This description.",
        "responses": {"200": _json({"type": "object", "required": ["openapi", "paths"]}), **_errors(429, 500)},
    }},
    "/api/lessons": {"get": {
        "operationId": "listLessons", "summary": "The lessons this visitor may see, with their exercises.",
        "responses": {
            "200": {**_json({"type": "object", "required": ["lessons"],
                             "properties": {"lessons": {"type": "array", "items": _ref("Lesson")}}}),
                    "links": {
                        "GetFirstExercise": {"operationId": "getExercise",
                                             "parameters": {"exercise_id": "$response.body#/lessons/0/exercises/0/id"}},
                        "GetFirstQuiz": {"operationId": "getExercise",
                                         "parameters": {"exercise_id": "$response.body#/lessons/0/quizzes/0/id"}},
                    }},
            **_errors(429, 500)},
    }},
    "/api/csrf-token": {"get": {
        "operationId": "getCsrfToken",
        "summary": "A CSRF token for this session: send it as the X-CSRFToken header with every POST and PUT.",
        "responses": {"200": _json({"type": "object", "required": ["csrf_token"],
                                    "properties": {"csrf_token": {"type": "string"}}}), **_errors(429, 500)},
    }},
    "/api/exercises/{exercise_id}": {"get": {
        "operationId": "getExercise", "summary": "The exercise as this learner sees it (never the key).",
        "parameters": [EXERCISE_ID],
        "responses": {
            "200": {**_json(_ref("ExerciseDetail")), "links": {
                "Grade": {**_exercise_link, "operationId": "gradeExercise"},
                "Finish": {**_exercise_link, "operationId": "finishExercise"},
                "SaveDraft": {**_exercise_link, "operationId": "saveDraft"},
                "GetDraft": {**_exercise_link, "operationId": "getDraft"},
            }},
            **_errors(403, 404, 429, 500)},
    }},
    "/api/exercises/{exercise_id}/grade": {"post": {
        "operationId": "gradeExercise",
        "summary": "Check a practice answer (anonymous practice; a class's students use POST /api/submissions).",
        "parameters": [EXERCISE_ID],
        "requestBody": _answer_body(_ref("Answer"), ANSWER_EXAMPLES),
        "responses": {"200": _json(_ref("CheckResult")), **_errors(400, 403, 404, 413, 429, 500, 503)},
    }},
    "/api/exercises/{exercise_id}/finish": {"post": {
        "operationId": "finishExercise", "summary": "Finish the exercise: its attempts end, its solution opens.",
        "parameters": [EXERCISE_ID],
        "responses": {"200": _json({"type": "object", "required": ["solution_visible"],
                                    "properties": {"solution_visible": {"type": "boolean"}}}),
                      **_errors(400, 403, 404, 413, 429, 500, 503)},
    }},
    "/api/drafts/{exercise_id}": {
        "get": {
            "operationId": "getDraft", "summary": "The answer in progress that was last autosaved (empty if none).",
            "parameters": [EXERCISE_ID],
            "responses": {"200": _json(_ref("Draft")), **_errors(403, 404, 429, 500)},
        },
        "put": {
            "operationId": "saveDraft", "summary": "Autosave the answer in progress.",
            "parameters": [EXERCISE_ID],
            "requestBody": _answer_body(_ref("Answer"), ANSWER_EXAMPLES),
            "responses": {"204": {"description": "Saved."}, **_errors(400, 403, 404, 413, 429, 500, 503)},
        },
    },
    "/api/analyze": {"post": {
        "operationId": "analyze", "summary": "Answer-key suggestions (hedges, unsourced claims, filler) for any "
                                             "English text.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["text"],
            "properties": {"text": {"type": "string", "description": f"At most {MAX_ARTICLE_CHARS} bytes "
                                                                     "of UTF-8."}}}}}},
        "responses": {
            "200": _json({"type": "object", "required": ["spans"], "properties": {"spans": {"type": "array", "items": {
                "type": "object", "required": ["start", "end", "kind", "reason"],
                "properties": {"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
                               "kind": {"type": "string", "enum": sorted(k for k in KINDS if KINDS[k].needs_article)},
                               "reason": {"type": "string"}}}}}}),
            **_errors(400, 413, 429, 500)},
    }},
    "/api/join": {"post": {
        "operationId": "join", "summary": "Join a class with its code; this session becomes the new student's.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["code"],
            "properties": {"code": {"type": "string", "description": "The class's join code."},
                           "name": {"type": "string", "description": "The student's display name (on a class "
                                                                     "with a list: their name on it)."}}}}}},
        "responses": {
            "200": _json({"type": "object", "required": ["student", "class", "resume_code"], "properties": {
                "student": {"type": "object", "required": ["id", "name"],
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                "class": {"type": "object", "required": ["code", "title"],
                          "properties": {"code": {"type": "string"}, "title": {"type": "string"}}},
                "resume_code": {"type": "string", "description": "Continue on another device with this code."}}}),
            **_errors(400, 403, 404, 409, 413, 429, 500, 503)},
    }},
    "/api/submissions": {"post": {
        "operationId": "submit", "summary": "Record one check of a class student under the class's rules.",
        "requestBody": _answer_body(_ref("Submission"), SUBMISSION_EXAMPLES),
        "responses": {
            "200": _json({"allOf": [_ref("CheckResult"), {"type": "object", "required": ["attempt"], "properties": {
                "attempt": {"type": "integer", "description": "The recorded attempt's id."}}}]}),
            **_errors(400, 401, 403, 404, 409, 413, 429, 500, 503)},
    }},
}

DESCRIPTION = {
    "openapi": "3.1.0",
    "info": {
        "title": "Spotcheck JSON API",
        "version": "1",
        "description": "The learner's side of Spotcheck as JSON: lessons, exercises, checking answers, drafts, "
                       "joining a class. Sessions are cookies; every POST and PUT needs the X-CSRFToken header "
                       "from GET /api/csrf-token. Every error is {\"error\": \"...\"}.",
    },
    "paths": PATHS,
    "components": {"schemas": SCHEMAS},
}


def description() -> dict:
    """A copy of the description (callers may change theirs)."""
    return deepcopy(DESCRIPTION)
