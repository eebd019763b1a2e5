#!/usr/bin/env bash
# Re-fetch the vendored front-end assets from the npm registry.
#
# The book is built and viewed offline, so everything the static pages load
# (widget manager, RequireJS, MathJax) is committed under vendor/. This script
# is the only way those files should change: bump a version below, run
#
#     bash vendor/refresh.sh
#
# then rebuild the book and run the browser test (tests/browser). Needs node/npm
# (only for refreshing; building the book does not need Node).
set -euo pipefail

# --- pinned versions --------------------------------------------------------
# html-manager 1.0.15 is the release that goes with ipywidgets 8.1.9 (same
# @jupyter-widgets/controls ^5.0.13 / base ^6.0.12 as the jupyterlab_widgets
# 3.0.17 lab extension shipped with ipywidgets 8.1.9).
HTML_MANAGER_VERSION=1.0.15
REQUIREJS_VERSION=2.3.8
MATHJAX_VERSION=3.2.2
# Font Awesome Free bundled inside embed-amd.js (only its LICENSE is copied).
FONTAWESOME_VERSION=5.15.4
# axe-core: accessibility rules, injected into the pages by the browser test
# (tests/browser/test_accessibility.py) only; no book page loads it.
AXE_CORE_VERSION=4.14.1
# mathjs: the expression parser of the formula questions (bpcore.formula); loaded only
# on pages that have one (_ext/bpbook_html.py).
MATHJS_VERSION=15.2.0
# ----------------------------------------------------------------------------

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() { # fetch NAME@VERSION DIR: npm pack + unpack into $work/DIR
    local spec="$1" dir="$2" tgz
    tgz="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
    mkdir -p "$work/$dir"
    tar -xzf "$work/$tgz" -C "$work/$dir"
}

fetch "@jupyter-widgets/html-manager@${HTML_MANAGER_VERSION}" html-manager
fetch "requirejs@${REQUIREJS_VERSION}" requirejs
fetch "mathjax@${MATHJAX_VERSION}" mathjax
fetch "@fortawesome/fontawesome-free@${FONTAWESOME_VERSION}" fontawesome
fetch "axe-core@${AXE_CORE_VERSION}" axe-core
fetch "mathjs@${MATHJS_VERSION}" mathjs

# --- @jupyter-widgets/html-manager -------------------------------------------
# embed-amd.js (RequireJS flavour, what myst-nb loads) plus the Font Awesome
# web fonts it references. Only woff2/woff are kept: every browser that can run
# the widgets picks one of them before the eot/ttf/svg fallbacks.
dst="$here/jupyter-widgets/html-manager"
rm -rf "$dst"
mkdir -p "$dst"
src="$work/html-manager/package/dist"
cp "$src/embed-amd.js" "$dst/"
fonts=$(grep -oE '[0-9a-f]{20}\.woff2?' "$src/embed-amd.js" | sort -u)
for f in $fonts; do cp "$src/$f" "$dst/"; done
cp "$src/embed.js.LICENSE.txt" "$dst/THIRD-PARTY-NOTICES.txt"
cp "$work/fontawesome/package/LICENSE.txt" "$dst/LICENSE-fontawesome.txt"
# The npm package ships no LICENSE file; ipywidgets (same repository) is BSD-3.
cat > "$dst/LICENSE" <<'EOF'
BSD 3-Clause License

Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
EOF

# --- requirejs -----------------------------------------------------------------
dst="$here/requirejs"
rm -rf "$dst"
mkdir -p "$dst"
cp "$work/requirejs/package/require.js" "$dst/"
# The npm package ships no LICENSE file; require.js's header says MIT.
cat > "$dst/LICENSE" <<'EOF'
RequireJS 2.3.8 -- https://github.com/requirejs/requirejs
Copyright jQuery Foundation and other contributors, https://jquery.org/

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF

# --- MathJax 3 -----------------------------------------------------------------
# tex-chtml.js (TeX input, CommonHTML output, menu, assistive MathML) + the
# CHTML woff-v2 fonts + the TeX extensions that `autoload` may fetch
# (\boldsymbol, \cancel, \color, ...). Not copied: other combined
# components, SVG output, speech-rule-engine (sre/), a11y explorer.
dst="$here/mathjax"
rm -rf "$dst"
mkdir -p "$dst/output/chtml/fonts" "$dst/input/tex"
src="$work/mathjax/package/es5"
cp "$src/tex-chtml.js" "$dst/"
cp -r "$src/output/chtml/fonts/woff-v2" "$dst/output/chtml/fonts/"
cp -r "$src/input/tex/extensions" "$dst/input/tex/"
# Not needed by autoload in this book: the tex-full bundle, chemistry, proof trees.
rm -f "$dst/input/tex/extensions/"{all-packages,mhchem,bussproofs}.js
cp "$work/mathjax/package/LICENSE" "$dst/LICENSE"

# --- axe-core ------------------------------------------------------------------
# The minified engine and its licences (MPL-2.0; bundled MIT code listed in
# LICENSE-3RD-PARTY.txt). Used by tests/browser/test_accessibility.py only.
dst="$here/axe-core"
rm -rf "$dst"
mkdir -p "$dst"
cp "$work/axe-core/package/axe.min.js" "$work/axe-core/package/LICENSE" \
   "$work/axe-core/package/LICENSE-3RD-PARTY.txt" "$dst/"

# --- mathjs -------------------------------------------------------------------
# The prebuilt browser bundle (UMD, defines window.math) and its licences: Apache-2.0
# (LICENSE, NOTICE) and the bundled decimal.js's MIT notice (THIRD-PARTY-NOTICES.txt).
# The closing `//# sourceMappingURL=math.js.map` comment is dropped, since the 3 MB map
# is not kept and a browser with developer tools open would request it.
dst="$here/mathjs"
rm -rf "$dst"
mkdir -p "$dst"
src="$work/mathjs/package"
sed '/^\/\/# sourceMappingURL=/d' "$src/lib/browser/math.js" > "$dst/math.js"
cp "$src/LICENSE" "$src/NOTICE" "$dst/"
cp "$src/lib/browser/math.js.LICENSE.txt" "$dst/THIRD-PARTY-NOTICES.txt"

echo "vendor/ refreshed:"
du -sh "$here/jupyter-widgets" "$here/requirejs" "$here/mathjax" "$here/axe-core" \
    "$here/mathjs"
