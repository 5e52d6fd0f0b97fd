"""Guards the guard: the PDF reader of the workflow tests reads what the platform's PDF path
(WeasyPrint, the EU layout, the Inter font in regular and bold) writes, wrapped lines and
accented letters included, and finds no text that is not there."""

import pytest

from ilonet.shared import pdf

from .pdftext import contains, pdf_text

TITLE = "Gemeenschappelijke aanpak voor informatiesessies – consulair personeel in Dakar, Niamey en Bamako"


@pytest.fixture(scope="module")
def document() -> bytes:
    """A document in the layout of every platform PDF (``templates/pdf/base.html``)."""
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block title %}T{% endblock %}'
        "{% block heading %}" + TITLE + "{% endblock %}"
        "{% block body %}<p>Aangenomen: <strong>17</strong> stemmen vóór.</p>{% endblock %}"
    )
    from weasyprint import HTML

    return HTML(string=template.render({}), base_url=pdf.STATIC_ROOT.as_uri() + "/",
                url_fetcher=pdf._fetcher()).write_pdf()  # fmt: skip


def test_the_reader_finds_the_text_of_a_platform_pdf(document):
    text = pdf_text(document)
    assert contains(text, TITLE)  # long enough to wrap
    assert contains(text, "Aangenomen: 17 stemmen vóór.")  # regular and bold glyphs


def test_the_reader_finds_no_text_that_is_not_there(document):
    assert not contains(pdf_text(document), "Verworpen")
    with pytest.raises(ValueError, match="not a PDF"):
        pdf_text(b"<html>")
