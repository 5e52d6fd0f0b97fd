"""CSV exports neutralise cells a spreadsheet would run as formulas (CSV injection)."""

import csv
import io

import pytest
from django.urls import reverse

from ilonet.shared.exports import csv_response, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+cmd", "-A1", "@SUM(A1)", "\tx"])
def test_formula_like_text_is_prefixed(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Anna", "", 42, None, "a=b", "+221 77 123 45 67", "-12.5"])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value


def test_csv_response_streams_header_and_safe_rows():
    response = csv_response(iter([["=cmd", 1]]), header=["name", "n"], filename="x.csv")
    body = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(body))) == [["name", "n"], ["'=cmd", "1"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


@pytest.mark.django_db
def test_audit_export_neutralises_an_attackers_login_name(client, admin_user, login):
    # A login name that is a valid address and a formula: it lands in the audit trail as typed.
    client.post(reverse("account_login"), {"login": "=1+2@evil.example", "password": "x"})
    admin = login(admin_user)
    response = admin.get(reverse("audit:event_export"), {"action": "auth.login_failed"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    labels = [row[2] for row in rows[1:]]
    assert labels == ["'=1+2@evil.example"]
