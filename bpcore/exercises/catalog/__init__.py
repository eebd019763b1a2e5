"""The auto-checked exercises, one module per chapter: ``ch01.py`` ... ``ch12.py``.

Importing this package imports every ``chNN`` module found in this folder, in chapter
order, and so registers every exercise; nothing lists them by hand.  A new chapter's
exercises are a new ``chNN.py`` here, written with the registrars of
:mod:`bpcore.exercises.core` and data from :mod:`bpcore.examples`.

>>> CHAPTERS[:3]
('ch01', 'ch02', 'ch03')
"""
from __future__ import annotations

import importlib
import pkgutil
import re

__all__ = ["CHAPTERS"]

CHAPTERS = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__)
                        if re.fullmatch(r"ch\d\d", m.name)))

for _name in CHAPTERS:
    importlib.import_module(f"{__name__}.{_name}")
