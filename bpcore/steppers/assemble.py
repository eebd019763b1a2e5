"""The one way a stepper becomes a widget: count, draw, check the size, build.

Every stepper computes its :class:`~bpcore.steppers.model.Step` s with pictures still
:class:`~bpcore.steppers.pictures.Pending`, then calls :func:`assemble`.

>>> from bpcore.steppers.model import Step
>>> s = assemble("demo", "Two views", [Step("One", "<p>1</p>"), Step("Two", "<p>2</p>")],
...              "a demo stepper")
>>> s.kind, len(s), type(s).__name__
('demo', 2, 'Stepper')
"""
from __future__ import annotations

from dataclasses import replace

from .checks import check_budget, check_count, embedded_size
from .model import Stepper
from .pictures import Pending
from .view import stepper_widget

__all__ = ["assemble"]


def _drawn(png):
    return png.draw() if isinstance(png, Pending) else png


def assemble(kind, title, steps, what, *, result=Stepper, fields=None, choices=None,
             choice_pictures=None, **view):
    """Count the views, draw the pending pictures, check the page budget, build the widget.

    ``steps`` is a list of Steps or, with ``choices`` (one label per group), one equally
    long list per choice; ``choice_pictures`` holds a (png, alt) per choice, the png
    possibly Pending.  ``view`` passes the other options of
    :func:`~bpcore.steppers.view.stepper_widget` (``positions``, ``start``, ...).
    Returns ``result(kind, title, steps, widget, **fields)`` with ``steps`` flat (choice
    by choice).  Raises ValueError, naming ``what``, for too many views (before drawing)
    or a page state over ``bpcore.steppers.MAX_EMBED_BYTES``.
    """
    groups = [steps] if choices is None else steps
    check_count(sum(len(g) for g in groups), what)
    groups = [[replace(s, png=_drawn(s.png)) if isinstance(s.png, Pending) else s for s in g]
              for g in groups]
    if choice_pictures is not None:
        choice_pictures = [(_drawn(png), alt) for png, alt in choice_pictures]
    flat = [s for g in groups for s in g]
    check_budget(embedded_size(flat, [png for png, _ in choice_pictures or ()]), what)
    widget = stepper_widget(groups[0] if choices is None else groups, title, kind,
                            choices=choices, choice_pictures=choice_pictures, **view)
    return result(kind, title, tuple(flat), widget, **(fields or {}))
