"""The names shared by the Python that builds the page and the scripts that run in it.

Steppers, quizzes and formula questions are HTML built in Python; small scripts in the
reader's page (``_ext/static/bp-*.js`` for steppers, ``bpcore/static/bp-quiz.js`` for quizzes,
``bpcore/static/bp-formula.js`` for formula questions) find their pieces by these class
names.  They are defined here once; the Python side imports
them, and ``tests/test_dom.py`` fails when a name one side uses is missing on the other.
``docs/page-contract.md`` describes what each piece does.

>>> STEPPER, kind_class("forward")
('bp-stepper', 'bp-stepper-forward')
"""
from __future__ import annotations

import re

__all__ = ["STEPPER", "STEPPER_TITLE", "STEP_CONTROLS", "STEP_SLIDER", "PREV", "NEXT", "STEP",
           "FIGURE", "ALT", "FIGURE_GROUP", "CHOICE", "kind_class",
           "QUIZ", "QUIZ_QUESTION", "QUIZ_OPTION", "QUIZ_INPUT", "QUIZ_ANSWER", "QUIZ_CHECK",
           "QUIZ_FEEDBACK", "QUIZ_OK", "QUIZ_NO", "QUIZ_NOJS", "SPEC_ATTRIBUTE", "READY_ATTRIBUTE",
           "FORMULA", "FORMULA_ATTRIBUTE", "FORMULA_QUESTION", "FORMULA_SYNTAX",
           "FORMULA_ANSWER", "FORMULA_INPUT", "FORMULA_CHECK", "FORMULA_PREVIEW",
           "FORMULA_FEEDBACK", "FORMULA_OK", "FORMULA_NO", "FORMULA_NOJS", "RESULT_ATTRIBUTE",
           "EXERCISE", "SOLUTION", "FEEDBACK", "FEEDBACK_CORRECT", "FEEDBACK_WRONG",
           "QUESTION_ATTRIBUTE", "ANSWER_EVENT", "PROGRESS", "PROGRESS_COUNT", "PROGRESS_RESET",
           "PROGRESS_CONFIRM", "PROGRESS_STATUS", "PROGRESS_BADGE", "PROGRESS_DONE",
           "PLAYGROUND", "PLAYGROUND_ATTRIBUTE", "PLAYGROUND_NOJS", "PLAYGROUND_PARAMS",
           "PLAYGROUND_DIAGRAM", "PLAYGROUND_TABLE", "PLAYGROUND_CURVE", "PLAYGROUND_STATUS",
           "PLAYGROUND_STALE", "SYMBOL_ATTRIBUTE", "VALUE_ATTRIBUTE",
           "STEPPER_NAMES", "QUIZ_NAMES", "FORMULA_NAMES", "PROGRESS_NAMES", "PLAYGROUND_NAMES"]

# Steppers (bpcore.steppers; wired by _ext/static/bp-stepper-nav.js).
STEPPER = "bp-stepper"                # outer container of one stepper
STEPPER_TITLE = "bp-stepper-title"    # its heading paragraph
STEP_CONTROLS = "bp-step-controls"    # the Previous / slider / Next row
STEP_SLIDER = "bp-step-slider"        # the slider jslinked to the Stack(s): the current step
PREV = "bp-prev"                      # the Previous button
NEXT = "bp-next"                      # the Next button
STEP = "bp-step"                      # one view in a Stack
FIGURE = "bp-figure"                  # a view's picture (an Image widget)
ALT = "bp-alt"                        # the paragraph that says the picture in words
FIGURE_GROUP = "bp-figure-group"      # a choice's picture together with its words
CHOICE = "bp-choice"                  # the selector of a group of views (weight, rate)


def kind_class(kind):
    """The class that names a stepper's kind: ``bp-stepper-<kind>``.

    >>> kind_class("Forward")
    Traceback (most recent call last):
    ...
    ValueError: kind names a CSS class, bp-stepper-<kind>: use lower-case letters, digits and hyphens, e.g. 'forward', got 'Forward'
    """
    if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", kind):
        raise ValueError(f"kind names a CSS class, {STEPPER}-<kind>: use lower-case letters, "
                         f"digits and hyphens, e.g. 'forward', got {kind!r}")
    return f"{STEPPER}-{kind}"


# Quizzes (bpcore.quiz; checked by bpcore/static/bp-quiz.js).
QUIZ = "bp-quiz"
QUIZ_QUESTION = "bp-quiz-question"
QUIZ_OPTION = "bp-quiz-option"
QUIZ_INPUT = "bp-quiz-input"
QUIZ_ANSWER = "bp-quiz-answer"
QUIZ_CHECK = "bp-quiz-check"
QUIZ_FEEDBACK = "bp-quiz-feedback"
QUIZ_OK = "bp-quiz-ok"
QUIZ_NO = "bp-quiz-no"
QUIZ_NOJS = "bp-quiz-nojs"
SPEC_ATTRIBUTE = "data-bp-quiz"       # on a quiz: its answer, hints and messages, as JSON
READY_ATTRIBUTE = "data-bp-ready"     # set on a quiz once its script has wired it

# Formula questions (bpcore.formula; checked by bpcore/static/bp-formula.js with mathjs).
FORMULA = "bp-formula"                    # root; its id is "bp-formula-<exercise id>"
FORMULA_ATTRIBUTE = "data-bp-formula"     # on the root: symbols, numbers, answers, hints (JSON)
FORMULA_QUESTION = "bp-formula-question"  # the question paragraph
FORMULA_SYNTAX = "bp-formula-syntax"      # the note: symbols, functions, how to type
FORMULA_ANSWER = "bp-formula-answer"      # the row label, input, Check
FORMULA_INPUT = "bp-formula-input"        # the one text input
FORMULA_CHECK = "bp-formula-check"        # the Check button
FORMULA_PREVIEW = "bp-formula-preview"    # the typeset preview of what was typed
FORMULA_FEEDBACK = "bp-formula-feedback"  # the verdict (role=status, aria-live=polite)
FORMULA_OK = "bp-formula-ok"              # added to the feedback: accepted
FORMULA_NO = "bp-formula-no"              # added to the feedback: not accepted
FORMULA_NOJS = "bp-formula-nojs"          # "needs JavaScript and the book's page"
RESULT_ATTRIBUTE = "data-bp-result"       # set by the script: "correct", "wrong" or ""

# Progress the page remembers (_ext/static/bp-progress.js; every page).  Quizzes and formula
# questions carry a stable id; their scripts announce each checked answer with an event.
QUESTION_ATTRIBUTE = "data-bp-question"   # on a quiz's or formula question's root: its id
ANSWER_EVENT = "bp-answer"                # dispatched on the root: detail {id, correct}
PROGRESS = "bp-progress"                  # the box under a chapter's title: count and reset
PROGRESS_COUNT = "bp-progress-count"      # its sentence "3 of 7 questions ... correctly"
PROGRESS_RESET = "bp-progress-reset"      # the "Reset progress" button
PROGRESS_CONFIRM = "bp-progress-confirm"  # the inline confirmation (Clear / Keep)
PROGRESS_STATUS = "bp-progress-status"    # the aria-live message (cleared, not stored)
PROGRESS_BADGE = "bp-progress-badge"      # "3/7" after a chapter's link in the sidebar
PROGRESS_DONE = "bp-progress-done"        # note on a question answered correctly before

# The playground of the running example (bpcore.playground; built and run by
# bpcore/static/bp-playground.js, which adds every name below but the first three).
PLAYGROUND = "bp-playground"                  # root; its JSON spec is on PLAYGROUND_ATTRIBUTE
PLAYGROUND_ATTRIBUTE = "data-bp-playground"   # on the root: the initial state and choices
PLAYGROUND_NOJS = "bp-playground-nojs"        # "the playground needs JavaScript"
PLAYGROUND_PARAMS = "bp-playground-params"    # the grid of inputs: x, y, W, b
PLAYGROUND_DIAGRAM = "bp-playground-diagram"  # the network diagram (inline SVG)
PLAYGROUND_TABLE = "bp-playground-table"      # each table of computed values
PLAYGROUND_CURVE = "bp-playground-curve"      # the cost curve of "Train" (inline SVG)
PLAYGROUND_STATUS = "bp-playground-status"    # the message region (role=status, aria-live)
PLAYGROUND_STALE = "bp-playground-stale"      # on the root while an input is invalid
SYMBOL_ATTRIBUTE = "data-bp-symbol"           # on a shown value or an input: W2[1,3], C, ...
VALUE_ATTRIBUTE = "data-bp-value"             # on a shown value: the full double

# Exercise boxes and checker feedback (bpcore.exercises; styled, not scripted).
EXERCISE = "bp-exercise"
SOLUTION = "bp-solution"
FEEDBACK = "bp-feedback"
FEEDBACK_CORRECT = "bp-feedback-correct"
FEEDBACK_WRONG = "bp-feedback-wrong"

STEPPER_NAMES = (STEPPER, STEPPER_TITLE, STEP_CONTROLS, STEP_SLIDER, PREV, NEXT, STEP, FIGURE,
                 ALT, FIGURE_GROUP, CHOICE)
QUIZ_NAMES = (QUIZ, QUIZ_QUESTION, QUIZ_OPTION, QUIZ_INPUT, QUIZ_ANSWER, QUIZ_CHECK,
              QUIZ_FEEDBACK, QUIZ_OK, QUIZ_NO, QUIZ_NOJS)
FORMULA_NAMES = (FORMULA, FORMULA_QUESTION, FORMULA_SYNTAX, FORMULA_ANSWER, FORMULA_INPUT,
                 FORMULA_CHECK, FORMULA_PREVIEW, FORMULA_FEEDBACK, FORMULA_OK, FORMULA_NO,
                 FORMULA_NOJS)
PROGRESS_NAMES = (PROGRESS, PROGRESS_COUNT, PROGRESS_RESET, PROGRESS_CONFIRM, PROGRESS_STATUS,
                  PROGRESS_BADGE, PROGRESS_DONE)
PLAYGROUND_NAMES = (PLAYGROUND, PLAYGROUND_NOJS, PLAYGROUND_PARAMS, PLAYGROUND_DIAGRAM,
                    PLAYGROUND_TABLE, PLAYGROUND_CURVE, PLAYGROUND_STATUS, PLAYGROUND_STALE)
