from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text search: the index, its background jobs and its two database backends."""

    name = "ilonet.search"
    label = "search"
    verbose_name = _("Search")
