"""What a stepper returns: its steps (:class:`Step`) and their widget (:class:`Stepper`).

>>> step = Step("The input", "<p>$a^{0} = x$</p>", {"a^0_1": 0.05})
>>> step.title, step.values["a^0_1"], step.png is None
('The input', 0.05, True)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import ipywidgets as widgets

__all__ = ["Step", "Stepper", "NudgeExplorer", "CostSurface"]


@dataclass(frozen=True, eq=False)
class Step:
    """One view of a stepper.

    ``title`` is a short plain-text heading, ``latex`` the explanation as HTML with inline
    ``$...$`` and display ``$$...$$`` math, ``values`` the numbers the view shows, at full
    precision, keyed by their book symbol in ASCII (``"z^1_2"``, ``"delta^2"``,
    ``"dC/dW^1"``...).  ``png`` is the picture (or None) and ``alt`` describes it in words.
    """
    title: str
    latex: str
    values: Mapping = field(default_factory=dict)
    png: bytes | None = None
    alt: str = ""


@dataclass(frozen=True, eq=False)
class Stepper:
    """A stepper: its widget, and the steps behind it for tests and for the curious.

    As the last line of a notebook cell it displays its widget.
    """
    kind: str
    title: str
    steps: tuple
    widget: widgets.Widget

    def __len__(self):
        return len(self.steps)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)


@dataclass(frozen=True, eq=False)
class NudgeExplorer(Stepper):
    """The nudge explorer: ``steps`` is weight-major (every nudge of the first weight
    first); ``grid[(name, dw)]`` is the ``values`` of the view for that weight and nudge."""
    weight_names: tuple = ()
    nudges: tuple = ()
    grid: Mapping = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CostSurface(Stepper):
    """The cost-surface stepper: ``steps`` is rate-major; ``paths[label]`` has shape
    (steps + 1, 2), the points p_0, ..., p_T, and ``costs[label]`` the costs there."""
    learning_rates: Mapping = field(default_factory=dict)
    paths: Mapping = field(default_factory=dict)
    costs: Mapping = field(default_factory=dict)
