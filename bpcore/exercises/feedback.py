"""What a check returns: a :class:`Feedback`, shown as a coloured box in Jupyter.

The box never relies on colour alone: its text starts with "✓ Correct" or "✗ Not yet".

>>> fb = Feedback(False, "You left out σ′(z).", "ch4-bp1-delta", mistake="missing σ′")
>>> print(fb)
✗ Not yet: You left out σ′(z).
>>> bool(fb), fb.mistake
(False, 'missing σ′')
"""
from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Feedback"]

_STYLE = {
    True: ("bp-feedback bp-feedback-correct", "#1a7f37", "rgba(26, 127, 55, 0.12)", "✓ Correct"),
    False: ("bp-feedback bp-feedback-wrong", "#cf222e", "rgba(207, 34, 46, 0.10)", "✗ Not yet"),
}


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
        return _STYLE[bool(self.correct)][3]

    def __bool__(self):
        return bool(self.correct)

    def __str__(self):
        return f"{self.label}: {self.message}" if self.message else self.label

    def _repr_html_(self):
        css_class, border, background, label = _STYLE[bool(self.correct)]
        exercise = (f' data-exercise="{html.escape(self.exercise_id)}"'
                    if self.exercise_id else "")
        return (f'<div class="{css_class}"{exercise} style="border: 2px solid {border}; '
                f'border-left-width: 6px; background: {background}; color: inherit; '
                f'border-radius: 4px; padding: 0.5em 0.75em; margin: 0.25em 0;">'
                f'<strong>{label}</strong>'
                + (f'<div style="white-space: pre-wrap; margin-top: 0.25em;">'
                   f'{html.escape(self.message)}</div>' if self.message else "")
                + "</div>")
