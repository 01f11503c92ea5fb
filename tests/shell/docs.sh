#!/usr/bin/env bash
# Our documentation pages build with Sphinx, warnings as errors: the
# pages of docs/ (not QEMU's whole manual, which the build leaves out),
# in a tree of their own with an index that links them.
# Env: QEMU_BUILD (optional: the QEMU tree whose manual lists the pages).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/shell/lib/tap.sh
. "$here/lib/tap.sh"

if ! command -v sphinx-build >/dev/null; then
    echo "# skip: sphinx-build is not installed (Debian: python3-sphinx)"
    tap_done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
(cd "$repo/docs" && find . \( -name '*.rst' -o -name '*.svg' \) -print0 |
     xargs -0 -I{} cp --parents {} "$tmp/src/")
{
    echo "qemu-composer pages"
    echo "==================="
    echo
    echo ".. toctree::"
    echo
    (cd "$tmp/src" && find . -name '*.rst' ! -name index.rst | sort |
         sed -e 's|^\./||' -e 's|\.rst$||' -e 's|^|   |')
} >"$tmp/src/index.rst"
cat >"$tmp/src/conf.py" <<'PY'
project = "qemu-composer"
root_doc = master_doc = "index"
highlight_language = "none"
PY
check "docs: our pages build with sphinx-build -W" \
    "sphinx-build -q -W --keep-going -b html '$tmp/src' '$tmp/out' >'$tmp/log' 2>&1 ||
     { sed 's/^/# /' '$tmp/log'; false; }"
check "docs: the format reference is a page of the system manual" \
    "[ -f '$tmp/out/system/composed-machine.html' ]"
# QEMU's own manual lists them (patches/0030-docs-composed-machine-pages)
if [ -n "${QEMU_BUILD:-}" ] && [ -f "$QEMU_BUILD/../docs/system/index.rst" ]; then
    check "docs: QEMU's manual lists our pages" \
        "grep -qx '   composed-machine' '$QEMU_BUILD/../docs/system/index.rst' &&
         grep -qx '   composer-tools' '$QEMU_BUILD/../docs/system/index.rst' &&
         grep -qx '   composer' '$QEMU_BUILD/../docs/devel/index-internals.rst'"
fi
tap_done
