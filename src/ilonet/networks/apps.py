from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "ilonet.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        # Membership follows deployments (Art. 5(1)); when a deployment changes, the
        # facilitator of the networks concerned is reviewed in the same transaction (Art. 5(3)).
        from ilonet.deployments import hooks

        from . import services

        hooks.register(services.review_facilitators_for_countries)
        # A facilitator's role is scoped to a network (Art. 5(2)): offered by name when granted.
        from ilonet.accounts import scopes

        from . import selectors

        scopes.register_object_kind(
            scopes.ScopeKind.NETWORK, choices=selectors.grantable_networks, names=selectors.network_names
        )
