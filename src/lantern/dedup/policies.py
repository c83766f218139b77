"""Who may do what in dedup (gate rules, default deny)."""
