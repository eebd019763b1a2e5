"""Static quizzes: checked in the reader's browser, with no kernel and no network.

A quiz is an object whose ``_repr_html_`` emits self-contained HTML and a small inline
script (vanilla JavaScript, no external request of any kind).  Put one in a code cell; the
book's build (myst-nb) writes the HTML into the page, where the script runs on load.

* :func:`numeric` -- type a number; accepted within ``tol``; each expected wrong value can
  carry its own hint.
* :func:`multiple_choice` -- radio buttons; each wrong option can carry its own hint.
* :func:`from_exercise` -- a numeric quiz whose answer is an exercise's reference and
  whose wrong values and hints come from its catalogued mistakes, so the numbers are
  written down only once; in a chapter, ``bpcore.exercises.get(id).quiz(question, ...)``.
* :func:`formula` -- the formula question of an exercise: the reader types a formula in the
  book's symbols, which the page evaluates on numbers bpcore computed at build time
  (:mod:`bpcore.formula`; it needs the book's page, which loads mathjs).

The HTML is built by :mod:`bpcore.render`; the script that checks a reply is the package
file ``bpcore/static/bp-quiz.js`` and its stylesheet ``bpcore/static/bp-quiz.css``.

Accessibility: the question is the fieldset legend (multiple choice) or is linked to the
input with ``aria-describedby`` (numeric); every input has a ``<label>``; the feedback
region has ``aria-live="polite"`` and its text starts with "✓ Correct" or "✗ Not yet",
so colour is never the only signal.  Everything works from the keyboard: Tab to the
input, type, press Enter (or Tab to "Check" and press Enter or Space); arrow keys move
between options and Enter on an option checks it.

Where the script runs: in the built book it runs as the page loads.  In JupyterLab and
Notebook a ``text/html`` output's script runs only in a trusted notebook (one you ran
yourself, or File → Trust Notebook).  HTML inserted with ``innerHTML`` does not run its
script at all; the quiz still works there as long as one quiz script has run on the page,
because the script listens on the whole document (event delegation) rather than on each
quiz.  Where no script can run, the quiz shows a one-line note saying that checking needs
JavaScript.

Each rendering gets fresh element ids, so the same quiz can be displayed several times on
one page.  Each quiz also has a stable question id, :attr:`Quiz.id` (the root's
``data-bp-question``), the same at every build, by which the book's page remembers that the
reader answered it correctly (``_ext/static/bp-progress.js``): ``quiz-<exercise id>`` with
the entry's 1-based index for :func:`from_exercise`, ``quiz-`` and a digest of the kind and
the question's text otherwise, or the ``id=`` given.  The build refuses two pages that show
the same id.

Math in question text: write plain Unicode (δ², σ′(z), ⊙, ∂C/∂W); the quiz does
not typeset ``$...$``.  Text between backticks is shown as code.

>>> q = numeric("δ²₁ of the running example?", answer=0.1425, tol=5e-4,
...             wrong={0.7152: "You left out σ′(z²)."})
>>> html = q._repr_html_()
>>> 'class="bp-quiz' in html and 'aria-live="polite"' in html and "http" not in html
True
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import numbers
import re

import numpy as np

from . import render

__all__ = ["Quiz", "numeric", "multiple_choice", "from_exercise", "formula"]

_ids = itertools.count(1)
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


def _text(value, name, allow_empty=False):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def _number(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating,
                                                                     np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


class Quiz:
    """A rendered-on-demand quiz; display it in a cell.  See :func:`numeric`.

    ``kind`` is "numeric" or "choice"; ``spec`` is what the page's script checks a reply
    against (its "options" are shown, not sent); ``label`` names a numeric quiz's input;
    ``id`` is the stable question id (see the module's docstring), derived from the kind and
    the question when None.

    >>> Quiz("numeric", "2 + 2?", {}).id
    'quiz-ff1e49685d'
    """

    def __init__(self, kind, question, spec, label=None, id=None):
        self.kind = kind
        self.question = question
        self.spec = spec
        self.label = label
        self.id = _question_id(id) if id is not None else "quiz-" + hashlib.sha1(
            f"{kind}\n{question}".encode()).hexdigest()[:10]

    def __repr__(self):
        return f"<bpcore.quiz {self.kind}: {self.question!r}>"

    def __str__(self):
        lines = [self.question]
        for i, option in enumerate(self.spec.get("options", [])):
            lines.append(f"  ({chr(ord('a') + i)}) {option}")
        return "\n".join(lines)

    def _repr_html_(self):
        # A fresh id on every rendering: the same quiz can appear twice on one page.
        digest = hashlib.sha1(json.dumps([self.question, self.spec], sort_keys=True,
                                         ensure_ascii=False).encode()).hexdigest()[:8]
        uid = f"bpq-{digest}-{next(_ids)}"
        spec = {k: v for k, v in self.spec.items() if k != "options"}
        return render.quiz(self, uid, json.dumps(spec, ensure_ascii=False))


def _question_id(value):
    if not isinstance(value, str):
        raise TypeError(f"id must be a string, got {type(value).__name__}")
    if not _ID.fullmatch(value):
        raise ValueError(f"id must be 1 to 80 lower-case letters, digits, '.', '_' or '-', "
                         f"starting with a letter or digit, e.g. 'ch4-delta-sign', got {value!r}")
    return value


def numeric(question, answer, tol, wrong=None, hint=None, explanation=None,
            label="Your answer", id=None):
    """A quiz asking for a number, accepted when within ``tol`` of ``answer``.

    ``wrong`` maps expected wrong values to their hints ({0.7152: "You left out σ′"}): a
    reply within ``tol`` of one of them gets that hint.  ``hint`` is shown for any other
    wrong reply; ``explanation`` is shown with a correct one.  The reader may type
    decimals, scientific notation (1.5e-3), a fraction (3/4), a Unicode minus or a
    decimal comma.  ``id``: the stable question id; by default derived from the question.

    Raises ValueError when a wrong value lies within ``tol`` of the answer or of another
    wrong value, since the quiz could not tell them apart.

    >>> numeric("2 + 2?", 4, tol=0.0)
    Traceback (most recent call last):
    ...
    ValueError: tol must be a positive number, got 0.0
    """
    question = _text(question, "question")
    answer = _number(answer, "answer")
    tol = _number(tol, "tol")
    if tol <= 0:
        raise ValueError(f"tol must be a positive number, got {tol}")
    wrong = {} if wrong is None else wrong
    if not isinstance(wrong, dict):
        raise TypeError(f"wrong must be a dict {{value: hint}}, got {type(wrong).__name__}")
    pairs = []
    for value, text in wrong.items():
        value = _number(value, "each key of wrong")
        _text(text, f"the hint for wrong value {value:g}")
        if abs(value - answer) <= tol:
            raise ValueError(f"wrong value {value:g} is within tol = {tol:g} of the answer "
                             f"{answer:g}; the quiz could not tell them apart")
        for other, _ in pairs:
            if abs(value - other) <= tol:
                raise ValueError(f"wrong values {other:g} and {value:g} are within tol = "
                                 f"{tol:g} of each other; give only one of them")
        pairs.append((value, text))
    spec = {"kind": "numeric", "answer": answer, "tol": tol, "wrong": pairs,
            "hint": _text(hint, "hint") if hint is not None else "Check your working and "
            "try again.",
            "explanation": _text(explanation, "explanation", True) if explanation else ""}
    label = _text(label, "label")

    return Quiz("numeric", question, spec, label, id)


def multiple_choice(question, options, correct, hints=None, explanation=None, id=None):
    """A quiz with one correct option among ``options``.

    ``correct`` is the index of the right option or its text.  ``hints`` maps wrong options
    (by index or by text) to the hint shown when the reader picks them.  ``id``: the stable
    question id; by default derived from the question.

    >>> q = multiple_choice("Which factor does BP1 multiply by?", ["σ′(z)", "σ′(a)"], 0,
    ...                     hints={"σ′(a)": "σ′ is evaluated at the pre-activation z."})
    >>> q.spec["correct"], q.spec["hints"]
    (0, {'1': 'σ′ is evaluated at the pre-activation z.'})
    """
    question = _text(question, "question")
    if isinstance(options, (str, bytes)) or not isinstance(options, (list, tuple)):
        raise TypeError(f"options must be a list of strings, got {type(options).__name__}")
    options = [_text(o, f"option {i}") for i, o in enumerate(options)]
    if len(options) < 2:
        raise ValueError(f"a multiple-choice quiz needs at least 2 options, got {len(options)}")
    if len(set(options)) != len(options):
        raise ValueError("options must be distinct")

    def index_of(key, what):
        if isinstance(key, str):
            if key not in options:
                raise ValueError(f"{what} {key!r} is not one of the options {options}")
            return options.index(key)
        if isinstance(key, bool) or not isinstance(key, numbers.Integral):
            raise TypeError(f"{what} must be an option's index or text, got "
                            f"{type(key).__name__}")
        if not 0 <= key < len(options):
            raise ValueError(f"{what} index {key} is out of range for {len(options)} options")
        return int(key)

    right = index_of(correct, "correct")
    hints = {} if hints is None else hints
    if not isinstance(hints, dict):
        raise TypeError(f"hints must be a dict {{option: hint}}, got {type(hints).__name__}")
    by_index = {}
    for key, text in hints.items():
        i = index_of(key, "hints key")
        if i == right:
            raise ValueError(f"hints gives a hint for the correct option {options[i]!r}; use "
                             "explanation for the text shown with a correct answer")
        by_index[str(i)] = _text(text, f"the hint for option {options[i]!r}")
    spec = {"kind": "choice", "correct": right, "hints": by_index,
            "hint": "Not that one; read the question again and try another option.",
            "explanation": _text(explanation, "explanation", True) if explanation else "",
            "options": options}

    return Quiz("choice", question, spec, id=id)


def from_exercise(exercise, question, index=None, tol=None, explanation=None):
    """A numeric quiz on one entry of a numeric exercise's reference answer.

    ``exercise`` is the exercise itself, ``bpcore.exercises.get(id)`` (whose ``.quiz(...)``
    calls this).  The answer is ``exercise.reference()`` (at ``index`` for an array); each
    wrong answer of ``exercise.wrong_answers()`` that has the reference's shape contributes
    its value at the same index, with its hint.  ``tol`` defaults to 0.5% of the answer's
    size, so a reply to three significant figures is accepted.  Mistakes that land within
    ``tol`` of the answer or of an earlier mistake are left out.

    >>> from bpcore import exercises
    >>> q = from_exercise(exercises.get("ch4-bp1-delta"), "What is δ²₁?", index=(0, 0))
    >>> round(q.spec["answer"], 4), len(q.spec["wrong"]), q.id
    (0.1425, 3, 'quiz-ch4-bp1-delta-1-1')
    >>> from_exercise("ch4-bp1-delta", "What is δ²₁?")
    Traceback (most recent call last):
    ...
    TypeError: from_exercise takes the exercise itself, got the text 'ch4-bp1-delta'; write bpcore.exercises.get('ch4-bp1-delta').quiz(question, ...)
    """
    if isinstance(exercise, str):
        raise TypeError(f"from_exercise takes the exercise itself, got the text {exercise!r}; "
                        f"write bpcore.exercises.get({exercise!r}).quiz(question, ...)")
    ref = exercise.reference()
    if isinstance(ref, float):
        value, ref_shape = ref, ()
    elif isinstance(ref, np.ndarray):
        if index is None:
            raise ValueError(f"the answer of {exercise.id!r} is an array of shape {ref.shape}; "
                             "pass index=(i, j) to ask for one entry")
        try:
            value = float(ref[index])
        except (IndexError, TypeError, ValueError) as exc:
            raise ValueError(f"index {index!r} does not pick one entry of the answer of "
                             f"shape {ref.shape}: {exc}") from None
        ref_shape = ref.shape
    else:
        raise TypeError(f"exercise {exercise.id!r} does not have a numeric answer; write the "
                        "quiz with numeric() or multiple_choice()")
    tol = max(5e-3 * abs(value), 1e-12) if tol is None else _number(tol, "tol")
    wrong = {}
    for hint, arr in exercise.wrong_answers().values():
        if arr.shape != ref_shape and not (ref_shape == () and arr.size == 1):
            continue
        w = float(arr.reshape(ref_shape)[index] if ref_shape else arr.reshape(()))
        if abs(w - value) > tol and all(abs(w - other) > tol for other in wrong):
            wrong[w] = hint
    # The entry's 1-based index in the id, so two entries of one exercise are two questions.
    entry = np.atleast_1d(np.asarray(index, dtype=int)) if ref_shape else []
    qid = f"quiz-{exercise.id}" + "".join(f"-{int(i) % n + 1}" for i, n in zip(entry, ref_shape))
    return numeric(question, value, tol, wrong=wrong, explanation=explanation, id=qid)


def formula(exercise):
    """The formula question of ``exercise`` (the object, or its id such as
    ``"ch4-my-output-delta"``), declared in the catalog with ``formula=Formula(...)``.
    Display it in a cell; see :mod:`bpcore.formula`.

    >>> q = formula("ch4-my-output-delta")
    >>> html = q._repr_html_()
    >>> 'data-bp-formula="' in html and 'aria-live="polite"' in html
    True
    """
    from . import formula as _formula
    return _formula.question(exercise)
