"""Figures and tables the chapters show but do not teach.

A chapter's code cells hold the code that teaches; the code that draws a figure or lays out
a table lives here, one module per subject, tested in ``tests/test_figures_<module>.py``.
Import a module explicitly (``from bpcore.figures import saturation``): they load
matplotlib, so ``import bpcore`` does not import them.
"""
