from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictional demo data and the benchmarks' helper commands: installed in dev, test and bench settings,
    never in production."""

    name = "lantern.demo"
    label = "demo"
    verbose_name = "Demo data"
