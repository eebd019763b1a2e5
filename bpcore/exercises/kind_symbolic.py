"""Exercises whose answer is a sympy expression, accepted in any equivalent form."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable, ClassVar

import numpy as np
import sympy

from .base import Exercise, Solution, quietly, seed_of
from .checkers import (Refusal, as_expression, constant_ratio, equivalent, sample_points,
                       values_at)
from .feedback import Feedback

__all__ = ["SymbolicExercise"]


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class SymbolicExercise(Exercise):
    """A sympy expression in ``variables``, accepted in any equivalent form.

    ``answer(s)`` and each mistake's ``wrong(s)`` receive a namespace of the exercise's
    symbols (``s.z``, ``s.w``, ...).  Expressions are compared by evaluation at random
    points of ``domain`` (seeded by the exercise id), see :func:`checkers.equivalent`:
    ``(low, high)`` for real values, a ``range`` for whole numbers (counts of layers,
    neurons or samples), or a dict of those by variable name.
    """
    variables: tuple
    answer: Callable
    quantity: str = "expression"
    domain: tuple | range | dict = (-2.0, 2.0)
    kind: ClassVar[str] = "symbolic"

    def symbols(self):
        return {name: sympy.Symbol(name) for name in self.variables}

    def _ns(self):
        return SimpleNamespace(**self.symbols())

    def reference(self):
        return self.answer(self._ns())

    def data(self):
        return self.symbols()

    def submit(self):
        return (f"{self.quantity}, a sympy expression in {', '.join(self.variables)} "
                "(any equivalent form)")

    def _points(self):
        syms = self.symbols()
        return sample_points(list(syms.values()), np.random.default_rng(seed_of(self.id)),
                             domain=self.domain)

    def check(self, answer):
        syms = self.symbols()
        try:
            got = as_expression(answer, syms)
        except Refusal as refusal:
            return self._fail(str(refusal))
        ns = SimpleNamespace(**syms)
        want = self.answer(ns)
        points = self._points()
        if equivalent(got, want, points):
            same = "" if got == want else f", and your form {got} is equivalent"
            return Feedback(True, f"{self.quantity} = {want}{same}.", self.id)
        for mk in self.known_mistakes:
            wrong = quietly(mk.wrong, ns)
            if wrong is not None and equivalent(got, wrong, points):
                return self._fail(mk.hint, mk.name)
        if got == 0:
            return self._unrecognised("Your expression is 0, and the expected one is not: is "
                                      "it still the placeholder?")
        if equivalent(got, -want, points):
            return self._unrecognised("The sign is flipped: your expression is minus the "
                                      "expected one. Look for a lost minus sign, e.g. in the "
                                      "derivative of e^(−z) or of (y − a).")
        ratio = constant_ratio(got, want, points)
        if ratio is not None:
            return self._unrecognised(f"Your expression is {ratio:.4g} times the expected one: "
                                      "a constant factor is wrong or missing.")
        point = points[0]
        where = ", ".join(f"{s} = {float(v):g}" for s, v in point.items())
        g, w = values_at(got, [point])[0], values_at(want, [point])[0]
        if g is None:
            return self._unrecognised(f"Your expression is undefined at {where}, where the "
                                      f"expected value is {w.real:.6g}.")
        shown = f"{g.real:.6g}" if abs(g.imag) < 1e-12 else f"{g:.6g}"
        return self._unrecognised(f"Not equivalent: at {where} your expression is {shown} but "
                                  f"the expected value is {w.real:.6g}.")

    def solution(self):
        want = self.reference()
        text = f"{self.quantity} = {want}\n\n{sympy.pretty(want, use_unicode=True)}"
        return Solution(self.id, self.title, self.explanation, text)
