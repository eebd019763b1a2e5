"""Exercises whose answer is a function the learner writes, run on hidden cases."""
from __future__ import annotations

import inspect
import numbers
from dataclasses import dataclass
from typing import Callable, ClassVar

import numpy as np

from .base import Exercise, Solution, seed_of
from .checkers import Refusal, _kind, as_numbers, call_safely, close, diagnose_array, fmt, short
from .feedback import Feedback

__all__ = ["FunctionExercise"]


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class FunctionExercise(Exercise):
    """A function the learner writes, run on hidden random cases against bpcore.

    ``params`` are its parameter names, in the order the checker passes them; ``cases(rng)``
    returns a list of dicts, name -> array; ``oracle(*args)`` computes the expected result
    with bpcore; ``model`` is the model solution shown in the book (tests check it against
    the oracle).  Each mistake's ``wrong(*args)`` is a wrong implementation.
    """
    name: str
    params: tuple
    returns: str
    cases: Callable
    oracle: Callable
    model: Callable
    rtol: float = 1e-6
    kind: ClassVar[str] = "function"

    def reference(self):
        return self.model

    def hidden_cases(self):
        return self.cases(np.random.default_rng(seed_of(self.id)))

    def data(self):
        return {p: np.array(v, copy=True) for p, v in self.hidden_cases()[0].items()}

    def submit(self):
        return f"a function def {self.name}({', '.join(self.params)}) returning {self.returns}"

    def _signature(self):
        return f"{self.name}({', '.join(self.params)})"

    def _refuse_non_function(self, fn):
        what = f"a function such as def {self._signature()}: ..."
        if fn is None:
            return f"Your answer is None; the exercise wants {what}"
        if isinstance(fn, (str, bytes)):
            return (f"Your answer is the text {short(fn)}; text is never run. Define {what} "
                    f"in a cell and pass the function itself: check(..., {self.name}).")
        if isinstance(fn, type):
            return f"Your answer is the class {fn.__name__}; the exercise wants {what}"
        if isinstance(fn, (np.ndarray, list, tuple, numbers.Number)):
            return (f"Your answer is {_kind(fn)}: you passed a result, not the "
                    f"function. Pass the function itself, without calling it: "
                    f"check(..., {self.name}).")
        if not callable(fn):
            return f"Your answer is {_kind(fn)}; the exercise wants {what}"
        return None

    def _describe_case(self, index, n, args, printed=""):
        parts = [f"{p} = {fmt(a, oneline=True)}  (shape {a.shape})"
                 for p, a in zip(self.params, args)]
        text = f"Hidden case {index + 1} of {n}, with inputs:\n  " + "\n  ".join(parts)
        if printed.strip():
            text += f"\nYour function printed:\n{printed[:500]}"
        return text

    def _match_mistake(self, got, args, want, error=None):
        for mk in self.known_mistakes:
            if error is not None:
                if mk.error and mk.error.lower() in error.lower():
                    return mk
                continue
            if mk.wrong is None:
                continue
            wrong, exc, _ = call_safely(mk.wrong, [np.array(a, copy=True) for a in args])
            if exc is not None or wrong is None:
                continue
            wrong = np.asarray(wrong, dtype=float)
            if close(got, wrong, self.rtol) and not close(want, wrong, self.rtol):
                return mk
        return None

    def check(self, answer):
        refusal = self._refuse_non_function(answer)
        if refusal:
            return self._fail(refusal)
        try:
            signature = inspect.signature(answer)
        except (TypeError, ValueError):
            signature = None
        if signature is not None:
            try:
                signature.bind(*self.params)
            except TypeError:
                return self._fail(f"Your function has the signature {signature}, but the checker "
                                  f"calls it as {self._signature()}, with {len(self.params)} "
                                  "arguments in that order.")
        cases = self.hidden_cases()
        n = len(cases)
        for i, case in enumerate(cases):
            args = [np.array(case[p], dtype=float, copy=True) for p in self.params]
            originals = [a.copy() for a in args]
            want = np.asarray(self.oracle(*[a.copy() for a in originals]), dtype=float)
            result, error, printed = call_safely(answer, args)
            where = self._describe_case(i, n, originals, printed)
            if error is not None:
                text = f"{type(error).__name__}: {short(str(error))[1:-1]}"
                mk = self._match_mistake(None, originals, want, error=text)
                if mk is not None:
                    return self._fail(f"{mk.hint}\n(Your function raised {text})\n{where}", mk.name)
                return self._unrecognised(
                    f"Your function raised {text}\n{where}\n{_error_hint(text)}")
            changed = [p for p, a, o in zip(self.params, args, originals)
                       if a.shape != o.shape or not np.array_equal(a, o)]
            if changed:
                return self._fail(f"Your function changed its argument {changed[0]} in place "
                                  f"(e.g. with {changed[0]} -= ... or {changed[0]}[...] = ...). "
                                  "The caller's arrays must not change: compute a new array "
                                  f"instead.\n{where}")
            if result is None:
                return self._fail(f"Your function returned None: did you forget `return`?\n{where}")
            try:
                got = as_numbers(result, "What your function returned")
            except Refusal as refusal:
                return self._fail(f"{refusal}\n{where}")
            if close(got, want, self.rtol) and got.shape == want.shape:
                continue
            mk = self._match_mistake(got, originals, want)
            if mk is not None:
                return self._fail(f"{mk.hint}\n{where}", mk.name)
            shown = (f"\nYou returned       {fmt(got, oneline=True)}\n"
                     f"but it should be   {fmt(want, oneline=True)}"
                     if got.size <= 48 else "")
            if got.shape != want.shape:
                diagnosis = diagnose_array(got, want, "result", self.rtol)
                if "did you transpose" not in diagnosis:
                    diagnosis = (f"Your result has shape {got.shape} but should be "
                                 f"{want.shape}.")
                return self._unrecognised(f"{diagnosis}\n{where}{shown}")
            return self._unrecognised(
                f"{diagnose_array(got, want, 'result', self.rtol)}\n{where}{shown}")
        sizes = sorted({c[self.params[-1]].shape for c in cases})
        return Feedback(True, f"{self.name} agrees with bpcore on all {n} hidden cases "
                        f"(shapes of {self.params[-1]}: {', '.join(map(str, sizes))}).", self.id)

    def solution(self):
        try:
            source = inspect.getsource(self.model)
        except (OSError, TypeError):
            source = repr(self.model)
        return Solution(self.id, self.title, self.explanation, source.rstrip())


def _error_hint(text):
    lowered = text.lower()
    if "broadcast" in lowered:
        return ("NumPy could not broadcast two arrays together: compare the shapes above. A "
                "vector of shape (n,) added to an (n, m) array needs to be a column, v[:, None].")
    if "matmul" in lowered or "not aligned" in lowered:
        return ("A matrix product whose inner dimensions do not match: for A @ B the columns "
                "of A must equal the rows of B. Write down each shape; is a transpose missing?")
    return ""
