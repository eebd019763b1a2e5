"""Static quizzes: checked in the reader's browser, with no kernel and no network.

A quiz is an object whose ``_repr_html_`` emits self-contained HTML and a small inline
script (vanilla JavaScript, no external request of any kind).  Put one in a code cell; the
book's build (myst-nb) writes the HTML into the page, where the script runs on load.

* :func:`numeric` -- type a number; accepted within ``tol``; each expected wrong value can
  carry its own hint.
* :func:`multiple_choice` -- radio buttons; each wrong option can carry its own hint.
* :func:`from_exercise` -- a numeric quiz whose answer is taken from
  :func:`bpcore.exercises.reference` and whose wrong values and hints come from that
  exercise's catalogued mistakes, so the numbers are written down only once.

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
one page.  Math in question text: write plain Unicode (δ², σ′(z), ⊙, ∂C/∂W); the quiz does
not typeset ``$...$``.  Text between backticks is shown as code.

>>> q = numeric("δ²₁ of the running example?", answer=0.1425, tol=5e-4,
...             wrong={0.7152: "You left out σ′(z²)."})
>>> html = q._repr_html_()
>>> 'class="bp-quiz' in html and 'aria-live="polite"' in html and "http" not in html
True
"""
from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import numbers
import re

import numpy as np

__all__ = ["Quiz", "numeric", "multiple_choice", "from_exercise"]

_ids = itertools.count(1)

_NOJS = ("Checking answers needs JavaScript. In Jupyter, trust the notebook "
         "(File → Trust Notebook) and run the cell again.")

_STYLE = (
    "<style>"
    ".bp-quiz{border:1px solid rgba(127,127,127,.5);border-radius:6px;padding:.75em 1em;"
    "margin:1em 0;color:inherit}"
    ".bp-quiz fieldset{border:0;margin:0;padding:0;min-width:0}"
    ".bp-quiz .bp-quiz-question{font-weight:600;font-size:inherit;line-height:inherit;float:none;width:auto;margin:0 0 .5em;padding:0}"
    ".bp-quiz .bp-quiz-option{margin:.3em 0}"
    ".bp-quiz .bp-quiz-option label{margin-left:.4em}"
    ".bp-quiz .bp-quiz-input{font:inherit;width:11em;margin:0 .5em;padding:.25em .5em;"
    "color:inherit;background:transparent;border:1px solid rgba(127,127,127,.8);"
    "border-radius:4px}"
    ".bp-quiz .bp-quiz-check{font:inherit;margin-top:.4em;padding:.25em 1em;color:inherit;"
    "background:rgba(127,127,127,.15);border:1px solid rgba(127,127,127,.8);"
    "border-radius:4px;cursor:pointer}"
    ".bp-quiz input:focus-visible,.bp-quiz button:focus-visible{outline:2px solid #4a90d9;"
    "outline-offset:2px}"
    ".bp-quiz .bp-quiz-feedback{margin:.6em 0 0;padding:.4em .7em;"
    "border-left:5px solid transparent}"
    ".bp-quiz .bp-quiz-feedback:empty{margin:0;padding:0;border:0}"
    ".bp-quiz .bp-quiz-feedback.bp-quiz-ok{border-left-color:#1a7f37;"
    "background:rgba(26,127,55,.14)}"
    ".bp-quiz .bp-quiz-feedback.bp-quiz-no{border-left-color:#cf222e;"
    "background:rgba(207,34,46,.12)}"
    ".bp-quiz .bp-quiz-nojs{font-size:.9em;opacity:.8;margin:.4em 0 0}"
    ".bp-quiz code{font-size:.95em}"
    "</style>")

# One script for every quiz; it installs itself once per page (window.bpQuiz) and then
# handles every quiz on the page, including ones inserted later, through delegation.
_SCRIPT = r"""<script>
(function () {
  "use strict";
  if (window.bpQuiz) { window.bpQuiz.init(); return; }
  function parseNumber(text) {
    var s = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (/^[+-]?\d+,\d+$/.test(s)) { s = s.replace(",", "."); }
    var num = "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?";
    var m = new RegExp("^(" + num + ")(?:/(" + num + "))?$").exec(s);
    if (!m) { return null; }
    var v = parseFloat(m[1]);
    if (m[2] !== undefined) {
      var d = parseFloat(m[2]);
      if (d === 0) { return null; }
      v = v / d;
    }
    return isFinite(v) ? v : null;
  }
  function say(root, ok, text) {
    var fb = root.querySelector(".bp-quiz-feedback");
    if (!fb) { return; }
    fb.classList.remove("bp-quiz-ok", "bp-quiz-no");
    if (ok === null) { fb.textContent = text; return; }
    fb.classList.add(ok ? "bp-quiz-ok" : "bp-quiz-no");
    fb.textContent = (ok ? "\u2713 Correct. " : "\u2717 Not yet. ") + text;
  }
  function checkNumeric(root, spec) {
    var input = root.querySelector(".bp-quiz-input");
    var v = parseNumber(input ? input.value : "");
    if (v === null) {
      say(root, null, "Type a number first, for example 0.25, -1.5e-3 or 3/4.");
      return;
    }
    if (Math.abs(v - spec.answer) <= spec.tol) { say(root, true, spec.explanation || ""); return; }
    for (var i = 0; i < spec.wrong.length; i++) {
      if (Math.abs(v - spec.wrong[i][0]) <= spec.tol) {
        say(root, false, spec.wrong[i][1]);
        return;
      }
    }
    say(root, false, spec.hint);
  }
  function checkChoice(root, spec) {
    var picked = root.querySelector("input[type=radio]:checked");
    if (!picked) { say(root, null, "Choose one of the options first."); return; }
    var k = String(picked.value);
    if (k === String(spec.correct)) { say(root, true, spec.explanation || ""); return; }
    say(root, false, spec.hints[k] || spec.hint);
  }
  function check(root) {
    if (!root) { return; }
    var spec;
    try { spec = JSON.parse(root.getAttribute("data-bp-quiz")); } catch (err) { return; }
    if (spec.kind === "numeric") { checkNumeric(root, spec); } else { checkChoice(root, spec); }
  }
  function init() {
    var roots = document.querySelectorAll(".bp-quiz:not([data-bp-ready])");
    for (var i = 0; i < roots.length; i++) {
      roots[i].setAttribute("data-bp-ready", "");
      var note = roots[i].querySelector(".bp-quiz-nojs");
      if (note) { note.hidden = true; }
    }
  }
  function quizOf(target) {
    return target && target.closest ? target.closest(".bp-quiz") : null;
  }
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest(".bp-quiz-check")) { init(); check(quizOf(t)); }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || !t || !t.matches) { return; }
    if (t.matches(".bp-quiz .bp-quiz-input, .bp-quiz input[type=radio]")) {
      e.preventDefault();
      e.stopPropagation();
      init();
      check(quizOf(t));
    }
  });
  window.bpQuiz = { check: check, init: init, parseNumber: parseNumber };
  init();
})();
</script>"""


def _inline(text):
    """Plain text to HTML: escaped, with `backticks` shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


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
    """A rendered-on-demand quiz; display it in a cell.  See :func:`numeric`."""

    def __init__(self, kind, question, spec, body):
        self.kind = kind
        self.question = question
        self.spec = spec
        self._body = body  # function (uid) -> inner HTML

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
        data = html.escape(json.dumps(spec, ensure_ascii=False), quote=True)
        return (f'<div class="bp-quiz bp-quiz-{self.kind}" id="{uid}" data-bp-quiz="{data}">'
                f"{_STYLE}{self._body(uid)}"
                f'<p class="bp-quiz-feedback" id="{uid}-feedback" role="status" '
                f'aria-live="polite"></p>'
                f'<p class="bp-quiz-nojs">{html.escape(_NOJS)}</p></div>{_SCRIPT}')


def numeric(question, answer, tol, wrong=None, hint=None, explanation=None,
            label="Your answer"):
    """A quiz asking for a number, accepted when within ``tol`` of ``answer``.

    ``wrong`` maps expected wrong values to their hints ({0.7152: "You left out σ′"}): a
    reply within ``tol`` of one of them gets that hint.  ``hint`` is shown for any other
    wrong reply; ``explanation`` is shown with a correct one.  The reader may type
    decimals, scientific notation (1.5e-3), a fraction (3/4), a Unicode minus or a
    decimal comma.

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

    def body(uid):
        return (f'<p class="bp-quiz-question" id="{uid}-question">{_inline(question)}</p>'
                f'<div class="bp-quiz-answer"><label for="{uid}-input">{html.escape(label)}'
                f'</label><input type="text" class="bp-quiz-input" id="{uid}-input" '
                f'inputmode="decimal" autocomplete="off" spellcheck="false" '
                f'aria-describedby="{uid}-question">'
                f'<button type="button" class="bp-quiz-check" id="{uid}-check">Check</button>'
                f"</div>")

    return Quiz("numeric", question, spec, body)


def multiple_choice(question, options, correct, hints=None, explanation=None):
    """A quiz with one correct option among ``options``.

    ``correct`` is the index of the right option or its text.  ``hints`` maps wrong options
    (by index or by text) to the hint shown when the reader picks them.

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

    def body(uid):
        items = "".join(
            f'<div class="bp-quiz-option"><input type="radio" name="{uid}" id="{uid}-{i}" '
            f'value="{i}"><label for="{uid}-{i}">{_inline(option)}</label></div>'
            for i, option in enumerate(options))
        return (f'<fieldset><legend class="bp-quiz-question" id="{uid}-question">'
                f"{_inline(question)}</legend>{items}</fieldset>"
                f'<button type="button" class="bp-quiz-check" id="{uid}-check">Check</button>')

    return Quiz("choice", question, spec, body)


def from_exercise(exercise_id, question, index=None, tol=None, explanation=None):
    """A numeric quiz on one entry of a numeric exercise's reference answer.

    The answer is ``reference(exercise_id)`` (at ``index`` for an array); each catalogued
    mistake whose wrong answer has the reference's shape contributes its value at the same
    index, with its hint.  ``tol`` defaults to 0.5% of the answer's size, so a reply to
    three significant figures is accepted.  Mistakes that land within ``tol`` of the answer
    or of an earlier mistake are left out.

    >>> q = from_exercise("ch4-bp1-delta", "What is δ²₁ (the first entry)?", index=(0, 0))
    >>> round(q.spec["answer"], 4), len(q.spec["wrong"])
    (0.1425, 3)
    """
    from . import exercises

    ref = exercises.reference(exercise_id)
    if isinstance(ref, float):
        value, ref_shape = ref, ()
    elif isinstance(ref, np.ndarray):
        if index is None:
            raise ValueError(f"the answer of {exercise_id!r} is an array of shape {ref.shape}; "
                             "pass index=(i, j) to ask for one entry")
        try:
            value = float(ref[index])
        except (IndexError, TypeError, ValueError) as exc:
            raise ValueError(f"index {index!r} does not pick one entry of the answer of "
                             f"shape {ref.shape}: {exc}") from None
        ref_shape = ref.shape
    else:
        raise TypeError(f"exercise {exercise_id!r} does not have a numeric answer; write the "
                        "quiz with numeric() or multiple_choice()")
    tol = max(5e-3 * abs(value), 1e-12) if tol is None else _number(tol, "tol")
    wrong = {}
    for _, (hint, arr) in exercises.wrong_answers(exercise_id).items():
        if arr.shape != ref_shape and not (ref_shape == () and arr.size == 1):
            continue
        w = float(arr.reshape(ref_shape)[index] if ref_shape else arr.reshape(()))
        if abs(w - value) > tol and all(abs(w - other) > tol for other in wrong):
            wrong[w] = hint
    return numeric(question, value, tol, wrong=wrong, explanation=explanation)
