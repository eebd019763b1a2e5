"""Number labels shared by the figures: two decimals and a true minus sign.

>>> two_decimals(-0.2)
'−0.20'
"""
from __future__ import annotations

from ..tex import MINUS

__all__ = ["two_decimals"]


def two_decimals(value):
    """``value`` with two decimals, its minus sign the typographic U+2212 (as in the text)."""
    return f"{value:.2f}".replace("-", MINUS)
