"""Instructor page "New case study": paste or upload an article, review the assistant's
suggestions, and save a lesson that validates exactly like the built-in one."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import FieldList, Form, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..domain.analysis import EXERCISE_SUFFIXES, suggest
from ..domain.article import Article, canonical_text
from ..domain.authoring import MAX_ARTICLE_CHARS, DraftItem, build_case_study, slugify
from ..domain.content import ContentError
from ..domain.textfiles import NotText, decode_text
from ..store import case_studies
from ..store.db import get_db
from .auth import login_required
from .catalog import forget_stored_lessons, get_catalog

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


def render_review(form: ReviewForm, problems=(), status=200):
    article = Article(form.article.data)
    rows = []
    for entry in form.items:
        span = article.find(entry.form.text.data or "", entry.form.occurrence.data or 1)
        rows.append((entry, context_of(article, *span) if span else None))
    return render_template("casestudy/review.html", form=form, rows=rows, problems=problems), status


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
    slug = unique_slug(form.title.data)
    try:
        lesson, _, key_yaml, lesson_md = build_case_study(
            form.title.data.strip(), form.article.data, items, slug, form.teacher_notes.data or "")
    except ContentError as exc:
        return render_review(form, [p.message for p in exc.problems], 422)
    case_studies.add_case_study(get_db(), slug=slug, title=lesson.title, instructor_id=g.instructor["id"],
                                article=form.article.data, key_yaml=key_yaml, lesson_md=lesson_md)
    forget_stored_lessons()
    flash(f"Saved “{lesson.title}”. Assign it to a class in the class settings.", "info")
    return redirect(url_for("learn.lesson", slug=slug))
