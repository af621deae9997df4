"""Recipes: one module per kind of document that runs load → rules → context → docx → PDF."""
