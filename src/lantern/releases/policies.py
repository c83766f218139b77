"""Who may do what in releases (gate rules, default deny)."""
