"""HTML for the teaching objects: an exercise box, a worked solution, a checker's feedback,
a static quiz and a formula question.  This is the one place they are turned into markup.

Every function takes the model object (:class:`bpcore.exercises.ExerciseInfo`,
:class:`~bpcore.exercises.Solution`, :class:`~bpcore.exercises.Feedback`,
:class:`bpcore.quiz.Quiz`, :class:`bpcore.formula.FormulaQuestion`) and returns a string;
the objects' ``_repr_html_`` call them.  Class names come from :mod:`bpcore.dom`.  The
quiz's stylesheet and script are package data, ``bpcore/static/bp-quiz.css`` and
``bpcore/static/bp-quiz.js``, inlined after every quiz so a page needs nothing else (no
request leaves the page); a formula question likewise carries ``bp-formula.css`` and
``bp-formula.js``, and needs mathjs, which the book adds to the pages that have one.

>>> from bpcore.exercises import Feedback
>>> feedback(Feedback(True, "δ² = 0.14", "ch4-bp1-delta")).startswith('<div class="bp-feedback')
True
"""
from __future__ import annotations

import html
import re
from importlib import resources

from . import dom

__all__ = ["exercise_box", "solution", "feedback", "quiz", "formula", "inline", "QUIZ_STYLE",
           "QUIZ_SCRIPT", "FORMULA_STYLE", "FORMULA_SCRIPT"]

_e = html.escape


def _static(name):
    """The text of ``bpcore/static/<name>``, without its leading comment lines."""
    text = resources.files("bpcore").joinpath("static", name).read_text(encoding="utf-8")
    lines = text.splitlines()
    while lines and lines[0].startswith(("//", "/*", " *")):
        lines.pop(0)
    return lines


# One rule per line in the file; the page gets them on one line, as it always has.
QUIZ_STYLE = "<style>" + "".join(_static("bp-quiz.css")) + "</style>"
QUIZ_SCRIPT = "<script>\n" + "\n".join(_static("bp-quiz.js")) + "\n</script>"
FORMULA_STYLE = "<style>" + "".join(_static("bp-formula.css")) + "</style>"
FORMULA_SCRIPT = "<script>\n" + "\n".join(_static("bp-formula.js")) + "\n</script>"

_NOJS = ("Checking answers needs JavaScript. In Jupyter, trust the notebook "
         "(File → Trust Notebook) and run the cell again.")

_FEEDBACK_LOOK = {  # border colour, background; the words of Feedback.label carry the verdict
    True: (dom.FEEDBACK_CORRECT, "#1a7f37", "rgba(26, 127, 55, 0.12)"),
    False: (dom.FEEDBACK_WRONG, "#cf222e", "rgba(207, 34, 46, 0.10)"),
}


# Code in a box: the box's own text colour on a faint grey, legible in light and dark mode.
# (The book's theme colours inline code pink, which is hard to read on its dark background.)
_CODE_LOOK = ' style="color: inherit; background: rgba(127, 127, 127, 0.15);"'


def _code(text):
    """Escaped ``text`` as inline code in the box's own colour.

    >>> _code("d['x'] < 1")
    '<code style="color: inherit; background: rgba(127, 127, 127, 0.15);">d[&#x27;x&#x27;] &lt; 1</code>'
    """
    return f"<code{_CODE_LOOK}>{_e(text)}</code>"


def exercise_box(info):
    """The prompt box of an exercise: title, id, prompt, what to submit, its data, how to
    check.  ``info`` is an :class:`~bpcore.exercises.ExerciseInfo`.  Its code is shown in
    the box's own text colour (see ``_code``), so it reads as well in dark mode."""
    data = ""
    if info.given:
        names = ", ".join(_code(f"d[{g!r}]") for g in info.given)
        data = (f"<p><strong>Data:</strong> {_code(info.data_code)} gives "
                f"{names}.</p>")
    return (f'<div class="{dom.EXERCISE}" data-exercise="{_e(info.id)}" style="border: 1px '
            f'solid rgba(127, 127, 127, 0.5); border-radius: 4px; padding: 0.5em 0.75em; '
            f'color: inherit;"><p><strong>{_e(info.title)}</strong> '
            f'<small>({_e(info.id)})</small></p>'
            f'<p style="white-space: pre-wrap;">{_e(info.prompt)}</p>'
            f"<p><strong>Answer:</strong> {_e(info.submit)}</p>"
            f"<p><strong>In code:</strong> {_code(info.get_code)}</p>{data}"
            f"<p><strong>Check:</strong> {_code(info.check_code)}</p></div>")


def solution(sol):
    """A worked solution, for a dropdown: the explanation, then the answer as code."""
    return (f'<div class="{dom.SOLUTION}" data-exercise="{_e(sol.id)}">'
            f'<p style="white-space: pre-wrap;">{_e(sol.explanation)}</p>'
            f"<pre><code>{_e(sol.answer_text)}</code></pre></div>")


def feedback(fb):
    """A checker's verdict as a coloured box whose text starts with ✓ Correct / ✗ Not yet."""
    verdict, border, background = _FEEDBACK_LOOK[bool(fb.correct)]
    exercise = f' data-exercise="{_e(fb.exercise_id)}"' if fb.exercise_id else ""
    message = (f'<div style="white-space: pre-wrap; margin-top: 0.25em;">{_e(fb.message)}</div>'
               if fb.message else "")
    return (f'<div class="{dom.FEEDBACK} {verdict}"{exercise} style="border: 2px solid '
            f'{border}; border-left-width: 6px; background: {background}; color: inherit; '
            f'border-radius: 4px; padding: 0.5em 0.75em; margin: 0.25em 0;">'
            f"<strong>{fb.label}</strong>{message}</div>")


def inline(text):
    """Plain text to HTML: escaped, with `backticks` shown as code.

    >>> inline("is <b> `W @ a`?")
    'is &lt;b&gt; <code>W @ a</code>?'
    """
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text, quote=False))


def _numeric_body(q, uid):
    return (f'<p class="{dom.QUIZ_QUESTION}" id="{uid}-question">{inline(q.question)}</p>'
            f'<div class="{dom.QUIZ_ANSWER}"><label for="{uid}-input">{_e(q.label)}'
            f'</label><input type="text" class="{dom.QUIZ_INPUT}" id="{uid}-input" '
            f'inputmode="decimal" autocomplete="off" spellcheck="false" '
            f'aria-describedby="{uid}-question">'
            f'<button type="button" class="{dom.QUIZ_CHECK}" id="{uid}-check">Check</button>'
            f"</div>")


def _choice_body(q, uid):
    items = "".join(
        f'<div class="{dom.QUIZ_OPTION}"><input type="radio" name="{uid}" id="{uid}-{i}" '
        f'value="{i}"><label for="{uid}-{i}">{inline(option)}</label></div>'
        for i, option in enumerate(q.spec["options"]))
    return (f'<fieldset><legend class="{dom.QUIZ_QUESTION}" id="{uid}-question">'
            f"{inline(q.question)}</legend>{items}</fieldset>"
            f'<button type="button" class="{dom.QUIZ_CHECK}" id="{uid}-check">Check</button>')


_BODIES = {"numeric": _numeric_body, "choice": _choice_body}


def quiz(q, uid, spec_json):
    """A :class:`bpcore.quiz.Quiz` as self-contained HTML with element ids ``uid-...``;
    ``spec_json`` is what the script reads to check a reply (``dom.SPEC_ATTRIBUTE``)."""
    return (f'<div class="{dom.QUIZ} {dom.QUIZ}-{q.kind}" id="{uid}" '
            f'{dom.QUESTION_ATTRIBUTE}="{_e(q.id)}" '
            f'{dom.SPEC_ATTRIBUTE}="{_e(spec_json, quote=True)}">'
            f"{QUIZ_STYLE}{_BODIES[q.kind](q, uid)}"
            f'<p class="{dom.QUIZ_FEEDBACK}" id="{uid}-feedback" role="status" '
            f'aria-live="polite"></p>'
            f'<p class="{dom.QUIZ_NOJS}">{_e(_NOJS)}</p></div>{QUIZ_SCRIPT}')


_FORMULA_NOJS = ("Checking a formula needs JavaScript and the book's web page, which loads the "
                 "expression library mathjs. In a notebook, check your answer with the "
                 "exercise's check.")

_HOW_TO_TYPE = (
    "<code>*</code> is the matrix product and <code>.*</code> multiplies entry by entry (⊙); "
    "the two bind equally, left to right, so use parentheses.",
    "<code>'</code> transposes: <code>W2'</code> is (W²)ᵀ.",
    "<code>/</code> divides by a number and <code>./</code> entry by entry; <code>^</code> "
    "raises a number and <code>.^</code> every entry.",
    "Batches are columns; a column added to an array with as many rows is added to every "
    "column, as the book adds b.",
)


def formula(q, uid, spec_json):
    """A :class:`bpcore.formula.FormulaQuestion` as HTML: root id ``bp-formula-<uid>``
    carrying ``spec_json`` (``dom.FORMULA_ATTRIBUTE``), the question, the syntax note, one
    text input, a Check button, the preview and a feedback region screen readers hear."""
    from .formula import FUNCTIONS
    rid = f"{dom.FORMULA}-{uid}"
    spec = q.spec
    symbols = ", ".join(f"<code>{_e(n)}</code> ({_e(s)})" for n, s in q.symbol_notes())
    functions = ", ".join(f"<code>{_e(f)}(·)</code>" for f in spec["functions"]) or "none"
    labels = "; ".join(_e(d["label"]) for d in spec["datasets"])
    items = [*_HOW_TO_TYPE, *(f"<code>{_e(f)}</code>: {_e(FUNCTIONS[f])}."
                             for f in spec["functions"]),
             f"Only values count, so any equivalent form is accepted: the page evaluates your "
             f"formula on {len(spec['datasets'])} sets of numbers ({labels}) and compares it "
             f"with {_e(spec['quantity'])}."]
    how = "".join(f"<li>{item}</li>" for item in items)
    return (f'<div class="{dom.FORMULA}" id="{rid}" {dom.QUESTION_ATTRIBUTE}="{_e(q.id)}" '
            f'{dom.FORMULA_ATTRIBUTE}="{_e(spec_json, quote=True)}">{FORMULA_STYLE}'
            f'<p class="{dom.FORMULA_QUESTION}" id="{rid}-question">{inline(q.question)}</p>'
            f'<div class="{dom.FORMULA_SYNTAX}" id="{rid}-syntax"><p>Symbols (sizes on '
            f'{_e(spec["datasets"][0]["label"])}): {symbols}. Functions: {functions}.</p>'
            f"<details><summary>How to type a formula</summary><ul>{how}</ul></details></div>"
            f'<div class="{dom.FORMULA_ANSWER}"><label for="{rid}-input">Your formula</label>'
            f'<input type="text" class="{dom.FORMULA_INPUT}" id="{rid}-input" autocomplete="off" '
            f'autocapitalize="off" autocorrect="off" spellcheck="false" '
            f'aria-describedby="{rid}-question {rid}-syntax">'
            f'<button type="button" class="{dom.FORMULA_CHECK}" id="{rid}-check">Check</button>'
            f"</div>"
            f'<p class="{dom.FORMULA_PREVIEW}" id="{rid}-preview"></p>'
            f'<p class="{dom.FORMULA_FEEDBACK}" id="{rid}-feedback" role="status" '
            f'aria-live="polite"></p>'
            f'<p class="{dom.FORMULA_NOJS}">{_e(_FORMULA_NOJS)}</p></div>{FORMULA_SCRIPT}')
