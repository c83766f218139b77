"""Test-only app: models that exercise the foundation (encryption, audit) before real domains use them."""
