#!/usr/bin/env bash
# Refresh the vendored front-end assets of the web shell from the npm registry.
#
# Why a script and not a JS build: the UI has no build step; these few files are
# committed under src/fiscus/web/static/vendor/ with their licences, and this script
# is the one reproducible way to update them. Bump a version below, run it, review
# the diff, commit.
#
# htmx stays on 2.x on purpose: 4.x changes attribute inheritance (hx-headers on
# <body> carries the CSRF token to every HTMX request) and event names.
set -euo pipefail

HTMX_VERSION="2.0.11"
PICO_VERSION="2.1.1"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/fiscus/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch <package@version> <name-of-dest-subdir> <file-in-package>...
fetch() {
    local spec="$1" dir="$2"
    shift 2
    local tarball
    tarball="$(cd "$WORK" && npm pack --silent "$spec" | tail -n 1)"
    mkdir -p "$WORK/$dir"
    tar -xzf "$WORK/$tarball" -C "$WORK/$dir"
    rm -rf "${DEST:?}/$dir"
    mkdir -p "$DEST/$dir"
    for file in "$@"; do
        cp "$WORK/$dir/package/$file" "$DEST/$dir/$(basename "$file")"
    done
    # The licence travels with the code; packages name it LICENSE or LICENSE.md.
    local licence
    for licence in LICENSE LICENSE.md LICENSE.txt; do
        if [[ -f "$WORK/$dir/package/$licence" ]]; then
            cp "$WORK/$dir/package/$licence" "$DEST/$dir/$licence"
            break
        fi
    done
    [[ -n "$(ls "$DEST/$dir" | grep -i '^licen[cs]e')" ]] || { echo "no licence in $spec" >&2; exit 1; }
    echo "$spec" > "$DEST/$dir/VERSION"
    echo "vendored $spec -> ${DEST#"$ROOT"/}/$dir"
}

fetch "htmx.org@$HTMX_VERSION" htmx dist/htmx.min.js
fetch "@picocss/pico@$PICO_VERSION" pico css/pico.min.css
