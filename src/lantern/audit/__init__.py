"""The tamper-evident audit trail: every change, and every view or export of personal data."""
