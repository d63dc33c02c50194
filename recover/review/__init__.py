"""The review queue: uncertain cells as items in SQLite, a local web page to clear them,
and an export that applies the decisions."""
