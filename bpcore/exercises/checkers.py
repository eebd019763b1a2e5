"""Reading a learner's answer and comparing it with the reference, without ever running text.

Three kinds of answer are read here:

* numbers and arrays (:func:`as_numbers`, :func:`close`, :func:`diagnose_array`),
* sympy expressions (:func:`as_expression`, :func:`equivalent`),
* functions the learner wrote (:func:`call_safely`).

Anything that cannot be read raises :class:`Refusal`, whose message is meant for the
learner; the exercise turns it into a :class:`~bpcore.exercises.Feedback`.  A string is
never parsed or evaluated (no eval, exec or sympify of text): a string answer is refused.

>>> as_numbers([[1, 2], [3, 4]]).shape
(2, 2)
>>> try:
...     as_numbers("0.5")
... except Refusal as r:
...     print(r)  # doctest: +ELLIPSIS
Your answer is the text '0.5'. Answers are never read from text ...
"""
from __future__ import annotations

import contextlib
import io
import math
import numbers
import reprlib
import warnings
from collections.abc import Mapping

import numpy as np
import sympy

__all__ = ["Refusal", "MAX_ENTRIES", "as_numbers", "align", "close", "diagnose_array",
           "as_expression", "equivalent", "sample_points", "call_safely", "short", "fmt"]

# No answer, and no result of a learner's function, may hold more entries than this.
MAX_ENTRIES = 100_000


class Refusal(Exception):
    """An answer that cannot be checked; ``str(refusal)`` is the message for the learner."""


# --------------------------------------------------------------------------------------
# Printing answers in messages: short, and never failing.

_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = 6
_REPR.maxdict = 4


def short(value):
    """A short printable form of any value; never raises and never prints a huge object.

    >>> len(short("x" * 10_000)) <= 60
    True
    """
    if isinstance(value, np.ndarray):
        return fmt(value)
    try:
        return _REPR.repr(value)
    except Exception:  # a learner's object whose __repr__ fails
        return f"<{type(value).__name__} object>"


def fmt(arr, limit=400, oneline=False):
    """An array in at most ``limit`` characters, four significant digits; whole numbers
    are printed whole (a count of 23716 is not 2.372e+04).

    >>> print(fmt(np.array([[0.123456], [2.0], [-0.000123456]])))
    [[0.1235]
     [2]
     [-0.0001235]]
    >>> print(fmt(np.array(23716.0)), fmt(np.array(23716.5)))
    23716 2.372e+04
    """
    arr = np.asarray(arr)
    text = np.array2string(arr, threshold=24, edgeitems=2, max_line_width=88,
                           formatter={"float_kind": _number})
    if oneline:
        text = " ".join(line.strip() for line in text.splitlines())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _number(v):
    return f"{int(v)}" if float(v).is_integer() and abs(v) < 1e15 else f"{v:.4g}"


def _kind(value):
    """'a list', 'an object', 'a NumPy array': the type of a value, with its article."""
    if isinstance(value, np.ndarray):
        return "a NumPy array"
    name = type(value).__name__
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


# --------------------------------------------------------------------------------------
# Numbers and arrays.

def _count_leaves(value, limit):
    """Entries in a nested list/tuple, stopping once ``limit`` is passed; None if ragged.

    Returns (count, ragged).  Depth-first with an explicit stack, so deep nesting cannot
    overflow the recursion limit.
    """
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
            if len(stack) > limit:
                return limit + 1
        else:
            count += 1
            if count > limit:
                return count
    return count


def _ragged(value):
    """True if a nested list/tuple has rows of different lengths or mixed depths."""
    if not isinstance(value, (list, tuple)):
        return False
    kinds = {isinstance(v, (list, tuple)) for v in value}
    if len(kinds) > 1:
        return True
    if kinds == {True}:
        if len({len(v) for v in value}) > 1:
            return True
        return any(_ragged(v) for v in value)
    return False


def as_numbers(answer, what="Your answer"):
    """``answer`` as a float64 array, or :class:`Refusal` with a message saying why not.

    Accepted: Python and NumPy numbers, NumPy arrays, (nested) lists and tuples of numbers,
    and sympy numbers without symbols.  Refused: None, booleans, text, dicts, sets,
    functions, empty or ragged lists, complex numbers, NaN and inf, and anything with more
    than ``MAX_ENTRIES`` entries.

    >>> as_numbers(0.5)
    array(0.5)
    >>> try:
    ...     as_numbers([[1, 2], [3]])
    ... except Refusal as r:
    ...     print(r)  # doctest: +ELLIPSIS
    Your answer is a ragged list: its rows have different lengths ([[1, 2], [3]]). ...
    """
    if answer is None:
        raise Refusal(f"{what} is None: nothing came back. Did a function forget `return`, "
                      "or did the cell end with an assignment? Give a number or a NumPy array.")
    if isinstance(answer, (bool, np.bool_)):
        raise Refusal(f"{what} is {answer}, a truth value; give a number or a NumPy array.")
    if isinstance(answer, (str, bytes)):
        raise Refusal(f"{what} is the text {short(answer)}. Answers are never read from text "
                      "(nothing typed as a string is run): give the number or array itself, "
                      "e.g. 0.5 without quotes.")
    if isinstance(answer, (dict, set, frozenset)):
        raise Refusal(f"{what} is {_kind(answer)}; give a number or a NumPy array "
                      "(for a batch, one column per sample).")
    if isinstance(answer, sympy.Basic):
        if getattr(answer, "free_symbols", None):
            names = ", ".join(sorted(str(s) for s in answer.free_symbols))
            raise Refusal(f"{what} is a sympy expression in {names}; this exercise wants "
                          "numbers. Substitute values, or compute the answer with NumPy.")
    elif callable(answer) and not isinstance(answer, np.ndarray):
        raise Refusal(f"{what} is a function ({short(answer)}); this exercise wants numbers: "
                      "call the function and pass its result.")
    if isinstance(answer, np.ndarray):
        if answer.size > MAX_ENTRIES:
            raise Refusal(f"{what} is an array of {answer.size:,} entries, shape "
                          f"{answer.shape}: far too big for this exercise.")
        if answer.dtype.kind == "b":
            raise Refusal(f"{what} is an array of truth values (dtype bool); give numbers.")
        if answer.dtype.kind in "USV":
            raise Refusal(f"{what} is an array of text (dtype {answer.dtype}); give numbers, "
                          "not strings.")
    if isinstance(answer, (list, tuple)):
        if _count_leaves(answer, MAX_ENTRIES) > MAX_ENTRIES:
            raise Refusal(f"{what} is a list with more than {MAX_ENTRIES:,} entries: far too "
                          "big for this exercise.")
        try:
            ragged = _ragged(answer)
        except RecursionError:
            raise Refusal(f"{what} is a list nested far too deeply to be an array.") from None
        if ragged:
            raise Refusal(f"{what} is a ragged list: its rows have different lengths "
                          f"({short(answer)}). Every row needs the same number of entries; "
                          "np.array(...) of it would fail too.")
    if isinstance(answer, (complex, np.complexfloating)) or (
            isinstance(answer, np.ndarray) and answer.dtype.kind == "c"):
        raise Refusal(f"{what} is complex; the answer is real.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.array(answer, dtype=np.float64)
    except Exception:
        raise Refusal(f"{what} ({_kind(answer)}: {short(answer)}) could not be read as numbers; "
                      "give a number or a NumPy array.") from None
    if arr.size > MAX_ENTRIES:
        raise Refusal(f"{what} has {arr.size:,} entries: far too big for this exercise.")
    if arr.size == 0:
        raise Refusal(f"{what} is empty (shape {arr.shape}); it needs numbers in it.")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        which = "NaN" if np.isnan(arr[where] if where else arr) else "inf"
        place = f" at index {where}" if where else ""
        raise Refusal(f"{what} contains {which}{place}. Look for a division by zero, a log of "
                      "0, or an overflow in an exponential.")
    return arr


def align(got, want):
    """``got`` reshaped to ``want``'s shape when they hold the same sample, else None.

    Exact shapes always align.  A single number aligns with any one-entry array, and a
    1-D array of n numbers aligns with a column of shape (n, 1) and back: the book stores
    one sample as a column, but a flat list of its entries is not a mistake worth failing.
    Anything else (in particular a row (1, n) for a column (n, 1)) does not align.

    >>> align(np.array([1.0, 2.0]), np.zeros((2, 1))).shape
    (2, 1)
    >>> align(np.zeros((1, 2)), np.zeros((2, 1))) is None
    True
    """
    if got.shape == want.shape:
        return got
    if got.size == 1 and want.size == 1:
        return got.reshape(want.shape)
    column = lambda s: len(s) == 2 and s[1] == 1  # noqa: E731
    if (got.ndim == 1 and column(want.shape) and got.shape[0] == want.shape[0]) or (
            want.ndim == 1 and column(got.shape) and got.shape[0] == want.shape[0]):
        return got.reshape(want.shape)
    return None


def close(got, want, rtol=1e-3, atol=1e-9):
    """True if the arrays align (see :func:`align`) and agree entry by entry.

    The tolerance scales with the largest entry of ``want``:
    ``|got - want| <= atol + rtol * max|want|``, so rtol=1e-3 asks for about three
    significant figures of the answer's largest entry.

    >>> close(np.array([0.1426, -0.0336]), np.array([[0.14253], [-0.03363]]))
    True
    """
    got = align(got, want)
    if got is None:
        return False
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    return bool(np.all(np.abs(got - want) <= atol + rtol * scale))


def _shape_text(shape):
    return str(tuple(int(n) for n in shape))


def diagnose_array(got, want, quantity="answer", rtol=1e-3, atol=1e-9, m=None):
    """A hint for a wrong array answer that matched no catalogued mistake.

    Recognises a wrong shape (in particular a transpose), a flipped sign, a missing or
    extra factor of the batch size m, a factor of 2 (the ½ of the quadratic cost), any
    other constant factor, and otherwise points at the first wrong entry.

    >>> print(diagnose_array(np.zeros((1, 3)), np.ones((3, 1)), "δ¹"))
    Your δ¹ has shape (1, 3) but should be (3, 1): did you transpose?
    >>> print(diagnose_array(-np.ones(2), np.ones(2), "∂C/∂b"))
    The sign is flipped: every entry has the right size but the opposite sign.
    >>> print(diagnose_array(np.zeros(2), np.ones(2), "∂C/∂b"))
    Your ∂C/∂b is zero everywhere, and the expected one is not: is it still the placeholder?
    """
    aligned = align(got, want)
    if aligned is None:
        if got.shape == want.shape[::-1]:
            return (f"Your {quantity} has shape {_shape_text(got.shape)} but should be "
                    f"{_shape_text(want.shape)}: did you transpose?")
        extra = ""
        if got.size == want.size:
            extra = (" It has the right number of entries in the wrong arrangement: samples "
                     "are columns, and row j belongs to neuron j.")
        elif want.ndim == 0:
            extra = " The answer is a single number."
        return (f"Your {quantity} has shape {_shape_text(got.shape)} but should be "
                f"{_shape_text(want.shape)}.{extra}")
    got = aligned
    if not np.any(got) and np.any(want):
        return (f"Your {quantity} is zero everywhere, and the expected one is not: is it "
                "still the placeholder?")
    if close(-got, want, rtol, atol):
        return "The sign is flipped: every entry has the right size but the opposite sign."
    denom = float(np.sum(want * want))
    if denom > 0:
        ratio = float(np.sum(got * want)) / denom
        if abs(ratio - 1.0) > 10 * rtol and close(got, ratio * want, rtol, atol):
            if m is not None and m > 1 and math.isclose(ratio, m, rel_tol=1e-2):
                return (f"Off by a factor of m = {m}: you summed over the batch. Average over "
                        f"the batch: divide by m.")
            if m is not None and m > 1 and math.isclose(ratio, 1.0 / m, rel_tol=1e-2):
                return (f"Off by a factor of 1/m = 1/{m}: this quantity is not averaged over "
                        "the batch; drop the division by m.")
            if math.isclose(ratio, 2.0, rel_tol=1e-2) or math.isclose(ratio, 0.5, rel_tol=1e-2):
                return (f"Off by a factor of {ratio:.3g}: check the ½ of the quadratic cost, "
                        "C = ½‖y − a‖², whose derivative is a − y.")
            return (f"Your {quantity} is {ratio:.4g} times the expected one: a constant "
                    "factor is wrong or missing.")
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    wrong = np.abs(got - want) > atol + rtol * scale
    first = tuple(int(i) for i in np.argwhere(wrong)[0]) if want.ndim else ()
    where = f"; the first is at index {first}" if first else ""
    return (f"{int(wrong.sum())} of {want.size} entries are off{where} "
            f"(you have {got[first]:.6g} there).")


# --------------------------------------------------------------------------------------
# Symbolic answers.

def as_expression(answer, variables, what="Your answer"):
    """``answer`` as a sympy expression in the exercise's symbols, or :class:`Refusal`.

    ``variables`` maps each allowed symbol name to the exercise's own sympy Symbol.  The
    learner's symbols are matched by name, so ``sympy.Symbol('z', real=True)`` counts as z.
    Plain Python or NumPy numbers become sympy numbers.  Strings are refused, never parsed.

    >>> z = sympy.Symbol("z")
    >>> as_expression(2 * sympy.Symbol("z", positive=True), {"z": z}) == 2 * z
    True
    """
    example = ", ".join(variables) or "z"
    first = next(iter(variables), "z")
    how = (f"build a sympy expression, e.g. {first} = sympy.Symbol('{first}') and then "
           f"1 / (1 + sympy.exp(-{first}))")
    if isinstance(answer, (str, bytes)):
        raise Refusal(f"{what} is the text {short(answer)}. Text is never evaluated (turning "
                      f"it into an expression would run it as code): {how}.")
    if answer is None:
        raise Refusal(f"{what} is None: nothing came back. Did a function forget `return`? "
                      f"Give a sympy expression in {example}.")
    if isinstance(answer, (bool, np.bool_)):
        raise Refusal(f"{what} is {answer}, a truth value; give a sympy expression in "
                      f"{example}.")
    if isinstance(answer, (numbers.Real, np.floating, np.integer)) and not isinstance(
            answer, sympy.Basic):
        value = float(answer)
        if not math.isfinite(value):
            raise Refusal(f"{what} is {value}, not a finite number; give a sympy expression "
                          f"in {example}.")
        answer = sympy.Integer(int(answer)) if isinstance(
            answer, (numbers.Integral, np.integer)) else sympy.Float(value)
    if not isinstance(answer, sympy.Basic):
        if callable(answer) and not isinstance(answer, np.ndarray):
            raise Refusal(f"{what} is a Python function; this exercise wants a sympy "
                          f"expression, not a function: {how}.")
        raise Refusal(f"{what} is {_kind(answer)}; {how}.")
    if isinstance(answer, sympy.Lambda):
        raise Refusal(f"{what} is a sympy Lambda; give its body, the expression in {example}, "
                      "instead of Lambda(...).")
    if not isinstance(answer, sympy.Expr):
        hint = (" Give the right-hand side, eq.rhs." if isinstance(answer, sympy.Eq)
                else f" Give one expression in {example}.")
        raise Refusal(f"{what} is a sympy {type(answer).__name__}, not an expression.{hint}")
    if answer.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise Refusal(f"{what} contains nan or an infinity ({short(answer)}).")
    if answer.has(sympy.Derivative, sympy.Integral):
        try:
            answer = answer.doit()
        except Exception:
            raise Refusal(f"{what} holds a derivative or integral sympy could not work out; "
                          "compute it first, e.g. sympy.diff(f, z).") from None
    undefined = sorted({str(f.func) for f in answer.atoms(sympy.core.function.AppliedUndef)})
    if undefined:
        raise Refusal(f"{what} uses the undefined function(s) {', '.join(undefined)}, which "
                      "sympy cannot evaluate; write them out, e.g. σ(z) as "
                      "1 / (1 + sympy.exp(-z)).")
    extra = sorted(s.name for s in answer.free_symbols if s.name not in variables)
    if extra:
        names = " ".join(variables)
        raise Refusal(f"{what} uses the symbol(s) {', '.join(extra)}, but this exercise's "
                      f"variables are {example}; make them with sympy.symbols('{names}').")
    return answer.xreplace({s: variables[s.name] for s in answer.free_symbols})


def sample_points(symbols, rng, n=7, domain=(-2.0, 2.0)):
    """``n`` distinct random points, each a dict symbol -> sympy number.

    ``domain`` is ``(low, high)`` for real values (sympy Floats with 3 decimals, none near
    0), a ``range`` for whole numbers such as a count of layers or neurons (so that a hint
    reads "at L = 37", not "at L = 1.484"), or a dict giving one of those per symbol name.

    >>> z, L = sympy.symbols("z L")
    >>> len(sample_points([z], np.random.default_rng(0)))
    7
    >>> points = sample_points([z, L], np.random.default_rng(0),
    ...                        domain={"z": (0.1, 0.9), "L": range(2, 60)})
    >>> all(p[L].is_Integer and 0.1 <= p[z] <= 0.9 for p in points)
    True
    """
    domains = [domain.get(s.name) if isinstance(domain, Mapping) else domain for s in symbols]
    for s, d in zip(symbols, domains):
        if not isinstance(d, (range, tuple)):
            raise ValueError(f"no domain (low, high) or range for the symbol {s.name}")
    seen, points, tries = set(), [], 0
    while len(points) < n:
        tries += 1
        if tries > 1000:
            raise ValueError(f"could not draw {n} distinct points from the domain {domain}")
        values = tuple(_draw(d, rng) for d in domains)
        if values not in seen:
            seen.add(values)
            points.append({s: (sympy.Integer(v) if isinstance(v, int) else sympy.Float(v, 30))
                           for s, v in zip(symbols, values)})
    return points


def _draw(domain, rng):
    if isinstance(domain, range):
        return int(rng.choice(domain))
    while True:
        value = float(np.round(rng.uniform(*domain), 3))
        if abs(value) >= 0.05:
            return value


def _value(expr, point):
    """expr at point, as a complex number, or None where it is undefined."""
    try:
        value = complex(expr.xreplace(point).evalf(30))
    except Exception:
        return None
    return value if math.isfinite(value.real) and math.isfinite(value.imag) else None


def values_at(expr, points):
    """The values of ``expr`` at ``points`` (None where undefined)."""
    return [_value(expr, p) for p in points]


def equivalent(got, want, points, tol=1e-8):
    """True if two sympy expressions are equal as functions.

    First by evaluation at the random ``points`` (to 30 digits): a disagreement at any point
    where both are defined decides "different"; agreement at three or more points decides
    "equal".  Only when fewer than three points can be compared does it fall back on
    ``sympy.simplify(got - want) == 0``.

    >>> z = sympy.Symbol("z"); s = 1 / (1 + sympy.exp(-z))
    >>> pts = sample_points([z], np.random.default_rng(0))
    >>> equivalent(s * (1 - s), sympy.diff(s, z), pts)
    True
    """
    compared = 0
    for g, w in zip(values_at(got, points), values_at(want, points)):
        if g is None or w is None:
            continue
        if abs(g - w) > tol * max(1.0, abs(w)):
            return False
        compared += 1
    if compared >= 3:
        return True
    try:
        return sympy.simplify(got - want) == 0
    except Exception:
        return False


def constant_ratio(got, want, points, tol=1e-8):
    """got / want if it is the same constant at every point, else None."""
    ratios = []
    for g, w in zip(values_at(got, points), values_at(want, points)):
        if g is None or w is None or abs(w) < 1e-12:
            continue
        ratios.append(g / w)
    if len(ratios) < 3:
        return None
    r0 = ratios[0]
    if all(abs(r - r0) <= tol * max(1.0, abs(r0)) for r in ratios) and abs(r0.imag) < tol:
        return r0.real
    return None


# --------------------------------------------------------------------------------------
# Running a learner's function.

class _BoundedText(io.StringIO):
    """A text sink that keeps only the first ``limit`` characters written to it."""

    def __init__(self, limit=2000):
        super().__init__()
        self.limit = limit
        self.total = 0

    def write(self, text):
        self.total += len(text)
        room = self.limit - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


def call_safely(fn, args):
    """Call ``fn(*args)``; return (result, exception, printed_text).

    The learner's printing is captured (the first 2,000 characters are kept), NumPy
    warnings are silenced, and any ``Exception`` (and ``SystemExit``) is caught and
    returned rather than raised.  KeyboardInterrupt still stops the call.
    """
    sink = _BoundedText()
    result, error = None, None
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
            warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            result = fn(*args)
        except (Exception, SystemExit) as exc:
            error = exc
    printed = sink.getvalue()
    if sink.total > sink.limit:
        printed += f"\n... ({sink.total - sink.limit:,} more characters not shown)"
    return result, error, printed
