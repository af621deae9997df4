"""Model → template context: pure functions, one module per kind of document."""
