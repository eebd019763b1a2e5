"""What a chapter needs from the notebook it runs in, wherever that is.

The book's build runs the chapters with MyST-NB, whose ``glue`` stores a value computed in
a cell so that the page's prose can quote it (``{glue:text}`name```).  A reader who opens
a chapter in Colab or in a downloaded notebook has no MyST-NB and no page to quote into, so
there :func:`glue` shows the value in the cell (or nothing, with ``display=False``; the
chapters print what they glue).

>>> glue("answer", 42, display=False)
"""
from __future__ import annotations

__all__ = ["glue"]


def glue(name, value, display=True):
    """Store ``value`` under ``name`` for the page (MyST-NB's glue), or, where MyST-NB is
    not installed, display it when ``display`` is true.  Returns None."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"glue needs a name (a non-empty str) for the value, got {name!r}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        if display:
            from IPython.display import display as show
            show(value)
        return None
    myst_glue(name, value, display=display)
    return None
