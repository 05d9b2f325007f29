#!/usr/bin/env bash
# Provide the FULL python:3.13 image (not -slim) that bench/ compares against, without a registry:
# pull when one answers, otherwise build a local stand-in labelled as such, the same way
# images.sh builds python:3.13-slim. The official full image is Debian plus buildpack-deps (compilers,
# version control, curl/wget and the -dev headers of common C libraries) plus Python with pip.
#   python:3.13   Debian trixie python3.13 + python3.13-dev + pip + build tools (mmdebstrap),
#                 this host's CA certs, pip/python/python3 in /usr/local/bin, no EXTERNALLY-MANAGED
# Only bench/ runs this (it is large: about 1 GB); up.sh does not.
# Idempotent: an image already present (with the current recipe) is left alone.
# SLIPWAY_TESTBED_REBUILD=1 rebuilds the stand-in from scratch (ignores the rootfs cache).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

docker_ok || die "docker does not answer. Fix: run scripts/testbed/up.sh first."

FULL_IMAGE=${PYTHON_IMAGE%-slim}
SUITE=trixie
# What buildpack-deps:trixie (the official image's parent) carries, minus the X11/ImageMagick
# stack: enough that `pip install` can compile C extensions, as on the real image.
PACKAGES=$(
  tr -s ' \n' ',' <<'LIST' | sed 's/^,//; s/,$//'
python3.13 python3.13-dev python3.13-venv python3-pip python3 python-is-python3
ca-certificates passwd tzdata netbase procps
build-essential gcc g++ make libc6-dev dpkg-dev pkg-config autoconf automake libtool patch file
git openssh-client curl wget gnupg dirmngr unzip xz-utils bzip2
libssl-dev libffi-dev zlib1g-dev libbz2-dev libsqlite3-dev libreadline-dev liblzma-dev
libncurses-dev libgdbm-dev libdb-dev uuid-dev libxml2-dev libxslt1-dev libyaml-dev
libjpeg-dev libpng-dev libwebp-dev libpq-dev default-libmysqlclient-dev libcurl4-openssl-dev
libkrb5-dev libgmp-dev libevent-dev libglib2.0-dev
LIST
)
SOURCE="debian $SUITE python3.13 + build tools via mmdebstrap"
# Bump when the recipe changes; the host CA certs are part of it.
RECIPE_REV=1


recipe() {
  { echo "$RECIPE_REV $SUITE $PACKAGES"; host_cas | while read -r f; do cat "$f"; done; } | recipe_digest
}

build_full() {
  local want=$1 tar mirror
  tar="$TESTBED_CACHE/rootfs/python-full-$SUITE-$want.tar"
  if [ "${SLIPWAY_TESTBED_REBUILD:-}" = 1 ]; then rm -f "$tar"; fi
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
    need_root "mmdebstrap (root mode)"
    mirror=$(debian_mirror)
    mkdir -p "$(dirname "$tar")"
    log "mmdebstrap $SUITE rootfs with build tools -> $tar (about 1-4 min, once)"
    # No dpkg path-excludes: the official full image keeps docs and man pages like plain Debian.
    # Host CAs go in for the same reason as in images.sh (the test bed's TLS-intercepting proxy).
    # shellcheck disable=SC2016 # \$1 is expanded by mmdebstrap's hook shell
    mmdebstrap --quiet --format=tar --variant=minbase --include="$PACKAGES" \
      --customize-hook="mkdir -p \"\$1$HOST_CA_DIR\"; for f in $HOST_CA_DIR/*.crt; do [ -f \"\$f\" ] && cp \"\$f\" \"\$1$HOST_CA_DIR/\"; done; true" \
      --customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null 2>"$1/uca.err"; rc=$?; grep -v "^rehash: warning: skipping ca-certificates.crt" "$1/uca.err" >&2; rm -f "$1/uca.err"; exit $rc' \
      --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED; for b in python python3 python3.13 pip pip3; do t=$b; [ "$b" = pip ] && t=pip3; ln -sf "/usr/bin/$t" "$1/usr/local/bin/$b"; done' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/apt/* "$1"/var/log/dpkg.log' \
      "$SUITE" "$tar.tmp" "$mirror" >&2 \
      || { rm -f "$tar.tmp"; die "mmdebstrap failed (output above). Fix: check that Debian's archive is reachable; rerun."; }
    mv "$tar.tmp" "$tar"
    find "$(dirname "$tar")" -maxdepth 1 -name "python-full-$SUITE-*.tar" ! -name "$(basename "$tar")" -delete
  fi
  log "docker import $tar as $FULL_IMAGE"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["python3"]' \
    --change "LABEL $STANDIN_LABEL=true" \
    --change "LABEL $STANDIN_LABEL.source=\"$SOURCE\"" \
    --change "LABEL $STANDIN_LABEL.recipe=$want" \
    "$tar" "$FULL_IMAGE" >/dev/null
}

want=$(recipe)
old=$(docker image inspect -f '{{.Id}}' "$FULL_IMAGE" 2>/dev/null || true)
if image_current "$FULL_IMAGE" "$want"; then
  log "$FULL_IMAGE present"
  exit 0
fi
try_pull "$FULL_IMAGE" && exit 0
build_full "$want"
drop_old "$old" "$FULL_IMAGE"
log "$FULL_IMAGE  $(($(docker image inspect -f '{{.Size}}' "$FULL_IMAGE") / 1000000)) MB (stand-in: $SOURCE)"
