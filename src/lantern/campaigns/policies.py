"""Who may do what in campaigns (gate rules, default deny)."""
