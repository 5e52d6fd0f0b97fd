from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's top: URL root, home page, error pages, navigation, demo commands."""

    name = "ilonet.site"
    label = "site"
