"""Lantern: identify, refer and support presumed victims of trafficking in human beings."""

__version__ = "0.1.0"
