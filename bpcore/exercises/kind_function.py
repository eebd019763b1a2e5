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
    returns a list of dicts, name -> array, or name -> list of arrays (one per layer, say);
    ``oracle(*args)`` computes the expected result with bpcore: an array, or a list or tuple
    of them (nested), which the learner's result must match entry by entry; ``model`` is
    the model solution shown in the book (tests check it against the oracle).  Each
    mistake's ``wrong(*args)`` is a wrong implementation.
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
        return {p: _copy(v) for p, v in self.hidden_cases()[0].items()}

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
        parts = [f"{p} = {_shown(a)}" for p, a in zip(self.params, args)]
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
            wrong, exc, _ = call_safely(mk.wrong, [_copy(a) for a in args])
            if exc is not None or wrong is None:
                continue
            try:
                wrong = _shaped_like(wrong, want, "a mistake")
            except Refusal:
                continue
            if _agree(got, wrong, self.rtol) and not _agree(want, wrong, self.rtol):
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
            args = [_copy(case[p]) for p in self.params]
            originals = [_copy(a) for a in args]
            want = _oracle_result(self.oracle(*[_copy(a) for a in originals]))
            result, error, printed = call_safely(answer, args)
            where = self._describe_case(i, n, originals, printed)
            if error is not None:
                text = f"{type(error).__name__}: {short(str(error))[1:-1]}"
                mk = self._match_mistake(None, originals, want, error=text)
                if mk is not None:
                    return self._fail(f"{mk.hint}\n(Your function raised {text})\n{where}", mk.name)
                return self._unrecognised(
                    f"Your function raised {text}\n{where}\n{_error_hint(text)}")
            changed = [p for p, a, o in zip(self.params, args, originals) if not _same(a, o)]
            if changed:
                return self._fail(f"Your function changed its argument {changed[0]} in place "
                                  f"(e.g. with {changed[0]} -= ... or {changed[0]}[...] = ...). "
                                  "The caller's arrays must not change: compute a new array "
                                  f"instead.\n{where}")
            if result is None:
                return self._fail(f"Your function returned None: did you forget `return`?\n{where}")
            try:
                got = _shaped_like(result, want, "What your function returned")
            except Refusal as refusal:
                return self._fail(f"{refusal}\n{where}")
            if _agree(got, want, self.rtol):
                continue
            mk = self._match_mistake(got, originals, want)
            if mk is not None:
                return self._fail(f"{mk.hint}\n{where}", mk.name)
            entry, got_leaf, want_leaf = _first_disagreement(got, want, self.rtol)
            name = "result" + entry
            shown = (f"\nYou returned       {fmt(got_leaf, oneline=True)}\n"
                     f"but it should be   {fmt(want_leaf, oneline=True)}"
                     if got_leaf.size <= 48 else "")
            if got_leaf.shape != want_leaf.shape:
                diagnosis = diagnose_array(got_leaf, want_leaf, name, self.rtol)
                if "did you transpose" not in diagnosis:
                    diagnosis = (f"Your {name} has shape {got_leaf.shape} but should be "
                                 f"{want_leaf.shape}.")
                return self._unrecognised(f"{diagnosis}\n{where}{shown}")
            return self._unrecognised(
                f"{diagnose_array(got_leaf, want_leaf, name, self.rtol)}\n{where}{shown}")
        sizes = sorted({_shape_text(c[self.params[-1]]) for c in cases})
        return Feedback(True, f"{self.name} agrees with bpcore on all {n} hidden cases "
                        f"(shapes of {self.params[-1]}: {', '.join(map(str, sizes))}).", self.id)

    def solution(self):
        try:
            source = inspect.getsource(self.model)
        except (OSError, TypeError):
            source = repr(self.model)
        return Solution(self.id, self.title, self.explanation, source.rstrip())


# --------------------------------------------------------------------------------------
# Arguments and results that are arrays, or (nested) lists and tuples of arrays.

def _is_tree(value):
    return isinstance(value, (list, tuple))


def _copy(value):
    """A float copy: an array, or a list/tuple of copies (so nothing the learner gets is
    shared with the checker).  A whole number (a count such as a truncation length) stays
    a Python int, so that ``range(K)`` works as the learner expects."""
    if _is_tree(value):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return np.array(value, dtype=float, copy=True)


def _same(a, b):
    """Same structure, shapes and values (used to catch in-place changes)."""
    if _is_tree(a) or _is_tree(b):
        return _is_tree(a) and _is_tree(b) and len(a) == len(b) and all(
            _same(x, y) for x, y in zip(a, b))
    if isinstance(a, int) or isinstance(b, int):
        return type(a) is type(b) and a == b
    return a.shape == b.shape and np.array_equal(a, b)


def _oracle_result(value):
    if _is_tree(value):
        return type(value)(_oracle_result(v) for v in value)
    return np.asarray(value, dtype=float)


def _shaped_like(value, want, what):
    """``value`` as arrays laid out like ``want`` (one array, or a list/tuple of them);
    :class:`Refusal` saying what differs otherwise."""
    if not _is_tree(want):
        return as_numbers(value, what)
    if not _is_tree(value):
        arr = as_numbers(value, what)          # text, None, huge...: the usual refusal
        raise Refusal(f"{what} has shape {arr.shape} but should be a list of {len(want)} "
                      f"entries, laid out like {_shape_text(want)}")
    if len(value) != len(want):
        raise Refusal(f"{what} has {len(value)} entries, but the exercise wants "
                      f"{len(want)} (one per {'layer' if len(want) > 2 else 'part'})")
    return [_shaped_like(v, w, f"{what}, entry {i}") for i, (v, w) in enumerate(zip(value,
                                                                                  want))]


def _leaves(tree, path=""):
    if _is_tree(tree):
        return [leaf for i, t in enumerate(tree) for leaf in _leaves(t, f"{path}[{i}]")]
    return [(path, tree)]


def _agree(got, want, rtol):
    return all(g.shape == w.shape and close(g, w, rtol)
               for (_, g), (_, w) in zip(_leaves(got), _leaves(want)))


def _first_disagreement(got, want, rtol):
    """(entry path such as '[0][1]', got's array there, want's array there)."""
    for (path, g), (_, w) in zip(_leaves(got), _leaves(want)):
        if g.shape != w.shape or not close(g, w, rtol):
            return path, g, w
    raise AssertionError("called only when the results disagree")  # internal invariant


def _shape_text(value):
    if _is_tree(value):
        return "[" + ", ".join(_shape_text(v) for v in value) + "]"
    return str(np.shape(value))


def _shown(value):
    if _is_tree(value):
        return f"a list of {len(value)} arrays of shapes {_shape_text(value)}"
    if isinstance(value, int):
        return f"{value} (a whole number)"
    return f"{fmt(value, oneline=True)}  (shape {value.shape})"


def _error_hint(text):
    lowered = text.lower()
    if "broadcast" in lowered:
        return ("NumPy could not broadcast two arrays together: compare the shapes above. A "
                "vector of shape (n,) added to an (n, m) array needs to be a column, v[:, None].")
    if "matmul" in lowered or "not aligned" in lowered:
        return ("A matrix product whose inner dimensions do not match: for A @ B the columns "
                "of A must equal the rows of B. Write down each shape; is a transpose missing?")
    return ""
