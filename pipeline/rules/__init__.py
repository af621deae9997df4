"""Domain rules beyond types: one module per kind of document, each returning Problems."""
