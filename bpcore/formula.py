"""Formula questions: the reader types a formula, and the static page checks it.

A formula question mirrors an exercise of the catalog.  The exercise declares it with a
:class:`Formula` in its ``formula=`` field; the reference answer and the catalogued mistakes
stay the exercise's own, so there is one source.  At build time :func:`page_spec` evaluates
them with bpcore on two or three data sets (the exercise's own data, then random small
networks, random hidden cases or random points) and puts the numbers, as JSON, into the
question's HTML.  In the page, ``bpcore/static/bp-formula.js`` parses what the reader typed
with mathjs (never with ``eval``), evaluates it on the same numbers and compares values
only, so every equivalent form is accepted; a wrong formula whose values match a mistake's
gets that mistake's hint.

In a chapter: ``bpcore.quiz.formula(task)`` (or the exercise id).

The page's syntax, the book's symbols in plain text: ``*`` is the matrix product, ``.*``
multiplies entry by entry, ``/`` divides by a number, ``./`` entry by entry, ``^`` raises a
number, ``.^`` every entry, ``'`` transposes; the functions are those of :data:`FUNCTIONS`
that the question lists.  Batches are columns, Wˡ has shape (nₗ, nₗ₋₁), and a column (n, 1)
added to an (n, m) array is added to every column, as the book adds b.

>>> f = Formula(question="Type δᴸ.", symbols={"a": "a^L", "y": "y", "z": "z^L"},
...             functions=("sigma_prime",), solution="(a - y) .* sigma_prime(z)",
...             mistakes={"missing σ′": "a - y"})
>>> f.symbols["a"].tex, f.functions
('a^L', ('sigma_prime',))
"""
from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np

from . import render

__all__ = ["Formula", "Symbol", "FormulaQuestion", "FUNCTIONS", "RTOL", "ATOL",
           "random_networks", "page_spec", "question", "with_formula", "close", "names_in"]

# The functions a question may offer, with the syntax note's words.  bp-formula.js
# implements exactly these (tests/test_formula.py reads its table).
FUNCTIONS = {
    "sigma": "sigma(z) = 1 / (1 + exp(-z)), entry by entry",
    "sigma_prime": "sigma_prime(z) = sigma(z) .* (1 - sigma(z)), entry by entry",
    "tanh": "tanh(z), entry by entry",
    "exp": "exp(z), entry by entry",
    "log": "log(z), the natural logarithm, entry by entry",
    "sqrt": "sqrt(z), entry by entry",
    "abs": "abs(z), entry by entry",
    "sum": "sum(A) adds every entry; sum(A, 1) adds down each column (a row), "
           "sum(A, 2) along each row (a column)",
    "mean": "mean(A), mean(A, 1), mean(A, 2): like sum, divided by the count",
    "norm": "norm(A), the Euclidean norm of all entries",
    "diag": "diag(v), the square matrix with the column or row v on its diagonal",
}

# Two results agree when every entry differs by at most RTOL times the larger array's
# largest entry, plus ATOL: rounding in another order passes, a factor or a sign does not.
RTOL = 1e-7
ATOL = 1e-13

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_DATA_SETS = 3


@dataclass(frozen=True)
class Symbol:
    """One symbol of a question: its TeX for the preview and how to read its value from
    the exercise's data namespace (``value(ns)``; None reads the attribute of the same
    name, as for a function exercise's parameters or a symbolic exercise's variables)."""
    tex: str
    value: Callable | None = None


@dataclass(frozen=True)
class Formula:
    """The formula question of one exercise (its ``formula=`` field).

    ``question``: the text above the box.  ``symbols``: name -> :class:`Symbol`, or
    name -> (tex, value) or name -> tex.  ``functions``: names from :data:`FUNCTIONS`.
    ``solution``: the reference written in the page's syntax, and ``mistakes``: mistake
    name -> a formula that makes that mistake; both are for the tests and the solution
    text, never put in the page.  ``variants(rng)``: for a numeric exercise, a list of
    (label, namespace) pairs built like the exercise's own data (``random_networks`` makes
    them for network data); ``label`` names the exercise's own data set.  ``omit``:
    mistake name -> why the page cannot show it (for example a NumPy broadcasting slip that
    the page reports as a shape error).
    """
    question: str
    symbols: dict
    solution: str
    mistakes: dict = field(default_factory=dict)
    functions: tuple = ()
    variants: Callable | None = None
    label: str = "the exercise's data"
    omit: dict = field(default_factory=dict)
    quantity: str = ""

    def __post_init__(self):
        if not isinstance(self.question, str) or not self.question.strip():
            raise ValueError("question must be a non-empty string")
        if not isinstance(self.symbols, dict) or not self.symbols:
            raise TypeError("symbols must be a non-empty dict name -> Symbol(tex, value)")
        symbols = {}
        for name, entry in self.symbols.items():
            if not isinstance(name, str) or not _NAME.fullmatch(name):
                raise ValueError(f"symbol name {name!r} must be letters, digits and _, "
                                 "starting with a letter, e.g. 'W2' or 'delta2'")
            if name in FUNCTIONS:
                raise ValueError(f"symbol name {name!r} is the name of a function")
            if isinstance(entry, str):
                entry = Symbol(entry)
            elif isinstance(entry, tuple) and len(entry) == 2:
                entry = Symbol(*entry)
            if not isinstance(entry, Symbol):
                raise TypeError(f"symbol {name!r}: expected Symbol(tex, value), (tex, value) "
                                f"or a TeX string, got {type(entry).__name__}")
            symbols[name] = entry
        object.__setattr__(self, "symbols", symbols)
        functions = tuple(self.functions)
        unknown = [f for f in functions if f not in FUNCTIONS]
        if unknown:
            raise ValueError(f"unknown function(s) {unknown}; the page offers "
                             f"{', '.join(FUNCTIONS)}")
        object.__setattr__(self, "functions", functions)
        for name, text in [("solution", self.solution), *self.mistakes.items()]:
            used = names_in(text)
            stray = sorted(used - set(symbols) - set(functions))
            if stray:
                raise ValueError(f"the formula for {name!r}, {text!r}, uses {stray}, which "
                                 f"are neither symbols ({', '.join(symbols)}) nor functions "
                                 f"of this question ({', '.join(functions) or 'none'})")

    def check_mistakes(self, exercise):
        """ValueError unless ``mistakes`` and ``omit`` together name each catalogued
        mistake of ``exercise`` exactly once."""
        names = [mk.name for mk in exercise.known_mistakes]
        written, omitted = set(self.mistakes), set(self.omit)
        problems = []
        if written & omitted:
            problems.append(f"both written and omitted: {sorted(written & omitted)}")
        if (written | omitted) - set(names):
            problems.append("not mistakes of the exercise: "
                            f"{sorted((written | omitted) - set(names))}")
        missing = sorted(set(names) - written - omitted)
        if missing:
            problems.append(f"neither written nor omitted: {missing}")
        if problems:
            raise ValueError(f"formula of {exercise.id!r}: mistakes {'; '.join(problems)}; the "
                             f"exercise's mistakes are {names}")


def names_in(text):
    """The identifiers in a formula written in the page's syntax.

    >>> sorted(names_in("W2' * delta2 .* sigma_prime(z1) + 1e-3"))
    ['W2', 'delta2', 'sigma_prime', 'z1']
    """
    return set(re.findall(r"(?<![\w.])[A-Za-z][A-Za-z0-9_]*", re.sub(r"\d+\.?\d*e[+-]?\d+",
                                                                      " ", text)))


def random_networks(*shapes, activations="sigmoid", loss="mse"):
    """Variants for an exercise whose data is :func:`bpcore.examples.network_state`: for
    each ``(sizes, m)``, a network with random weights and biases (none zero, so a left-out
    bias shows) on a random batch of m columns.

    >>> variants = random_networks(((3, 4, 2), 5))
    >>> [(label, ns.W[1].shape, ns.x.shape) for label, ns in variants(np.random.default_rng(0))]
    [('a random 3-4-2 network on a batch of 5', (4, 3), (3, 5))]
    """
    from .examples import network_state
    from .network import Network

    def variants(rng):
        out = []
        for sizes, m in shapes:
            weights = [np.round(rng.normal(0.0, 1.0 / math.sqrt(n_in), size=(n_out, n_in)), 2)
                       for n_in, n_out in zip(sizes[:-1], sizes[1:])]
            biases = [np.round(rng.choice([-1, 1], size=n) * rng.uniform(0.1, 0.6, size=n), 2)
                      for n in sizes[1:]]
            net = Network(weights, biases, activations)
            x = np.round(rng.uniform(-1.0, 1.0, size=(sizes[0], m)), 2)
            y = np.round(rng.uniform(0.01, 0.99, size=(sizes[-1], m)), 2)
            label = (f"a random {'-'.join(map(str, sizes))} network on "
                     + ("one sample" if m == 1 else f"a batch of {m}"))
            out.append((label, network_state(net, x, y, loss)))
        return out

    return variants


def close(got, want):
    """Whether two results agree (same shape, entries within RTOL/ATOL); the page's
    ``close`` is the same test with the same constants.

    >>> close(np.array([[1.0], [2.0]]), np.array([[1.0], [2.0 + 1e-12]]))
    True
    >>> close(np.array([[1.0, 2.0]]), np.array([[1.0], [2.0]]))
    False
    """
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return False
    if got.size == 0:
        return True
    scale = max(float(np.max(np.abs(got))), float(np.max(np.abs(want))))
    return bool(np.max(np.abs(got - want)) <= RTOL * scale + ATOL)


def _on_page(value, what):
    """A number, or a 2-D array as a list of rows.  A 1-D array becomes a column and a
    single entry a number, as in the page, where a 1×1 result counts as a number."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number or an array, got {type(value).__name__}; "
                        "give the symbol a value function, Symbol(tex, lambda d: ...)") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.size == 1 and arr.ndim <= 2:
        arr = arr.reshape(())
    if arr.ndim > 2:
        raise ValueError(f"{what} has shape {arr.shape}; a formula question handles numbers "
                         "and 2-D arrays")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} is not finite: {arr}")
    if arr.ndim == 0:
        return float(arr)
    return arr.tolist()


def _data_sets(exercise, formula):
    """[(label, namespace, answer, {mistake name: wrong value or None})], two or three."""
    from .exercises.base import quietly, seed_of

    kind = exercise.kind
    if kind == "numeric":
        rng = np.random.default_rng(seed_of(exercise.id) + 1)
        sets = [(formula.label, exercise.setup())]
        if formula.variants is not None:
            sets += list(formula.variants(rng))
        out = []
        for label, ns in sets[:_DATA_SETS]:
            wrong = {mk.name: quietly(mk.wrong, ns) for mk in exercise.known_mistakes}
            out.append((label, ns, exercise.answer(ns), wrong))
        return out
    if kind == "function":
        out = []
        for i, case in enumerate(exercise.hidden_cases()[:_DATA_SETS]):
            args = [case[p] for p in exercise.params]

            def copies():   # every call gets its own arrays, as the checker does
                return [np.array(a, dtype=float, copy=True) for a in args]

            wrong = {mk.name: (quietly(mk.wrong, *copies()) if mk.wrong else None)
                     for mk in exercise.known_mistakes}
            label = formula.label if i == 0 else (
                f"a random case with {exercise.params[-1]} of shape {np.shape(args[-1])}")
            out.append((label, SimpleNamespace(**case), exercise.oracle(*copies()), wrong))
        return out
    if kind == "symbolic":
        from .exercises.checkers import values_at
        syms = exercise.symbols()
        ns_sym = SimpleNamespace(**syms)

        def value(expr, point):
            got = values_at(expr, [point])[0]
            return None if got is None or abs(got.imag) > 1e-12 else got.real

        out = []
        for point in exercise._points()[:_DATA_SETS]:
            values = {name: float(point[s]) for name, s in syms.items()}
            label = ", ".join(f"{n} = {v:g}" for n, v in values.items())
            wrong = {}
            for mk in exercise.known_mistakes:
                expr = quietly(mk.wrong, ns_sym)
                wrong[mk.name] = None if expr is None else value(expr, point)
            out.append((label, SimpleNamespace(**values), value(exercise.answer(ns_sym), point),
                        wrong))
        return out
    raise TypeError(f"exercise {exercise.id!r} is a {kind} exercise; formula questions "
                    "mirror numeric, function and symbolic exercises")


def page_spec(exercise):
    """The JSON-ready dict the page's script checks a reply against: the symbols, the
    functions, every data set's symbol values and answer, and each mistake's values on
    the same data sets, with its hint.

    >>> from bpcore import exercises
    >>> spec = page_spec(exercises.get("ch4-my-output-delta"))
    >>> [m["name"] for m in spec["mistakes"]], len(spec["datasets"])
    (['missing σ′', 'σ′ of the activation', 'sign flipped'], 3)
    """
    formula = exercise.formula
    if not isinstance(formula, Formula):
        raise ValueError(f"exercise {exercise.id!r} has no formula question; "
                         f"{', '.join(with_formula())} have one")
    sets = _data_sets(exercise, formula)
    if len(sets) < 2:
        raise ValueError(f"formula of {exercise.id!r} has {len(sets)} data set; it needs two "
                         "or three, so that a formula right by chance on one is caught: give "
                         "variants=... (random_networks(...) for network data)")
    datasets, mistakes = [], []
    for label, ns, answer, _ in sets:
        values = {}
        for name, sym in formula.symbols.items():
            raw = sym.value(ns) if sym.value is not None else getattr(ns, name)
            values[name] = _on_page(raw, f"symbol {name!r} on {label}")
        datasets.append({"label": label, "values": values,
                         "answer": _on_page(answer, f"the answer on {label}")})
    for mk in exercise.known_mistakes:
        if mk.name in formula.omit:
            continue
        found = [wrong[mk.name] for *_, wrong in sets]
        if any(v is None for v in found):
            raise ValueError(f"formula of {exercise.id!r}: mistake {mk.name!r} cannot be "
                             "computed on every data set; choose data where it can, or omit "
                             "it with a reason")
        mistakes.append({"name": mk.name, "hint": mk.hint,
                         "values": [_on_page(v, f"mistake {mk.name!r}") for v in found]})
    quantity = formula.quantity or getattr(exercise, "quantity", "") or "the answer"
    return {"id": exercise.id, "quantity": quantity,
            "symbols": [{"name": n, "tex": s.tex} for n, s in formula.symbols.items()],
            "functions": list(formula.functions), "datasets": datasets,
            "mistakes": mistakes, "hint": exercise.hint,
            "explanation": exercise.explanation, "rtol": RTOL, "atol": ATOL}


def with_formula():
    """The ids of the exercises that have a formula question, in catalog order."""
    from . import exercises
    return [i for i in exercises.catalog() if exercises.get(i).formula is not None]


def _shape_text(value):
    return "a number" if not isinstance(value, list) else f"{len(value)}×{len(value[0])}"


class FormulaQuestion:
    """A formula question ready to display: ``_repr_html_`` gives the page's HTML.

    Its root's id is ``bp-formula-<exercise id>`` (``-2``, ``-3``, ... when the same
    question is shown again in one kernel); its question id, :attr:`id` =
    ``formula-<exercise id>`` (the root's ``data-bp-question``), is the same however often it
    is shown and at every build: the page remembers a correct answer by it.
    """

    def __init__(self, exercise):
        self.exercise = exercise
        self.formula = exercise.formula
        self.spec = page_spec(exercise)
        self.id = f"formula-{exercise.id}"

    @property
    def question(self):
        return self.formula.question

    def symbol_notes(self):
        """(name, what it stands for on the first data set) for the syntax note."""
        first = self.spec["datasets"][0]["values"]
        return [(name, _shape_text(first[name])) for name in self.formula.symbols]

    def __repr__(self):
        return f"<bpcore formula question {self.exercise.id}: {self.question!r}>"

    def __str__(self):
        symbols = ", ".join(f"{n} ({s})" for n, s in self.symbol_notes())
        functions = ", ".join(f"{f}(·)" for f in self.formula.functions) or "none"
        return (f"{self.question}\nSymbols: {symbols}. Functions: {functions}.\n"
                "(Checked in the book's web page; in a notebook use the exercise's check.)")

    def _repr_html_(self):
        uid = f"{self.exercise.id}"
        count = _shown.setdefault(uid, itertools.count(1))
        n = next(count)
        suffix = "" if n == 1 else f"-{n}"
        spec_json = json.dumps(self.spec, ensure_ascii=False, separators=(",", ":"))
        return render.formula(self, uid + suffix, spec_json)


_shown: dict = {}


def question(exercise):
    """The :class:`FormulaQuestion` of ``exercise`` (the object or its id).

    >>> question("ch4-my-output-delta").question.startswith("Type")
    True
    >>> question("ch4-bp1-delta")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: exercise 'ch4-bp1-delta' has no formula question; ... have one
    """
    if isinstance(exercise, str):
        from . import exercises
        exercise = exercises.get(exercise)
    if getattr(exercise, "formula", None) is None and hasattr(exercise, "known_mistakes"):
        raise ValueError(f"exercise {exercise.id!r} has no formula question; "
                         f"{', '.join(repr(i) for i in with_formula())} have one")
    if not hasattr(exercise, "formula"):
        raise TypeError(f"expected an exercise or its id, got {type(exercise).__name__}")
    return FormulaQuestion(exercise)

