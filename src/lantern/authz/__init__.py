"""The one authorisation gate. Every view, API endpoint, export and page goes through it; default deny.

Three verbs (see `gate`): ``can(actor, action, obj)``, ``require(...)``, ``visible(actor, action, Model)``,
plus ``access(actor, action, Model, pk)`` which fetches a protected object or raises `NotVisible` (a 404).
Rules live in each app's ``policies.py`` and are registered here when Django starts.
"""
