"""bpcore.notebook.glue: MyST-NB's glue in the book's build, a plain display elsewhere."""
import sys
import types

import pytest

from bpcore import notebook


def test_glue_hands_the_value_to_myst_nb_when_it_is_there(monkeypatch):
    calls = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: calls.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    assert notebook.glue("ratio", 2.5, display=False) is None
    assert calls == [("ratio", 2.5, False)]


def test_without_myst_nb_glue_displays_or_stays_quiet(monkeypatch):
    shown = []
    monkeypatch.setitem(sys.modules, "myst_nb", None)         # import raises ImportError
    monkeypatch.setattr("IPython.display.display", lambda value: shown.append(value))
    notebook.glue("quiet", 1, display=False)
    notebook.glue("loud", 2)
    assert shown == [2]


def test_glue_needs_a_name():
    with pytest.raises(TypeError, match=r"glue needs a name \(a non-empty str\).*got 3"):
        notebook.glue(3, 4)
