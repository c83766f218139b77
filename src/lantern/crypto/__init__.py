"""Encryption of identifying data at rest: an authenticated cipher (AES-256-GCM) with rotating keys,
and keyed blind indexes for exact-match search without plaintext."""
