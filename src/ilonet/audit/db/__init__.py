"""Database backends of the audit core: PostgreSQL with the audit chain's events appended at
commit (``postgresql``, set as ``ENGINE`` by the settings)."""
