"""What the rest of the package needs of surveys, registered in one place
(``methods.registry``; the app registers ``METHOD`` when it is ready)."""

from wagtail_dialog.methods.registry import Method
from wagtail_dialog.methods.surveys import answers, exports, results
from wagtail_dialog.methods.surveys.pages import SurveyPage


def archive_sheets(dialog):
    """A sheet for each survey below ``dialog`` for its archive export: every counted answer, personal
    data included (the archive is the municipality's record), one column per question."""
    surveys = SurveyPage.objects.child_of(dialog).order_by("path")
    return [
        (survey.title, results.answers_to(survey).order_by("submit_time", "pk"),
         exports.columns(survey, personal_data=True), exports.chunks)
        for survey in surveys
    ]


METHOD = Method(
    page_model="wagtail_dialog.SurveyPage",
    participants=answers.participants,
    empty_personal_data=answers.empty_personal_data,
    holding_personal_data=answers.holding_personal_data,
    asks_for_personal_data=answers.asks_for_personal_data,
    answers_holding=answers.answers_holding,
    erase_answers=answers.erase_answers,
    archive_sheets=archive_sheets,
    daily_jobs=(
        ("surveys-unconfirmed", "Remove survey answers whose email link was not clicked in time.",
         answers.remove_unconfirmed),
    ),
)
