"""Who may do what in public (gate rules, default deny).

No actions: every public page is open to anyone (`@public` in views.py) and reads or writes no personal data.
"""
