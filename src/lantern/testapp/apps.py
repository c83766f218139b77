from django.apps import AppConfig


class TestappConfig(AppConfig):
    name = "lantern.testapp"
    label = "testapp"
