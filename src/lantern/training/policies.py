"""Who may do what in training (gate rules, default deny)."""
