"""Pages of return cooperation: thin, each asks the policy first (before any lookup)."""
