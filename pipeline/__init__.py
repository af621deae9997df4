"""kansli: meeting and plan JSON to Word, PDF/A and signed PDF for Södertörnskommunernas samverkan."""

from __future__ import annotations

__version__ = "0.1.0"
