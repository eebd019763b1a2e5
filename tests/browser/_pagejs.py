"""JavaScript snippets and selectors shared by the browser tests."""

WIDGET_TIMEOUT_MS = 30_000

VIEW_SELECTOR = 'script[type="application/vnd.jupyter.widget-view+json"]'

# True once every embedded widget view has been rendered in place of its script tag.
ALL_WIDGETS_RENDERED = """
() => Array.from(document.querySelectorAll('%s')).every((tag) => {
  const area = tag.previousElementSibling;
  return area && area.classList.contains('widget-subarea')
      && area.querySelector('.jupyter-widgets') !== null;
})
""" % VIEW_SELECTOR

# Resolves when MathJax has finished what it has been asked to typeset (the
# MathJax.Hub shim queue in bp-mathjax-bridge.js), or after 15 s.
MATHJAX_IDLE = """
async () => {
  const idle = (async () => {
    const M = window.MathJax;
    if (!M) return;
    if (M.startup && M.startup.promise) await M.startup.promise;
    if (M.Hub && M.Hub.Queue) await M.Hub.Queue();
  })();
  await Promise.race([idle, new Promise((r) => setTimeout(r, 15000))]);
  return true;
}
"""
