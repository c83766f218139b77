"""Who may do what in insights (gate rules, default deny)."""
