"""Self-study exercises with auto-checked answers.

In a chapter::

    from bpcore import exercises
    exercises.describe("ch4-bp1-delta")          # the prompt, what to submit, the data
    d = exercises.data("ch4-bp1-delta")          # the exercise's inputs (copies)
    exercises.check("ch4-bp1-delta", answer)     # ✓ Correct / ✗ Not yet, with a hint
    exercises.solution("ch4-bp1-delta")          # the worked answer, built from reference()

API
---
* :func:`catalog` -- the ids of every auto-checked exercise ("ch1-forward-z1", ...).
* :func:`check` -- a :class:`Feedback` (``.correct``, ``.message``, ``.mistake``).
* :func:`reference` -- the reference answer: an array, a float, a tuple (shapes), a sympy
  expression or, for function exercises, the model solution function.  It is the single
  source of truth for the book's solutions and for the tests.
* :func:`describe` -- the prompt and how to answer; :func:`data` -- the inputs;
  :func:`mistakes` -- the catalogued mistakes, name -> hint; :func:`solution` -- the
  worked solution, displayable; :func:`wrong_answers` -- each catalogued mistake's wrong
  answer (used by :mod:`bpcore.quiz` to give static quizzes the same hints).

Three kinds of answer are checked: numbers and arrays (with a tolerance), sympy expressions
(any equivalent form), and functions (run on hidden seeded cases against bpcore).  A
learner's answer is never evaluated as text: strings are refused with a message.

Adding an exercise (chapters 7-12)
----------------------------------
Add one entry to a module imported at the bottom of this file (``catalog.py`` holds part
I; a new ``catalog_part2.py`` can hold later chapters)::

    numeric(
        id="ch7-softmax-delta", chapter=7, title="δᴸ for softmax + cross-entropy",
        prompt="...", setup=my_setup,            # () -> namespace of data, via bpcore
        answer=lambda d: d.delta[2],             # the reference, from that namespace
        given_names=("net", "x", "y"), quantity="δ²",
        mistakes=[mistake("σ′ kept", "hint ...", lambda d: ...wrong answer from d...)])

``symbolic(...)`` takes ``variables=("z",)`` and ``answer=lambda s: expr in s.z``;
``function(...)`` takes ``name``, ``params``, ``cases(rng)``, a bpcore ``oracle`` and the
``model`` solution.  ``tests/test_exercises.py`` then checks the new entry automatically:
its reference passes, each mistake gets its own hint, junk is refused.

>>> from bpcore import exercises
>>> "ch4-bp1-delta" in exercises.catalog()
True
>>> print(exercises.check("ch4-bp1-delta", exercises.reference("ch4-bp1-delta")).label)
✓ Correct
>>> fb = exercises.check("ch4-bp1-delta", [[0.7152], [-0.2016]])
>>> fb.correct, fb.mistake
(False, 'missing σ′')
"""
from __future__ import annotations

from . import catalog as _catalog  # noqa: F401  (registers the part-I exercises)
from . import (catalog_ch07, catalog_ch08, catalog_ch09, catalog_ch10,  # noqa: F401
               catalog_ch11, catalog_ch12)  # part II, one module per chapter
from .core import (ExerciseInfo, FunctionExercise, Mistake, NumericExercise, Solution,
                   SymbolicExercise, all_ids, get, mistake, register)
from .feedback import Feedback

__all__ = ["catalog", "check", "reference", "describe", "data", "mistakes", "solution",
           "wrong_answers", "Feedback", "ExerciseInfo", "Solution", "Mistake", "mistake",
           "register", "NumericExercise", "SymbolicExercise", "FunctionExercise"]


def catalog(chapter=None):
    """The ids of every auto-checked exercise, by chapter, or of one chapter's.

    >>> catalog(chapter=4)[:2]
    ['ch4-bp1-delta', 'ch4-sigmoid-prime']
    """
    if chapter is not None and (isinstance(chapter, bool) or not isinstance(chapter, int)):
        raise TypeError(f"chapter must be an int such as 4, got {type(chapter).__name__}")
    return all_ids(chapter)


def check(exercise_id, answer):
    """Check ``answer`` against exercise ``exercise_id``; returns a :class:`Feedback`.

    Never raises for a bad answer (junk gets a message); raises ValueError for an unknown
    id, listing close matches.

    >>> print(check("ch2-cost-derivative", "a - y"))  # doctest: +ELLIPSIS
    ✗ Not yet: Your answer is the text 'a - y'. Text is never evaluated ...
    """
    return get(exercise_id).check(answer)


def reference(exercise_id):
    """The reference answer of an exercise (see the module docstring for its types).

    >>> reference("ch1-batch-shape")
    (10, 64)
    >>> reference("nonsense-id")
    Traceback (most recent call last):
    ...
    ValueError: unknown exercise id 'nonsense-id'; bpcore.exercises.catalog() lists them all
    """
    return get(exercise_id).reference()


def describe(exercise_id):
    """The exercise's prompt and metadata, an :class:`ExerciseInfo` (shown as a box).

    >>> describe("ch4-sigmoid-prime").kind
    'symbolic'
    """
    return get(exercise_id).info()


def data(exercise_id):
    """The exercise's inputs, a dict of fresh copies (for a symbolic exercise, its symbols;
    for a function exercise, one example case).

    >>> sorted(data("ch2-cost-batch"))
    ['a', 'y']
    """
    return get(exercise_id).given()


def mistakes(exercise_id):
    """The catalogued mistakes of an exercise: dict name -> hint.

    >>> list(mistakes("ch4-bp1-delta"))
    ['missing σ′', 'σ′ of the activation', 'sign flipped']
    """
    return get(exercise_id).mistake_hints()


def solution(exercise_id):
    """The worked solution, built from :func:`reference` (shown as HTML in Jupyter)."""
    return get(exercise_id).solution()


def wrong_answers(exercise_id):
    """{mistake name: (hint, wrong answer array)} for a numeric exercise; {} otherwise."""
    exercise = get(exercise_id)
    return exercise.wrong_answers() if hasattr(exercise, "wrong_answers") else {}
