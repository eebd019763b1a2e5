"""The three kinds of exercise, their catalogued mistakes, and the registry of exercises.

An exercise is one declarative entry: its id, chapter, prompt, how to compute the
reference answer with bpcore, and the mistakes it recognises.  A mistake carries a hint and
a function that computes the WRONG answer that mistake produces, from the same data as the
reference (never a hard-coded number).  A learner's answer that matches a mistake's wrong
answer gets that mistake's hint.

* :class:`NumericExercise`: a number or an array, checked with a tolerance.
* :class:`SymbolicExercise`: a sympy expression, checked as a function of its symbols.
* :class:`FunctionExercise`: a Python function, run on hidden random cases against bpcore.
"""
from __future__ import annotations

import difflib
import html
import inspect
import numbers
import re
import zlib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable, ClassVar

import numpy as np
import sympy

from .checkers import (Refusal, _kind, as_expression, as_numbers, call_safely, close,
                       constant_ratio, diagnose_array, equivalent, fmt, sample_points, short,
                       values_at)
from .feedback import Feedback

__all__ = ["Mistake", "mistake", "Exercise", "NumericExercise", "SymbolicExercise",
           "FunctionExercise", "ExerciseInfo", "Solution", "register", "get", "all_ids"]


@dataclass(frozen=True)
class Mistake:
    """One catalogued mistake.

    ``wrong`` computes the wrong answer the mistake produces: from the exercise's data
    namespace (numeric), from its symbols namespace (symbolic), or from the same arguments
    as the learner's function (function).  ``error``, for function exercises only, is a
    piece of text that, found in "ExceptionType: message" of what the learner's function
    raised, identifies this mistake (case-insensitive).
    """
    name: str
    hint: str
    wrong: Callable | None = None
    error: str | None = None


def mistake(name, hint, wrong=None, *, error=None):
    """Shorthand for :class:`Mistake`; the catalog is written with it."""
    return Mistake(name, hint, wrong, error)


def _seed(exercise_id):
    return zlib.crc32(exercise_id.encode())


def _quiet(fn, *args):
    """fn(*args), or None if it raises (a mistake that cannot occur on this data)."""
    try:
        return fn(*args)
    except Exception:
        return None


@dataclass(frozen=True)
class ExerciseInfo:
    """What :func:`bpcore.exercises.describe` returns: the prompt and how to answer."""
    id: str
    chapter: int
    title: str
    prompt: str
    kind: str
    submit: str
    given: tuple

    def __str__(self):
        lines = [f"Exercise {self.id}: {self.title}", "", self.prompt, "", f"Answer: {self.submit}"]
        if self.given:
            lines.append(f"Data: d = bpcore.exercises.data({self.id!r}) gives "
                         + ", ".join(f"d[{g!r}]" for g in self.given) + ".")
        lines.append(f"Check: bpcore.exercises.check({self.id!r}, your_answer)")
        return "\n".join(lines)

    def _repr_html_(self):
        e = html.escape
        data = ""
        if self.given:
            names = ", ".join(f"<code>d[{e(repr(g))}]</code>" for g in self.given)
            data = (f"<p><strong>Data:</strong> <code>d = bpcore.exercises.data({e(repr(self.id))})"
                    f"</code> gives {names}.</p>")
        return (f'<div class="bp-exercise" data-exercise="{e(self.id)}" style="border: 1px solid '
                f'rgba(127, 127, 127, 0.5); border-radius: 4px; padding: 0.5em 0.75em; '
                f'color: inherit;"><p><strong>{e(self.title)}</strong> '
                f'<small>({e(self.id)})</small></p>'
                f'<p style="white-space: pre-wrap;">{e(self.prompt)}</p>'
                f"<p><strong>Answer:</strong> {e(self.submit)}</p>{data}"
                f"<p><strong>Check:</strong> <code>bpcore.exercises.check({e(repr(self.id))}, "
                f"your_answer)</code></p></div>")


@dataclass(frozen=True)
class Solution:
    """What :func:`bpcore.exercises.solution` returns: the worked answer, for a dropdown."""
    id: str
    title: str
    explanation: str
    answer_text: str

    def __str__(self):
        return f"Solution to {self.id}: {self.title}\n\n{self.explanation}\n\n{self.answer_text}"

    def _repr_html_(self):
        e = html.escape
        return (f'<div class="bp-solution" data-exercise="{e(self.id)}">'
                f'<p style="white-space: pre-wrap;">{e(self.explanation)}</p>'
                f"<pre><code>{e(self.answer_text)}</code></pre></div>")


@dataclass(frozen=True, eq=False, kw_only=True)
class Exercise:
    """Fields every exercise has.  ``hint`` is added when no catalogued mistake matches."""
    id: str
    chapter: int
    title: str
    prompt: str
    mistakes: tuple = ()
    hint: str = ""
    explanation: str = ""
    kind: ClassVar[str] = ""

    def __post_init__(self):
        if not re.fullmatch(r"ch\d+-[a-z0-9]+(-[a-z0-9]+)*", self.id):
            raise ValueError(f"exercise id {self.id!r} must look like 'ch4-bp1-delta': "
                             "'ch', the chapter number, then lowercase words joined by '-'")
        if int(self.id[2:].split("-")[0]) != self.chapter:
            raise ValueError(f"exercise id {self.id!r} does not start with ch{self.chapter}")
        names = [mk.name for mk in self.mistakes]
        if len(set(names)) != len(names):
            raise ValueError(f"exercise {self.id!r} lists a mistake name twice: {names}")
        object.__setattr__(self, "mistakes", tuple(self.mistakes))

    def _fail(self, message, mistake_name=None):
        return Feedback(False, message, self.id, mistake_name)

    def _unrecognised(self, message):
        return self._fail(f"{message} {self.hint}".strip())

    def info(self):
        return ExerciseInfo(self.id, self.chapter, self.title, self.prompt, self.kind,
                            self.submit(), tuple(self.given()))

    def mistake_hints(self):
        return {mk.name: mk.hint for mk in self.mistakes}


# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False, kw_only=True)
class NumericExercise(Exercise):
    """A number or an array, compared with a tolerance (see :func:`checkers.close`).

    ``setup()`` returns the data namespace; ``answer(ns)`` the reference; each mistake's
    ``wrong(ns)`` the wrong answer it produces.  ``given`` names the attributes of the
    namespace that :func:`bpcore.exercises.data` hands to the learner.  ``quantity`` is the
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

    def given(self):
        ns = self.setup()
        return {name: _copy(getattr(ns, name)) for name in self.given_names}

    def submit(self):
        want = self.reference()
        if isinstance(want, tuple):
            return f"{self.quantity}, as a tuple of {len(want)} integers"
        if isinstance(want, float):
            return f"{self.quantity}, a single number"
        return f"{self.quantity}, a NumPy array of shape {want.shape}"

    def wrong_answers(self):
        """{mistake name: (hint, wrong answer as an array)} for this exercise's data."""
        ns = self.setup()
        out = {}
        for mk in self.mistakes:
            value = _quiet(mk.wrong, ns)
            if value is not None:
                out[mk.name] = (mk.hint, np.array(value, dtype=float))
        return out

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
        for mk in self.mistakes:
            wrong = _quiet(mk.wrong, ns)
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


# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False, kw_only=True)
class SymbolicExercise(Exercise):
    """A sympy expression in ``variables``, accepted in any equivalent form.

    ``answer(s)`` and each mistake's ``wrong(s)`` receive a namespace of the exercise's
    symbols (``s.z``, ``s.w``, ...).  Expressions are compared by evaluation at random
    points of ``domain`` (seeded by the exercise id), see :func:`checkers.equivalent`.
    """
    variables: tuple
    answer: Callable
    quantity: str = "expression"
    domain: tuple = (-2.0, 2.0)
    kind: ClassVar[str] = "symbolic"

    def symbols(self):
        return {name: sympy.Symbol(name) for name in self.variables}

    def _ns(self):
        return SimpleNamespace(**self.symbols())

    def reference(self):
        return self.answer(self._ns())

    def given(self):
        return self.symbols()

    def submit(self):
        return (f"{self.quantity}, a sympy expression in {', '.join(self.variables)} "
                "(any equivalent form)")

    def _points(self):
        syms = self.symbols()
        return sample_points(list(syms.values()), np.random.default_rng(_seed(self.id)),
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
        for mk in self.mistakes:
            wrong = _quiet(mk.wrong, ns)
            if wrong is not None and equivalent(got, wrong, points):
                return self._fail(mk.hint, mk.name)
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


# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False, kw_only=True)
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
        return self.cases(np.random.default_rng(_seed(self.id)))

    def given(self):
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
        for mk in self.mistakes:
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

    def wrong_answers(self):
        return {}


def _error_hint(text):
    lowered = text.lower()
    if "broadcast" in lowered:
        return ("NumPy could not broadcast two arrays together: compare the shapes above. A "
                "vector of shape (n,) added to an (n, m) array needs to be a column, v[:, None].")
    if "matmul" in lowered or "not aligned" in lowered:
        return ("A matrix product whose inner dimensions do not match: for A @ B the columns "
                "of A must equal the rows of B. Write down each shape; is a transpose missing?")
    return ""


# --------------------------------------------------------------------------------------
# The registry.

_REGISTRY: dict = {}


def register(exercise):
    """Add ``exercise`` to the catalog and return it.  Ids must be unique."""
    if not isinstance(exercise, Exercise):
        raise TypeError(f"expected an Exercise, got {type(exercise).__name__}")
    if exercise.id in _REGISTRY:
        raise ValueError(f"exercise id {exercise.id!r} is already registered")
    _REGISTRY[exercise.id] = exercise
    return exercise


def all_ids(chapter=None):
    ids = sorted(_REGISTRY, key=lambda i: (_REGISTRY[i].chapter,))
    return [i for i in ids if chapter is None or _REGISTRY[i].chapter == chapter]


def get(exercise_id):
    """The exercise with this id; ValueError naming close matches if there is none."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string such as 'ch4-bp1-delta', got "
                        f"{type(exercise_id).__name__}")
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        close_ids = difflib.get_close_matches(exercise_id, list(_REGISTRY), n=5, cutoff=0.5)
        suggestion = (f"; did you mean {', '.join(repr(c) for c in close_ids)}?" if close_ids
                      else "; bpcore.exercises.catalog() lists them all")
        raise ValueError(f"unknown exercise id {exercise_id!r}{suggestion}") from None
