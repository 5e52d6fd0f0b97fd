from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ilonet.api"
    label = "api"
