"""Issue 7: one cleaner for single-line text: input with line breaks, control or text-direction
characters is refused (forms and API), download names are sanitised."""

import pytest

from ilonet.deployments.forms import DeploymentUpdateForm
from ilonet.networks.forms import ActivityForm
from ilonet.shared.exports import csv_response
from ilonet.shared.text import attachment, safe_filename, single_line_problem

BAD = ["a\r\nb", "report\u202egpj.exe.pdf", "x\u2066y\u2069", "nul\x00", "tab\tx", "del\x7f", "\u200fmark"]


@pytest.mark.parametrize("value", BAD)
def test_the_cleaner_refuses_control_and_direction_characters(value):
    assert single_line_problem(value)


@pytest.mark.parametrize(
    "value", ["Embassy of the Netherlands in Rabat", "Ambassade – Dakar", "سفارة", "上海"]
)
def test_the_cleaner_accepts_plain_text_in_any_script(value):
    assert single_line_problem(value) is None


def test_a_download_name_is_sanitised():
    name = safe_filename("report\u202egpj.exe.pdf")
    assert name == "reportgpj.exe.pdf"
    header = attachment('evil"\r\nSet-Cookie: x.csv')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


def test_the_csv_export_header_carries_a_clean_name():
    response = csv_response([], filename="list\u202ecsv.exe")
    assert "\u202e" not in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_page_form_refuses_a_title_with_a_direction_override():
    form = DeploymentUpdateForm(data={"place_name": "Embassy\u202e", "city": "Rabat"})
    form.is_valid()
    assert "place_name" in form.errors
    assert "city" not in form.errors


def test_an_activity_title_with_a_line_break_is_refused():
    form = ActivityForm(data={"title": "one\ntwo"})
    form.is_valid()
    assert "title" in form.errors
