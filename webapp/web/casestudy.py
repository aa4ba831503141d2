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
    explanation_draft,
    items_from_selection,
    pin_to_article,
    quoted,
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
from .rendering import split_paragraphs

bp = Blueprint("casestudy", __name__, url_prefix="/teacher/case-studies")
KIND_CHOICES = [SelectChoice("hedge", "Hedge word"), SelectChoice("unsourced", "Unsourced claim"),
                SelectChoice("seo_filler", "SEO filler")]
STATUS_CHOICES = [SelectChoice("required", "Required"), SelectChoice("acceptable", "Acceptable"),
                  SelectChoice("reject", "Reject (leave out)")]
ITEM_NOUNS = {"hedge": "hedge word", "unsourced": "unsourced claim", "seo_filler": "SEO filler"}


class ArticleForm(FlaskForm):
    title = StringField("Title of the case study", validators=[DataRequired(), Length(max=120)])
    text = TextAreaField("Paste the article", validators=[Optional(), Length(max=MAX_ARTICLE_CHARS)])
    upload = FileField("…or upload it (.txt or .md)",
                       validators=[FileAllowed(["txt", "md"], "Upload a .txt or .md file.")])


class ItemForm(Form):
    # Text areas, not one-line inputs: a browser strips the line breaks of a hard-wrapped
    # sentence from an <input>, and a one-line box hides most of a sentence.
    text = TextAreaField("Exact text", validators=[Optional(), Length(max=2000)])
    occurrence = IntegerField("Occurrence", default=1, validators=[Optional(), NumberRange(min=1, max=10_000)])
    kind = SelectField("Kind", choices=KIND_CHOICES)
    status = SelectField("Decision", choices=STATUS_CHOICES)
    explanation = TextAreaField("Explanation for learners", validators=[Optional(), Length(max=1000)])
    reason = HiddenField()


class ReviewForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=120)])
    case_study_id = HiddenField()  # set when editing a stored case study
    # Browsers send the line breaks of a hidden field as CRLF: back to the text every offset indexes.
    article = HiddenField(validators=[DataRequired(), Length(max=MAX_ARTICLE_CHARS)],
                          filters=[lambda text: canonical_text(text) if text else text])
    teacher_notes = TextAreaField("Teacher notes (optional)", validators=[Optional(), Length(max=5000)])
    items = FieldList(FormField(ItemForm))

    def validate_article(self, field):
        if not canonical_text(field.data or ""):
            raise ValidationError("The article is empty.")


class AddItemForm(Form):
    """Items the assistant missed: a sentence of the article, and for a hedge the words in it.
    The script fills both from a selection in the article; without it, the teacher picks the
    sentence from the list and types the hedge word."""

    sentence = SelectField("Sentence", validators=[DataRequired("Choose the sentence the item is in.")])
    words = TextAreaField("Words (for a hedge; leave empty for a whole sentence)",
                          validators=[Optional(), Length(max=2000)])
    near = HiddenField()  # where the script saw the selection begin: tells a repeated word's copies apart

    def choose_from(self, article: Article) -> AddItemForm:
        self.sentence.choices = [SelectChoice("", "Choose a sentence…")] + [
            SelectChoice(str(unit.sentence + 1), f"{unit.sentence + 1}. {quoted(article.text[unit.start:unit.end])}")
            for unit in article.sentences]
        return self

    def near_offset(self) -> int | None:
        try:
            return int(self.near.data)
        except (TypeError, ValueError):
            return None  # no script, or a value it did not write: the first match in the sentence


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


def review_form_for(title: str, article: Article) -> ReviewForm:
    form = ReviewForm(formdata=None, title=title, article=article.text)
    for suggestion in suggest(article.text):
        needle = article.text[suggestion.start:suggestion.end]
        form.items.append_entry({
            "text": needle, "occurrence": article.occurrence_at(suggestion.start, suggestion.end),
            "kind": suggestion.kind, "status": "required", "explanation": explanation_draft(suggestion.kind, needle),
            "reason": suggestion.reason,
        })
    return form


def render_review(form: ReviewForm, problems=(), status=200, ask_copy=False, add_form=None, add_problems=(),
                  first_new=None):
    article = Article(form.article.data)
    rows = []
    for entry in form.items:
        span = article.find_ignoring_spacing(entry.form.text.data or "", entry.form.occurrence.data or 1)
        rows.append((entry, context_of(article, *span) if span else None))
    paragraphs = split_paragraphs(article, [(unit.start, unit.end, unit) for unit in article.sentences])
    return render_template("casestudy/review.html", form=form, rows=rows, problems=problems, ask_copy=ask_copy,
                           paragraphs=paragraphs, add_form=add_form or AddItemForm(prefix="add").choose_from(article),
                           add_problems=add_problems, item_nouns=ITEM_NOUNS, first_new=first_new), status


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


def add_items(form: ReviewForm, kind: str):
    """The review form again with new rows for what the teacher selected (everything entered so
    far kept), or with a message beside the "add" controls saying what is wrong."""
    article = Article(form.article.data)
    add_form = AddItemForm(request.form, prefix="add").choose_from(article)
    if kind not in ITEM_NOUNS:
        return render_review(form, add_form=add_form, add_problems=["Choose the kind of item to add."], status=422)
    if not add_form.validate():
        problems = [f"{add_form[name].label.text}: {error}" for name, errors in add_form.errors.items()
                    for error in errors]
        return render_review(form, add_form=add_form, add_problems=problems, status=422)
    try:
        items = items_from_selection(article, kind, int(add_form.sentence.data) - 1, add_form.words.data or "",
                                     add_form.near_offset())
    except ValueError as exc:
        return render_review(form, add_form=add_form, add_problems=[str(exc)], status=422)
    have = {(item.kind, item.text, item.occurrence)
            for item in (pin_to_article(article, draft_item_of(entry.form)) for entry in form.items)}
    fresh = [item for item in items if (item.kind, item.text, item.occurrence) not in have]
    first_new = len(form.items)
    for item in fresh:
        form.items.append_entry({"text": item.text, "occurrence": item.occurrence, "kind": item.kind,
                                 "status": item.status, "explanation": item.explanation})
    if not fresh:
        return render_review(form, add_form=add_form, status=422, add_problems=[
            f"{quoted(items[0].text)} is already an item ({ITEM_NOUNS[kind]})."])
    flash(f"Added {len(fresh)} item{'s' if len(fresh) > 1 else ''} at the end of the list: check "
          "the explanation.", "info")
    return render_review(form, first_new=first_new)


def draft_item_of(entry: ItemForm) -> DraftItem:
    return DraftItem((entry.text.data or "").strip(), entry.occurrence.data or 1, entry.kind.data, entry.status.data,
                     (entry.explanation.data or "").strip())


@bp.post("/save")
@login_required
def save():
    """Save the reviewed key; or, from an "Add as …" button, add the selected item and show the
    form again."""
    form = ReviewForm()
    valid = form.validate()
    if form.article.errors:
        flash("The article was lost on the way; please paste it again.", "error")
        return redirect(url_for(".new"))
    if "add" in request.form:
        return add_items(form, request.form["add"])
    if not valid:
        return render_review(form, form_problems(form), 422)
    article = Article(form.article.data)
    items = [pin_to_article(article, draft_item_of(e)) for e in (entry.form for entry in form.items)
             if e.status.data != "reject" and (e.text.data or "").strip()]
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
