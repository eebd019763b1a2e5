"""Self-study exercises with auto-checked answers.

In a chapter, an exercise is fetched once and used through its object::

    from bpcore import exercises
    task = exercises.get("ch4-bp1-delta")
    task                         # the prompt, what to submit, the data (a box)
    d = task.data()              # the exercise's inputs (copies)
    task.check(answer)           # ✓ Correct / ✗ Not yet, with a hint
    task.solution()              # the worked solution, built from task.reference()
    task.quiz("δ²₁?", index=(0, 0))  # a static quiz with the same numbers and hints

API
---
* :func:`get` -- the :class:`Exercise` with an id (ValueError naming close matches).
  Its methods: ``data()``, ``check(answer)`` (a :class:`Feedback`: ``.correct``,
  ``.message``, ``.mistake``), ``reference()`` (an array, a float, a tuple of shapes, a
  sympy expression or, for function exercises, the model solution function: the single
  source of truth for the book's solutions and for the tests), ``solution()``,
  ``mistakes()`` (name -> hint), ``wrong_answers()`` (each catalogued mistake's wrong
  answer, for quizzes), ``describe()`` and ``quiz(question, index=...)``.
* :func:`catalog` -- the ids of every auto-checked exercise ("ch1-forward-z1", ...).
* :func:`check`, :func:`reference`, :func:`describe`, :func:`data`, :func:`solution`,
  :func:`mistakes`, :func:`wrong_answers` -- the same methods called with an id.

Three kinds of answer are checked: numbers and arrays (with a tolerance), sympy expressions
(any equivalent form), and functions (run on hidden seeded cases against bpcore).  A
learner's answer is never evaluated as text: strings are refused with a message.

Adding an exercise
------------------
Add one call to the chapter's module ``bpcore/exercises/catalog/chNN.py`` (a new chapter
is a new module there; nothing else lists it), with the registrars of
:mod:`bpcore.exercises.core` and data from :mod:`bpcore.examples`::

    numeric(
        id="ch7-softmax-delta", chapter=7, title="δᴸ for softmax + cross-entropy",
        prompt="...", setup=my_setup,            # () -> namespace of data, via bpcore
        answer=lambda d: d.delta[2],             # the reference, from that namespace
        given_names=("net", "x", "y"), quantity="δ²",
        mistakes=[mistake("σ′ kept", "hint ...", lambda d: ...wrong answer from d...)])

``symbolic(...)`` takes ``variables=("z",)`` and ``answer=lambda s: expr in s.z``;
``function(...)`` takes ``name``, ``params``, ``cases(rng)``, a bpcore ``oracle`` and the
``model`` solution.  Any of the three may add ``formula=Formula(...)``
(:mod:`bpcore.formula`): a formula question for the static page, which the reader answers
by typing a formula in the book's symbols, checked on numbers from this same entry
(``bpcore.quiz.formula(task)`` shows it; ``tests/test_formula.py`` checks it).  ``tests/test_exercises_catalog.py`` then checks the new entry
automatically: its reference passes, each mistake gets its own hint, junk is refused.  In
the chapter, the exercise block fetches it with ``task = exercises.get(id)`` and shows ``task``:
the prompt is written once, in the catalog (``tests/test_exercise_chapters.py``).

>>> from bpcore import exercises
>>> task = exercises.get("ch4-bp1-delta")
>>> print(task.check(task.reference()).label)
✓ Correct
>>> fb = task.check([[0.7152], [-0.2016]])
>>> fb.correct, fb.mistake
(False, 'missing σ′')
"""
from __future__ import annotations

from . import catalog as _catalog  # noqa: F401  (registers every chapter's exercises)
from .core import (Exercise, ExerciseInfo, FunctionExercise, Mistake, NumericExercise,
                   Solution, SymbolicExercise, all_ids, get, mistake, register)
from .feedback import Feedback

__all__ = ["get", "catalog", "check", "reference", "describe", "data", "mistakes", "solution",
           "wrong_answers", "Exercise", "Feedback", "ExerciseInfo", "Solution", "Mistake",
           "mistake", "register", "NumericExercise", "SymbolicExercise", "FunctionExercise"]


def catalog(chapter=None):
    """The ids of every auto-checked exercise, by chapter, or of one chapter's.

    >>> catalog(chapter=4)[:2]
    ['ch4-bp1-delta', 'ch4-sigmoid-prime']
    """
    if chapter is not None and (isinstance(chapter, bool) or not isinstance(chapter, int)):
        raise TypeError(f"chapter must be an int such as 4, got {type(chapter).__name__}")
    return all_ids(chapter)


def check(exercise_id, answer):
    """``get(exercise_id).check(answer)``: a :class:`Feedback`.

    Never raises for a bad answer (junk gets a message); raises ValueError for an unknown
    id, listing close matches.

    >>> print(check("ch2-cost-derivative", "a - y"))  # doctest: +ELLIPSIS
    ✗ Not yet: Your answer is the text 'a - y'. Text is never evaluated ...
    """
    return get(exercise_id).check(answer)


def reference(exercise_id):
    """``get(exercise_id).reference()``: the reference answer.

    >>> reference("ch1-batch-shape")
    (10, 64)
    >>> reference("nonsense-id")
    Traceback (most recent call last):
    ...
    ValueError: unknown exercise id 'nonsense-id'; bpcore.exercises.catalog() lists them all
    """
    return get(exercise_id).reference()


def describe(exercise_id):
    """``get(exercise_id).describe()``: the prompt and metadata, an :class:`ExerciseInfo`.

    >>> describe("ch4-sigmoid-prime").kind
    'symbolic'
    """
    return get(exercise_id).describe()


def data(exercise_id):
    """``get(exercise_id).data()``: the inputs, a dict of fresh copies (for a symbolic
    exercise, its symbols; for a function exercise, one example case).

    >>> sorted(data("ch2-cost-batch"))
    ['a', 'y']
    """
    return get(exercise_id).data()


def mistakes(exercise_id):
    """``get(exercise_id).mistakes()``: the catalogued mistakes, dict name -> hint.

    >>> list(mistakes("ch4-bp1-delta"))
    ['missing σ′', 'σ′ of the activation', 'sign flipped']
    """
    return get(exercise_id).mistakes()


def solution(exercise_id):
    """``get(exercise_id).solution()``: the worked solution (shown as HTML in Jupyter)."""
    return get(exercise_id).solution()


def wrong_answers(exercise_id):
    """``get(exercise_id).wrong_answers()``: {mistake name: (hint, wrong answer array)}
    for a numeric exercise, {} otherwise."""
    return get(exercise_id).wrong_answers()
