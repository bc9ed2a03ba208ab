"""An address with a number no row can have (too large for the database's
integers) is a page that does not exist, on every admin screen that takes one."""

import pytest
from django.urls import reverse

HUGE = 10**20

#: (URL name, its other arguments): every admin URL of the package that takes a number.
NUMBERED = [
    ("wagtail_dialog_themes", {"dialog_id": 0}),
    ("wagtail_dialog_evaluation", {"dialog_id": 0}),
    ("wagtail_dialog_annual_report_year", {"year": 0}),
    ("wagtail_dialog_annual_report_print", {"year": 0}),
    ("wagtail_dialog_archive", {"dialog_id": 0}),
    ("wagtail_dialog_survey_results", {"survey_id": 0}),
    ("wagtail_dialog_survey_print", {"survey_id": 0}),
    ("wagtail_dialog_survey_add_answer", {"survey_id": 0}),
    ("wagtail_dialog_survey_export", {"survey_id": 0}),
    ("wagtail_dialog_survey_themes", {"survey_id": 0}),
]


@pytest.mark.parametrize(("name", "kwargs"), NUMBERED, ids=[name for name, _ in NUMBERED])
def test_a_number_too_large_for_the_database_is_not_found(admin_client, name, kwargs):
    # Reversed with a number that fits, then given the one that does not.
    small = {key: 2026 if key == "year" else 7 for key in kwargs}
    url = reverse(name, kwargs=small).replace(f"/{next(iter(small.values()))}/", f"/{HUGE}/")
    assert str(HUGE) in url
    response = admin_client.get(url)
    assert response.status_code == 404
