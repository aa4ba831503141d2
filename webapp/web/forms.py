"""WTForms classes. Each form posts to one view; CSRF comes from Flask-WTF's FlaskForm."""

from __future__ import annotations

from flask import json  # the app's JSON provider: a too-deeply nested value is a ValueError
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class CheckForm(FlaskForm):
    """The JavaScript marking page: the marks travel as a JSON list of [start, end] spans."""

    spans = HiddenField(default="[]")
    submission_id = HiddenField(validators=[DataRequired(), Length(min=8, max=64)])

    def validate_spans(self, field):
        try:
            field.parsed = json.loads(field.data or "[]")
        except ValueError:
            raise ValidationError("The marks could not be read; reload the page and try again.") from None


class UnitCheckboxesForm(FlaskForm):
    """The no-JavaScript marking form: one checkbox per unit of the current part."""

    units = SelectMultipleField(coerce=int, option_widget=CheckboxInput(), widget=ListWidget(), validate_choice=True)
    submission_id = HiddenField(validators=[DataRequired(), Length(min=8, max=64)])
    save = SubmitField("Save and continue")
    check = SubmitField("Check my answers")


def quiz_form(exercise, formdata=None):
    """A form with one field per question: radio buttons, or checkboxes for 'select all'."""

    class QuizForm(FlaskForm):
        submission_id = HiddenField(validators=[DataRequired(), Length(min=8, max=64)])
        check = SubmitField("Check my answers")

    for question in exercise.questions:
        choices = [SelectChoice(index, option.text) for index, option in enumerate(question.options)]
        if question.type == "single":
            field = RadioField(question.prompt, choices=choices, coerce=int, validators=[Optional()])
        else:
            field = SelectMultipleField(
                question.prompt, choices=choices, coerce=int,
                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
            )
        setattr(QuizForm, f"q_{question.id.replace('-', '_')}", field)
    return QuizForm(formdata=formdata) if formdata is not None else QuizForm()


def quiz_answers(form, exercise) -> dict[str, list[int]]:
    answers = {}
    for question in exercise.questions:
        value = form[f"q_{question.id.replace('-', '_')}"].data
        if value is None or value == []:
            continue
        answers[question.id] = value if isinstance(value, list) else [value]
    return answers
