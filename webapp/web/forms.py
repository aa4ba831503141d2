"""WTForms classes shared by the learner pages. Each form posts to one view; CSRF comes from
Flask-WTF's FlaskForm. What a form carries of the answer itself is read by the exercise's kind
(`answer_from_form`), so one form serves every kind."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

SUBMISSION_ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


class CheckForm(FlaskForm):
    """A check of any kind of exercise: the answer's own fields travel beside these."""

    submission_id = HiddenField(validators=[DataRequired(), Length(min=8, max=64), Regexp(SUBMISSION_ID_PATTERN)])
    confirm_empty = HiddenField(default="")


class UnitCheckboxesForm(FlaskForm):
    """The no-JavaScript marking form: one checkbox per unit of the current part."""

    units = SelectMultipleField(coerce=int, option_widget=CheckboxInput(), widget=ListWidget(), validate_choice=True)
    submission_id = HiddenField(validators=[DataRequired(), Length(min=8, max=64), Regexp(SUBMISSION_ID_PATTERN)])
    save = SubmitField("Save and continue")
    check = SubmitField("Check my answers")


class ConfirmForm(FlaskForm):
    """A button that changes something, with nothing else to say (finish, release, delete)."""
