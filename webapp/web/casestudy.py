"""Instructor page "New case study": paste or upload an article, review the assistant's
suggestions, and save a lesson that validates exactly like the built-in one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import FieldList, Form, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..domain.analysis import EXERCISE_SUFFIXES, suggest
from ..domain.article import Article, canonical_text
from ..domain.authoring import (
    MAX_ARTICLE_CHARS,
    DraftItem,
    build_case_study,
    draft_items_from_key,
    slugify,
    teacher_notes_of,
)
from ..domain.content import ContentError
from ..domain.textfiles import NotText, decode_text
from ..store import case_studies, classes
from ..store.db import get_db
from .auth import login_required
from .catalog import forget_stored_lessons, get_catalog, take_in_saved
from .forms import ConfirmForm

bp = Blueprint("casestudy", __name__, url_prefix="/teacher/case-studies")
KIND_CHOICES = [SelectChoice("hedge", "Hedge word"), SelectChoice("unsourced", "Unsourced claim"),
                SelectChoice("seo_filler", "SEO filler")]
STATUS_CHOICES = [SelectChoice("required", "Required"), SelectChoice("acceptable", "Acceptable"),
                  SelectChoice("reject", "Reject (leave out)")]
BLANK_ROWS = 3


class ArticleForm(FlaskForm):
    title = StringField("Title of the case study", validators=[DataRequired(), Length(max=120)])
    text = TextAreaField("Paste the article", validators=[Optional(), Length(max=MAX_ARTICLE_CHARS)])
    upload = FileField("…or upload it (.txt or .md)",
                       validators=[FileAllowed(["txt", "md"], "Upload a .txt or .md file.")])


class ItemForm(Form):
    text = StringField("Exact text", validators=[Optional(), Length(max=2000)])
    occurrence = IntegerField("Occurrence", default=1, validators=[Optional(), NumberRange(min=1, max=10_000)])
    kind = SelectField("Kind", choices=KIND_CHOICES)
    status = SelectField("Decision", choices=STATUS_CHOICES)
    explanation = StringField("Explanation for learners", validators=[Optional(), Length(max=500)])
    reason = HiddenField()


class ReviewForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=120)])
    case_study_id = HiddenField()  # set when editing a stored case study
    article = HiddenField(validators=[DataRequired(), Length(max=MAX_ARTICLE_CHARS)])
    teacher_notes = TextAreaField("Teacher notes (optional)", validators=[Optional(), Length(max=5000)])
    items = FieldList(FormField(ItemForm))

    def validate_article(self, field):
        if not canonical_text(field.data or ""):
            raise ValidationError("The article is empty.")


def read_article(form: ArticleForm) -> str | None:
    upload = form.upload.data
    if upload and upload.filename:
        try:
            text = decode_text(upload.read(MAX_ARTICLE_CHARS * 4 + 1), "article")
        except NotText as exc:
            form.upload.errors.append(str(exc))
            return None
    else:
        text = form.text.data or ""
    if not canonical_text(text):
        form.text.errors.append("Paste the article or upload a file.")
        return None
    if len(text) > MAX_ARTICLE_CHARS:
        form.text.errors.append(f"The article is too long (at most {MAX_ARTICLE_CHARS // 1000} KB).")
        return None
    return canonical_text(text)


def context_of(article: Article, start: int, end: int) -> tuple[str, str, str]:
    """The sentence around a span, cut into before / the span / after, for highlighting."""
    sentence = next((s for s in article.sentences if s.start <= start < s.end), None)
    lo, hi = (sentence.start, max(sentence.end, end)) if sentence else (start, end)
    return article.text[lo:start], article.text[start:end], article.text[end:hi]


def occurrence_of(text: str, needle: str, start: int) -> int:
    return text.count(needle, 0, start) + 1 if needle else 1


def review_form_for(title: str, article: Article) -> ReviewForm:
    form = ReviewForm(formdata=None, title=title, article=article.text)
    for suggestion in suggest(article.text):
        needle = article.text[suggestion.start:suggestion.end]
        form.items.append_entry({
            "text": needle, "occurrence": occurrence_of(article.text, needle, suggestion.start),
            "kind": suggestion.kind, "status": "required", "explanation": suggestion.reason,
            "reason": suggestion.reason,
        })
    for _ in range(BLANK_ROWS):
        form.items.append_entry({"status": "reject", "kind": "hedge"})
    return form


def render_review(form: ReviewForm, problems=(), status=200, ask_copy=False):
    article = Article(form.article.data)
    rows = []
    for entry in form.items:
        span = article.find(entry.form.text.data or "", entry.form.occurrence.data or 1)
        rows.append((entry, context_of(article, *span) if span else None))
    return render_template("casestudy/review.html", form=form, rows=rows, problems=problems,
                           ask_copy=ask_copy), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ArticleForm()
    if form.validate_on_submit():
        text = read_article(form)
        if text is not None:
            return render_review(review_form_for(form.title.data.strip(), Article(text)))
    status = 422 if request.method == "POST" else 200
    return render_template("casestudy/new.html", form=form), status


def unique_slug(title: str) -> str:
    """A slug no lesson has, whose exercise ids ("<slug>-hedge"…) no exercise has either: a case
    study titled "Transfer" must not take the built-in transfer exercises' ids."""
    catalog = get_catalog()
    base = slugify(title)
    slug, number = base, 2
    while (slug in catalog.lessons or case_studies.slug_taken(get_db(), slug)
           or any(f"{slug}-{suffix}" in catalog.exercises for suffix in EXERCISE_SUFFIXES.values())):
        slug, number = f"{base}-{number}", number + 1
    return slug


def form_problems(form: ReviewForm) -> list[str]:
    """Readable messages for a review form's errors, naming the row of each item."""
    problems = []
    for name, errors in form.errors.items():
        if name != "items":
            problems.extend(f"{form[name].label.text}: {error}" for error in errors)
    for number, entry in enumerate(form.items, 1):
        for name, errors in entry.form.errors.items():
            problems.extend(f"Item {number}, {entry.form[name].label.text.lower()}: {error}" for error in errors)
    return problems


@bp.post("/save")
@login_required
def save():
    form = ReviewForm()
    if not form.validate():
        problems = form_problems(form)
        if form.article.errors:
            flash("The article was lost on the way; please paste it again.", "error")
            return redirect(url_for(".new"))
        return render_review(form, problems, 422)
    items = [
        DraftItem(e.text.data.strip(), e.occurrence.data or 1, e.kind.data, e.status.data,
                  (e.explanation.data or "").strip())
        for e in (entry.form for entry in form.items)
        if e.status.data != "reject" and (e.text.data or "").strip()
    ]
    db, title = get_db(), form.title.data.strip()
    editing = own_case_study(form.case_study_id.data) if form.case_study_id.data else None
    if (case_studies.title_taken(db, g.instructor["id"], title, editing["id"] if editing else None)
            and request.form.get("copy_ok") != "1"):
        return render_review(form, [f"You already have a case study called “{title}”. Change the title, or tick "
                                    "the box below to save a second one with the same title."], 409, ask_copy=True)
    slug = editing["slug"] if editing else unique_slug(form.title.data)
    try:
        lesson, exercises, key_yaml, lesson_md = build_case_study(title, form.article.data, items, slug,
                                                                  form.teacher_notes.data or "")
    except ContentError as exc:
        return render_review(form, [p.message for p in exc.problems], 422)
    if editing:
        case_study_id = case_studies.replace_case_study(db, editing["id"], title=lesson.title,
                                                        article=form.article.data, key_yaml=key_yaml,
                                                        lesson_md=lesson_md)
    else:
        case_study_id = case_studies.add_case_study(db, slug=slug, title=lesson.title,
                                                    instructor_id=g.instructor["id"], article=form.article.data,
                                                    key_yaml=key_yaml, lesson_md=lesson_md)
    take_in_saved(case_study_id, g.instructor["id"], lesson, exercises)
    flash(f"Saved “{lesson.title}”. Assign it to a class in the class settings.", "info")
    return redirect(url_for("learn.lesson", slug=slug))


# --- your case studies: list, edit, duplicate, delete ---------------------------------------------


def own_case_study(raw_id) -> dict:
    """The logged-in teacher's case study with this id; 404 otherwise (another teacher's too)."""
    try:
        case_study_id = int(raw_id)
    except (TypeError, ValueError):
        abort(404, "No such case study.")
    row = case_studies.get_case_study(get_db(), case_study_id)
    if row is None or row["instructor_id"] != g.instructor["id"]:
        abort(404, "No such case study.")
    return row


def classes_of_case_study(row: dict) -> list[dict]:
    lesson = get_catalog().lessons.get(row["slug"])
    ids = [exercise.id for exercise in lesson.exercises] if lesson else []
    return classes.classes_using(get_db(), g.instructor["id"], ids)


def draft_items(row: dict) -> list[DraftItem]:
    try:
        return draft_items_from_key(row["key_yaml"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        abort(409, f"“{row['title']}” cannot be changed here: {exc}.")


@bp.get("/")
@login_required
def index():
    rows = [(row, classes_of_case_study(row)) for row in case_studies.case_studies_of(get_db(), g.instructor["id"])]
    return render_template("casestudy/index.html", rows=rows, form=ConfirmForm())


@bp.get("/<id:case_study_id>/edit")
@login_required
def edit(case_study_id):
    row = own_case_study(case_study_id)
    items = draft_items(row)
    form = ReviewForm(formdata=None, title=row["title"], article=row["article"], case_study_id=str(row["id"]),
                      teacher_notes=teacher_notes_of(row["lesson_md"]))
    for item in items:
        form.items.append_entry({"text": item.text, "occurrence": item.occurrence, "kind": item.kind,
                                 "status": item.status, "explanation": item.explanation})
    for _ in range(BLANK_ROWS):
        form.items.append_entry({"status": "reject", "kind": "hedge"})
    return render_review(form)


@bp.post("/<id:case_study_id>/duplicate")
@login_required
def duplicate(case_study_id):
    row = own_case_study(case_study_id)
    db = get_db()
    title = f"{row['title']} (copy)"[:120]
    number = 2
    while case_studies.title_taken(db, g.instructor["id"], title):
        title, number = f"{row['title']} (copy {number})"[:120], number + 1
    slug = unique_slug(title)
    try:
        lesson, _, key_yaml, lesson_md = build_case_study(title, row["article"], draft_items(row), slug,
                                                          teacher_notes_of(row["lesson_md"]))
    except ContentError as exc:
        abort(409, "The case study could not be copied: " + "; ".join(p.message for p in exc.problems))
    case_studies.add_case_study(db, slug=slug, title=lesson.title, instructor_id=g.instructor["id"],
                                article=row["article"], key_yaml=key_yaml, lesson_md=lesson_md)
    forget_stored_lessons()
    flash(f"Made “{lesson.title}”, a copy you can change without touching the classes that use the original.",
          "info")
    return redirect(url_for(".index"))


@bp.route("/<id:case_study_id>/delete", methods=["GET", "POST"])
@login_required
def delete(case_study_id):
    row = own_case_study(case_study_id)
    using = classes_of_case_study(row)
    if request.method == "POST":
        case_studies.delete_case_study(get_db(), row["id"])
        forget_stored_lessons()
        flash(f"Deleted the case study “{row['title']}”.", "info")
        return redirect(url_for(".index"))
    consequence = "Its article and answer key are deleted for good."
    if using:
        consequence += (" It is assigned to " + ", ".join(klass["title"] for klass in using) +
                        ": those classes lose its exercises, and their students' scores at them leave the "
                        "dashboard and the exports. Download the scores first if you need them.")
    return render_template("instructor/confirm_delete.html", form=ConfirmForm(),
                           what=f"the case study “{row['title']}”", consequence=consequence,
                           cancel=url_for(".index"))
