"""PDF engines: docx in, PDF out; looked up by name in one registry (see base.py)."""

from __future__ import annotations

from .base import ENGINES, Engine, get_engine

__all__ = ["ENGINES", "Engine", "get_engine"]
