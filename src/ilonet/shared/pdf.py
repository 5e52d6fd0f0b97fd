"""PDF documents in the EU look (minutes, activity report): WeasyPrint renders an HTML
template with our print stylesheet (``ilonet/css/print-report.css``), the Commission logo and
the self-hosted Inter font. Only files under the static folder can be loaded: a document never
fetches anything from the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

STATIC_ROOT = Path(settings.STATICFILES_DIRS[0]).resolve()


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError("ILOnet PDFs load local static files only")
            if not Path(unquote(parts.path)).resolve().is_relative_to(STATIC_ROOT):
                raise ValueError("ILOnet PDFs load files from the static folder only")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols=("file",))


def render_pdf(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
