"""Who may do what in public (gate rules, default deny)."""
