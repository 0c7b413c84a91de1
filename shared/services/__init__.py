"""Services: the use cases. They own transactions (only services commit)."""
