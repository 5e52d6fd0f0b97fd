from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's top: URL root, home page, error pages, navigation, demo commands."""

    name = "ilonet.site"
    label = "site"

    def ready(self) -> None:
        from ilonet.shared.uploads import checks  # noqa: F401  (registers the deployment checks)
