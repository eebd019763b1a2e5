"""What a check returns: a :class:`Feedback`, shown as a coloured box in Jupyter
(:func:`bpcore.render.feedback`).

The box never relies on colour alone: its text starts with "✓ Correct" or "✗ Not yet".

>>> fb = Feedback(False, "You left out σ′(z).", "ch4-bp1-delta", mistake="missing σ′")
>>> print(fb)
✗ Not yet: You left out σ′(z).
>>> bool(fb), fb.mistake
(False, 'missing σ′')
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import render

__all__ = ["Feedback"]

_LABEL = {True: "✓ Correct", False: "✗ Not yet"}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    ``correct`` says whether the answer passed; ``message`` is the text the reader sees (a
    hint when the answer is wrong); ``mistake`` names the catalogued mistake that was
    recognised, or is None.  ``bool(feedback)`` is ``feedback.correct``.
    """
    correct: bool
    message: str
    exercise_id: str = ""
    mistake: str | None = None

    @property
    def label(self):
        """"✓ Correct" or "✗ Not yet": the words that carry the verdict without colour."""
        return _LABEL[bool(self.correct)]

    def __bool__(self):
        return bool(self.correct)

    def __str__(self):
        return f"{self.label}: {self.message}" if self.message else self.label

    def _repr_html_(self):
        return render.feedback(self)
