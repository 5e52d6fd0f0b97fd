from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ilonet.core"
    label = "core"
