#!/usr/bin/env bash
# Provide the base images of `[tool.slipway] base = "distroless"` and `base = "hardened"` without a
# container registry: pull when one answers, otherwise build local stand-ins labelled as such.
#   gcr.io/distroless/python3-debian13:nonroot
#                      Debian trixie's python3.13 runtime extracted (not installed: no maintainer
#                      script runs), ca-certificates, tzdata, netbase, base-files; no shell, no
#                      dpkg/apt binaries, no awk/perl/openssl; one /var/lib/dpkg/status.d/<pkg>
#                      record per package (as real distroless images have) so that scanners list
#                      them; the nonroot user 65532 in /etc/passwd; ENTRYPOINT python3.13 like the
#                      real image
#   debian:trixie-slim the distroless builder: Debian trixie minbase + this host's CA certs
#   dhi.io/python:3.13 the same runtime rootfs with python under /usr/local/bin (nonroot 65532)
#   dhi.io/python:3.13-dev
#                      trixie minbase with python3.13 and a shell, python under /usr/local/bin,
#                      this host's CA certs (runs as root, like the real -dev images)
# Idempotent: an image already present (with the current recipe) is left alone.
# SLIPWAY_TESTBED_REBUILD=1 rebuilds the stand-ins from scratch (ignores the rootfs cache).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The names the generated Dockerfile uses, from pins.sh (src/generate/dockerfile-bases.ts keeps the
# same; test/unit/pins.test.ts compares them).
: "${DISTROLESS_IMAGE:?is set in scripts/testbed/pins.sh}" "${DISTROLESS_BUILDER_IMAGE:?is set in scripts/testbed/pins.sh}" "${HARDENED_IMAGE:?is set in scripts/testbed/pins.sh}"
SUITE=trixie
# The runtime: the interpreter, its standard library and what Python opens at run time (CA
# bundle, zone data, /etc/services). Their dependencies come along; DROP is what a runtime without
# a shell leaves out of that closure (scripts for tools that are not there).
RUNTIME_PACKAGES=python3.13-minimal,libpython3.13-stdlib,ca-certificates,tzdata,netbase,base-files
DROP='debconf mawk openssl perl-base dpkg'
# Bump when a recipe changes; the host CA certs are part of the builder recipes.
RECIPE_REV=1

ca_digest() { host_cas | while read -r f; do cat "$f"; done; }
runtime_recipe() { echo "$RECIPE_REV $SUITE $RUNTIME_PACKAGES drop=$DROP" | recipe_digest; }
builder_recipe() { { echo "$RECIPE_REV $SUITE $1"; ca_digest; } | recipe_digest; }

# Runs on the host as an mmdebstrap extract hook ($1 = the rootfs): one status.d record per
# extracted package (its control fields, as distroless writes them), the DROP packages' files
# removed, the nonroot user added. The .debs are still in the rootfs' apt cache at this point.
runtime_hook() {
  local root=$1 deb pkg path
  mkdir -p "$root/var/lib/dpkg/status.d"
  for deb in "$root"/var/cache/apt/archives/*.deb; do
    pkg=$(dpkg-deb -f "$deb" Package)
    if [[ " $DROP " == *" $pkg "* ]]; then
      dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {sub(/^\.\//, "", $6); print $6}' | while read -r path; do
        rm -f "$root/$path"
      done
      rm -rf "$root/usr/share/doc/$pkg" "$root/usr/share/lintian/overrides/$pkg"
      continue
    fi
    dpkg-deb -f "$deb" >"$root/var/lib/dpkg/status.d/$pkg"
  done
  # The CA bundle: what update-ca-certificates would build (it is a shell script, not run here).
  mkdir -p "$root/etc/ssl/certs"
  find "$root/usr/share/ca-certificates" -name '*.crt' -type f | sort | xargs cat >"$root/etc/ssl/certs/ca-certificates.crt"
  ln -sf python3.13 "$root/usr/bin/python3"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' >"$root/etc/group"
  mkdir -p "$root/home/nonroot" "$root/root" "$root/tmp"
  chown 65532:65532 "$root/home/nonroot"
  chmod 0700 "$root/root"
  chmod 1777 "$root/tmp"
  ldconfig -r "$root" 2>/dev/null || true
  # Nothing that can start a shell or gain rights.
  find "$root" -xdev -perm /6000 -type f -exec chmod a-s {} +
  for path in bin/sh bin/bash bin/dash usr/bin/sh usr/bin/dpkg usr/bin/apt usr/bin/apt-get; do
    [ ! -e "$root/$path" ] || die "the runtime rootfs has /$path"
  done
}

# After mmdebstrap (which needs its apt state to the end): the extract variant leaves an empty
# status file and apt's configuration, neither of which belongs to a runtime without dpkg or apt.
runtime_cleanup() {
  local root=$1
  rm -rf "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/alternatives" \
    "$root/var/lib/dpkg/triggers" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/arch" \
    "$root/var/lib/dpkg/diversions" "$root/var/lib/dpkg/statoverride" \
    "$root/var/lib/apt" "$root/var/cache/apt" "$root/var/log/apt" "$root/etc/apt" \
    "$root/var/cache/debconf" "$root/var/cache/ldconfig"
}

runtime_tar() {
  local recipe tar mirror
  recipe=$(runtime_recipe)
  tar="$TESTBED_CACHE/rootfs/distroless-python3.13-$SUITE-$recipe.tar"
  if [ "${SLIPWAY_TESTBED_REBUILD:-}" = 1 ]; then rm -f "$tar"; fi
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
    need_root "mmdebstrap (root mode)"
    mirror=$(debian_mirror)
    mkdir -p "$(dirname "$tar")"
    rm -rf "$tar.d"
    log "mmdebstrap (extract) $SUITE python3.13 runtime -> $tar (about 10-30 s)"
    mmdebstrap --quiet --format=directory --variant=extract --include="$RUNTIME_PACKAGES" \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --extract-hook="bash '$TESTBED_DIR/distroless.sh' --runtime-hook \"\$1\"" \
      "$SUITE" "$tar.d" "$mirror" >&2 \
      || { rm -rf "$tar.d"; die "mmdebstrap failed (output above). Fix: check that Debian's archive is reachable; rerun."; }
    runtime_cleanup "$tar.d"
    tar --numeric-owner -cf "$tar.tmp" -C "$tar.d" . && rm -rf "$tar.d" && mv "$tar.tmp" "$tar"
    find "$(dirname "$tar")" -maxdepth 1 -name "distroless-python3.13-$SUITE-*.tar" ! -name "$(basename "$tar")" -delete
  fi
  printf '%s\n' "$tar"
}

# A minbase rootfs with a shell (a builder), optionally with python3.13 under /usr/local/bin too.
builder_tar() {
  local name=$1 include=$2 recipe tar mirror
  recipe=$(builder_recipe "$include")
  tar="$TESTBED_CACHE/rootfs/$name-$SUITE-$recipe.tar"
  if [ "${SLIPWAY_TESTBED_REBUILD:-}" = 1 ]; then rm -f "$tar"; fi
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
    need_root "mmdebstrap (root mode)"
    mirror=$(debian_mirror)
    mkdir -p "$(dirname "$tar")"
    log "mmdebstrap $SUITE $name rootfs -> $tar (about 15-40 s)"
    # Host CAs go in so that uv inside 'docker build' trusts this machine's TLS-intercepting
    # egress proxy (test bed only; the generated Dockerfile knows nothing of it).
    # shellcheck disable=SC2016 # \$1 is expanded by mmdebstrap's hook shell
    mmdebstrap --quiet --format=tar --variant=minbase --include="$include" \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --customize-hook="mkdir -p \"\$1$HOST_CA_DIR\"; for f in $HOST_CA_DIR/*.crt; do [ -f \"\$f\" ] && cp \"\$f\" \"\$1$HOST_CA_DIR/\"; done; true" \
      --customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null 2>&1' \
      --customize-hook='if [ -x "$1/usr/bin/python3.13" ]; then rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED; for b in python python3 python3.13; do ln -sf /usr/bin/python3.13 "$1/usr/local/bin/$b"; done; fi' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/apt/* "$1"/var/log/dpkg.log' \
      "$SUITE" "$tar.tmp" "$mirror" >&2 \
      || { rm -f "$tar.tmp"; die "mmdebstrap failed (output above). Fix: check that Debian's archive is reachable; rerun."; }
    mv "$tar.tmp" "$tar"
    find "$(dirname "$tar")" -maxdepth 1 -name "$name-$SUITE-*.tar" ! -name "$(basename "$tar")" -delete
  fi
  printf '%s\n' "$tar"
}

# import IMAGE TAR RECIPE SOURCE [--change ...]: docker import with the stand-in labels.
import_image() {
  local image=$1 tar=$2 recipe=$3 source=$4
  shift 4
  log "docker import $tar as $image"
  docker import "$@" \
    --change "LABEL $STANDIN_LABEL=true" \
    --change "LABEL $STANDIN_LABEL.source=\"$source\"" \
    --change "LABEL $STANDIN_LABEL.recipe=$recipe" \
    "$tar" "$image" >/dev/null
}

# The runtime with python also under /usr/local/bin, where the hardened image's venvs point.
hardened_tar() {
  local runtime=$1 out dir
  out="${runtime%.tar}-usrlocal.tar"
  if [ ! -s "$out" ] || [ "$runtime" -nt "$out" ]; then
    dir=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$dir'" RETURN
    tar -xf "$runtime" -C "$dir"
    mkdir -p "$dir/usr/local/bin"
    for b in python python3 python3.13; do ln -sf /usr/bin/python3.13 "$dir/usr/local/bin/$b"; done
    tar -cf "$out.tmp" -C "$dir" . && mv "$out.tmp" "$out"
  fi
  printf '%s\n' "$out"
}

PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
ensure() {
  local image=$1 recipe=$2 builder=$3 old
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  if image_current "$image" "$recipe"; then
    log "$image present"
  elif ! try_pull "$image"; then
    "$builder"
    drop_old "$old" "$image"
  fi
}

build_distroless() {
  local tar
  tar=$(runtime_tar)
  import_image "$DISTROLESS_IMAGE" "$tar" "$(runtime_recipe)" \
    "debian $SUITE python3.13 runtime via mmdebstrap --variant=extract" \
    --change "$PATH_ENV" --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV LANG=C.UTF-8' --change 'USER 65532' --change 'WORKDIR /home/nonroot' \
    --change 'ENTRYPOINT ["/usr/bin/python3.13"]'
}
BUILDER_PACKAGES=ca-certificates
build_builder() {
  local tar
  tar=$(builder_tar debian-slim "$BUILDER_PACKAGES")
  import_image "$DISTROLESS_BUILDER_IMAGE" "$tar" \
    "$(builder_recipe "$BUILDER_PACKAGES")" "debian $SUITE minbase via mmdebstrap" \
    --change "$PATH_ENV" --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["bash"]'
}
build_hardened() {
  local runtime tar
  runtime=$(runtime_tar)
  tar=$(hardened_tar "$runtime")
  import_image "$HARDENED_IMAGE" "$tar" "$(runtime_recipe)" \
    "debian $SUITE python3.13 runtime via mmdebstrap --variant=extract, python in /usr/local/bin" \
    --change "$PATH_ENV" --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV LANG=C.UTF-8' --change 'USER 65532' --change 'WORKDIR /' \
    --change 'ENTRYPOINT ["python3"]'
}
DEV_PACKAGES=python3.13,ca-certificates,tzdata,netbase
build_hardened_dev() {
  local tar
  tar=$(builder_tar python-dev "$DEV_PACKAGES")
  import_image "$HARDENED_IMAGE-dev" "$tar" \
    "$(builder_recipe "$DEV_PACKAGES")" "debian $SUITE minbase + python3.13 via mmdebstrap" \
    --change "$PATH_ENV" --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]'
}

# mmdebstrap calls this script back for the runtime rootfs (a hook runs in its own shell).
if [ "${1:-}" = --runtime-hook ]; then
  runtime_hook "$2"
  exit 0
fi
docker_ok || die "docker does not answer. Fix: run scripts/testbed/engine.sh first."
ensure "$DISTROLESS_IMAGE" "$(runtime_recipe)" build_distroless
ensure "$DISTROLESS_BUILDER_IMAGE" "$(builder_recipe "$BUILDER_PACKAGES")" build_builder
ensure "$HARDENED_IMAGE" "$(runtime_recipe)" build_hardened
ensure "$HARDENED_IMAGE-dev" "$(builder_recipe "$DEV_PACKAGES")" build_hardened_dev
