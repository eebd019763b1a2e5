"""The registry of exercises and the one way to declare one: :func:`numeric`,
:func:`symbolic` or :func:`function`, each with its :func:`mistake` entries.

A catalog module (``bpcore/exercises/catalog/chNN.py``) is a list of such calls; the
package docstring of :mod:`bpcore.exercises` shows one.  Each call builds the exercise, adds it to the registry and returns it; :func:`get` finds
it by id.  The kinds and their fields: :class:`NumericExercise`,
:class:`SymbolicExercise`, :class:`FunctionExercise`.

>>> get("ch4-bp1-delta").kind
'numeric'
>>> get("ch4-bp1-detla")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: unknown exercise id 'ch4-bp1-detla'; did you mean 'ch4-bp1-delta', ...?
"""
from __future__ import annotations

import difflib

from .base import Exercise, ExerciseInfo, Mistake, Solution, mistake
from .kind_function import FunctionExercise
from .kind_numeric import NumericExercise
from .kind_symbolic import SymbolicExercise

__all__ = ["numeric", "symbolic", "function", "mistake", "Mistake", "Exercise",
           "NumericExercise", "SymbolicExercise", "FunctionExercise", "ExerciseInfo",
           "Solution", "register", "get", "all_ids"]

_REGISTRY: dict = {}


def register(exercise):
    """Add ``exercise`` to the catalog and return it.  Ids must be unique."""
    if not isinstance(exercise, Exercise):
        raise TypeError(f"expected an Exercise, got {type(exercise).__name__}")
    known = _REGISTRY.get(exercise.id)
    if known is not None:
        raise ValueError(f"exercise id {exercise.id!r} is already registered "
                         f"(by {known.title!r})")
    _REGISTRY[exercise.id] = exercise
    return exercise


def numeric(*, mistakes=(), **fields):
    """Declare a :class:`NumericExercise` (a number or an array) and register it.

    ``mistakes`` is a list of :func:`mistake` entries whose ``wrong(d)`` reads the data
    namespace ``d = setup()``; the other keywords are the exercise's fields.
    """
    return register(NumericExercise(known_mistakes=tuple(mistakes), **fields))


def symbolic(*, mistakes=(), **fields):
    """Declare a :class:`SymbolicExercise` (a sympy expression) and register it.

    ``variables=("z",)`` names its symbols; ``answer`` and each mistake's ``wrong`` take a
    namespace of them, ``lambda s: ...s.z...``.
    """
    return register(SymbolicExercise(known_mistakes=tuple(mistakes), **fields))


def function(*, mistakes=(), **fields):
    """Declare a :class:`FunctionExercise` (a function the learner writes) and register it.

    It takes ``name``, ``params``, ``returns``, ``cases(rng)``, a bpcore ``oracle`` and the
    ``model`` solution; each mistake's ``wrong`` is a wrong implementation.
    """
    return register(FunctionExercise(known_mistakes=tuple(mistakes), **fields))


def all_ids(chapter=None):
    """Every registered id in chapter order (declaration order within a chapter)."""
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
