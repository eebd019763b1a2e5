"""What every exercise has: its catalogued mistakes, its prompt, and the object API a
chapter uses.

An exercise is one declarative entry: its id, chapter, prompt, how to compute the
reference answer with bpcore, and the mistakes it recognises.  A mistake carries a hint and
a function that computes the WRONG answer that mistake produces, from the same data as the
reference (never a hard-coded number).  A learner's answer that matches a mistake's wrong
answer gets that mistake's hint.

In a chapter the exercise is fetched once and used through its object::

    ex = exercises.get("ch4-bp1-delta")
    ex                       # the prompt box (as the last line of a cell)
    d = ex.data()            # the inputs, fresh copies
    ex.check(answer)         # a Feedback: ✓ Correct / ✗ Not yet, with a hint
    ex.solution()            # the worked answer, built from ex.reference()
    ex.quiz("δ²₁?", index=(0, 0))   # a static quiz with the same numbers and hints

The three kinds (:mod:`.kind_numeric`, :mod:`.kind_symbolic`, :mod:`.kind_function`) add
``reference``, ``data``, ``submit``, ``check`` and ``solution``.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Callable, ClassVar

import numpy as np

from .. import quiz as _quiz
from .. import render
from .feedback import Feedback

__all__ = ["Mistake", "mistake", "Exercise", "ExerciseInfo", "Solution"]


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


def seed_of(exercise_id):
    """The seed of an exercise's random points and cases, fixed by its id."""
    return zlib.crc32(exercise_id.encode())


def quietly(fn, *args):
    """fn(*args), or None if it raises (a mistake that cannot occur on this data)."""
    try:
        return fn(*args)
    except Exception:
        return None


@dataclass(frozen=True)
class ExerciseInfo:
    """What :meth:`Exercise.describe` returns: the prompt and how to answer (shown as a box)."""
    id: str
    chapter: int
    title: str
    prompt: str
    kind: str
    submit: str
    given: tuple

    @property
    def get_code(self):
        """The line of code that fetches the exercise, as the chapters do."""
        return f"task = bpcore.exercises.get({self.id!r})"

    @property
    def data_code(self):
        """The line of code that fetches the exercise's data."""
        return "d = task.data()"

    @property
    def check_code(self):
        """The line of code that checks an answer."""
        return "task.check(your_answer)"

    def __str__(self):
        lines = [f"Exercise {self.id}: {self.title}", "", self.prompt, "", f"Answer: {self.submit}",
                 f"In code: {self.get_code}"]
        if self.given:
            lines.append(f"Data: {self.data_code} gives "
                         + ", ".join(f"d[{g!r}]" for g in self.given) + ".")
        lines.append(f"Check: {self.check_code}")
        return "\n".join(lines)

    def _repr_html_(self):
        return render.exercise_box(self)


@dataclass(frozen=True)
class Solution:
    """What :meth:`Exercise.solution` returns: the worked answer, for a dropdown."""
    id: str
    title: str
    explanation: str
    answer_text: str

    def __str__(self):
        return f"Solution to {self.id}: {self.title}\n\n{self.explanation}\n\n{self.answer_text}"

    def _repr_html_(self):
        return render.solution(self)


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class Exercise:
    """Fields every exercise has.  ``known_mistakes`` holds the catalogued :class:`Mistake`
    entries (the registrars take them as ``mistakes=[...]``); ``hint`` is added when no
    catalogued mistake matches; ``explanation`` opens the worked solution; ``formula``, a
    :class:`bpcore.formula.Formula` or None, declares the exercise's formula question for
    the static page (``bpcore.quiz.formula(exercise)``), with the same reference and
    mistakes."""
    id: str
    chapter: int
    title: str
    prompt: str
    known_mistakes: tuple = ()
    hint: str = ""
    explanation: str = ""
    formula: object = None
    kind: ClassVar[str] = ""

    def __post_init__(self):
        if not re.fullmatch(r"ch\d+-[a-z0-9]+(-[a-z0-9]+)*", self.id):
            raise ValueError(f"exercise id {self.id!r} must look like 'ch4-bp1-delta': "
                             "'ch', the chapter number, then lowercase words joined by '-'")
        if int(self.id[2:].split("-")[0]) != self.chapter:
            raise ValueError(f"exercise id {self.id!r} does not start with ch{self.chapter}")
        names = [mk.name for mk in self.known_mistakes]
        if len(set(names)) != len(names):
            raise ValueError(f"exercise {self.id!r} lists a mistake name twice: {names}")
        object.__setattr__(self, "known_mistakes", tuple(self.known_mistakes))
        if self.formula is not None:
            from ..formula import Formula
            if not isinstance(self.formula, Formula):
                raise TypeError(f"exercise {self.id!r}: formula must be a "
                                f"bpcore.formula.Formula, got {type(self.formula).__name__}")
            self.formula.check_mistakes(self)

    # What each kind defines: reference(), data(), submit(), check(answer), solution(),
    # and, where a mistake's wrong answer is a number, _answer_data().

    def _answer_data(self):
        """The namespace a numeric mistake's ``wrong`` reads; None for other kinds."""
        return None

    def describe(self):
        """The prompt and metadata, an :class:`ExerciseInfo` (shown as a box)."""
        return ExerciseInfo(self.id, self.chapter, self.title, self.prompt, self.kind,
                            self.submit(), tuple(self.data()))

    def mistakes(self):
        """The catalogued mistakes: dict name -> hint."""
        return {mk.name: mk.hint for mk in self.known_mistakes}

    def wrong_answers(self):
        """{mistake name: (hint, wrong answer as an array)} on this exercise's data.

        Only an answer made of numbers has wrong numbers to offer a static quiz: for
        symbolic and function exercises (whose mistakes are expressions or functions) it
        is {}.  A mistake that cannot occur on the data is left out.
        """
        ns = self._answer_data()
        if ns is None:
            return {}
        out = {}
        for mk in self.known_mistakes:
            value = quietly(mk.wrong, ns)
            if value is not None:
                out[mk.name] = (mk.hint, np.array(value, dtype=float))
        return out

    def quiz(self, question, index=None, tol=None, explanation=None):
        """A static quiz on this exercise's answer (at ``index`` for an array), with its
        catalogued mistakes as the expected wrong values; see :func:`bpcore.quiz.from_exercise`."""
        return _quiz.from_exercise(self, question, index=index, tol=tol,
                                   explanation=explanation)

    def _fail(self, message, mistake_name=None):
        return Feedback(False, message, self.id, mistake_name)

    def _unrecognised(self, message):
        return self._fail(f"{message} {self.hint}".strip())

    def __repr__(self):
        return f"<bpcore exercise {self.id}: {self.title}>"

    def __str__(self):
        return str(self.describe())

    def _repr_html_(self):
        return self.describe()._repr_html_()
