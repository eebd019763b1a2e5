"""Auto-checked exercises of chapter 10 (see bpcore/exercises/__init__.py for the template)."""
from __future__ import annotations
