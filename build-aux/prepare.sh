#!/usr/bin/env bash
# Put our work into the unpacked QEMU tree TREE:
#  - patches/ (quilt series) applied, re-applied whenever patches/ changes;
#  - our files linked in at the same relative paths (hw/, include/, qapi/,
#    tests/, docs/, contrib/); links whose file left the repo are removed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

tree=${1:?usage: prepare.sh TREE}
repo=$(cd "$here/.." && pwd)
tree=$(cd "$tree" && pwd)

# --- patches (quilt, see README "Patches to upstream files") ---
ln -sfn "$repo/patches" "$tree/patches"
quilt() { (cd "$tree" && command quilt --quiltrc "$repo/build-aux/quiltrc" "$@"); }
series=$(grep -vE '^\s*(#|$)' "$repo/patches/series" | awk '{ print $1 }')
sum=$( (cd "$repo/patches" && cat series $series) | sha256sum | cut -d' ' -f1)
stamp="$tree/.qc-patches-applied"
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    if quilt applied >/dev/null 2>&1; then
        # patches/ is the source of truth: restore the pristine files
        # from quilt's backups even where the old patches no longer match
        # (a patch file edited or replaced, e.g. by git pull)
        info "patches/ changed: unapplying the old series"
        quilt pop -a -f -q >&2 || die "could not unapply the old patches"
    elif [ -s "$tree/.pc/applied-patches" ]; then
        # The series lost a patch or has one inserted before applied ones
        # (a merge): quilt no longer matches it to what is applied.
        # Unapply what .pc says is applied, in that order, from quilt's
        # backups, which need no patch file.
        info "patches/ reordered: unapplying the old series"
        QUILT_SERIES="$tree/.pc/applied-patches" quilt pop -a -f -q >&2 ||
            die "could not unapply the old patches"
    fi
    rm -f "$stamp"
    if [ -n "$series" ]; then
        info "applying patches/ ($(echo "$series" | wc -l) patches)"
        quilt push -a -q >&2 || die "a patch in patches/ does not apply"
    fi
    echo "$sum" >"$stamp"
fi

# --- overlay ---
n=0
while IFS= read -r -d '' f; do
    f=${f#./}
    t="$tree/$f"
    if [ -L "$t" ]; then
        [ "$(readlink "$t")" = "$repo/$f" ] && continue
        rm -f "$t"
    elif [ -e "$t" ]; then
        die "$f exists in QEMU's tree: change it with a patch in patches/, do not replace it"
    fi
    mkdir -p "$(dirname "$t")"
    ln -s "$repo/$f" "$t"
    n=$((n + 1))
done < <(cd "$repo" && find hw include qapi tests docs contrib -type f \
             ! -name '*~' ! -name '.*' -print0 2>/dev/null)
[ $n = 0 ] || info "linked $n new files into the tree"
# Our files that are gone from the repo: drop their links.
find "$tree/hw" "$tree/include" "$tree/qapi" "$tree/tests" "$tree/docs" \
     "$tree/contrib" \
     -type l -lname "$repo/*" ! -exec test -e {} \; -print -delete |
    sed 's/^/  [qc]     unlinked /' >&2
