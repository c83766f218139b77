"""Settings: `base` holds everything; `dev`, `test` and `production` change only what differs."""
