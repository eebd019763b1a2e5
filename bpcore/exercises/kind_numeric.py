"""Exercises whose answer is a number or an array, checked with a tolerance."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

import numpy as np

from .base import Exercise, Solution, quietly
from .checkers import Refusal, as_numbers, close, diagnose_array, fmt
from .feedback import Feedback

__all__ = ["NumericExercise"]


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class NumericExercise(Exercise):
    """A number or an array, compared with a tolerance (see :func:`checkers.close`).

    ``setup()`` returns the data namespace; ``answer(ns)`` the reference; each mistake's
    ``wrong(ns)`` the wrong answer it produces.  ``given_names`` names the attributes of
    the namespace that :meth:`data` hands to the learner.  ``quantity`` is the
    symbol used in messages ("δ²"); ``ns.m``, if present, is the batch size used to
    recognise a factor of m.
    """
    setup: Callable
    answer: Callable
    given_names: tuple = ()
    quantity: str = "answer"
    rtol: float = 1e-3
    atol: float = 1e-9
    kind: ClassVar[str] = "numeric"

    def reference(self):
        value = self.answer(self.setup())
        if isinstance(value, tuple):
            return value
        arr = np.array(value, dtype=float)
        return float(arr) if arr.ndim == 0 else arr

    def data(self):
        ns = self.setup()
        return {name: _copy(getattr(ns, name)) for name in self.given_names}

    def submit(self):
        want = self.reference()
        if isinstance(want, tuple):
            return f"{self.quantity}, as a tuple of {len(want)} integers"
        if isinstance(want, float):
            return f"{self.quantity}, a single number"
        return f"{self.quantity}, a NumPy array of shape {want.shape}"

    def _answer_data(self):
        return self.setup()

    def check(self, answer):
        ns = self.setup()
        want = as_numbers(self.answer(ns))
        try:
            got = as_numbers(answer)
        except Refusal as refusal:
            return self._fail(str(refusal))
        if close(got, want, self.rtol, self.atol):
            note = ""
            if got.shape != want.shape and want.size > 1:
                note = (f" (The book stores this as shape {want.shape}; your shape "
                        f"{got.shape} holds the same numbers.)")
            raw = self.answer(ns)
            shown = str(tuple(raw)) if isinstance(raw, tuple) else fmt(want)
            return Feedback(True, f"{self.quantity} = {shown}{note}", self.id)
        for mk in self.known_mistakes:
            wrong = quietly(mk.wrong, ns)
            if wrong is None:
                continue
            wrong = as_numbers(wrong)
            if close(got, wrong, self.rtol, self.atol) and not close(want, wrong, self.rtol,
                                                                       self.atol):
                return self._fail(mk.hint, mk.name)
        return self._unrecognised(diagnose_array(got, want, self.quantity, self.rtol,
                                                 self.atol, getattr(ns, "m", None)))

    def solution(self):
        want = self.reference()
        text = str(want) if isinstance(want, tuple) else fmt(want, limit=4000)
        return Solution(self.id, self.title, self.explanation, f"{self.quantity} =\n{text}")


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value
