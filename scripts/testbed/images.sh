#!/usr/bin/env bash
# Provide the base images the generated Dockerfile names, without a container registry:
# pull when a registry answers, otherwise build local stand-ins labelled as such.
#   python:X.Y-slim                Debian's python3.X (mmdebstrap) + this host's CA certs, for each
#                                  version@suite of PYTHON_STANDINS (3.11 bookworm, 3.13 trixie, 3.14 sid);
#                                  for version@suite+pyenv (3.10, 3.12: in no Debian suite) the suite's
#                                  libraries + this host's pyenv build of CPython X.Y in /usr/local, as
#                                  the official image has its own build there
#   ghcr.io/astral-sh/uv:<version> FROM scratch with /uv and /uvx from uv's musllinux wheel
# Idempotent: an image already present (with the current recipe) is left alone.
# SLIPWAY_TESTBED_REBUILD=1 rebuilds the stand-ins from scratch (ignores the download cache).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

docker_ok || die "docker does not answer. Fix: run scripts/testbed/engine.sh first."

UV_SOURCE="uv $UV_VERSION musllinux wheel"
# Bump when a recipe changes; the host CA certs are part of the python recipe.
RECIPE_REV=3
# The pyenv-based stand-ins' own recipe revision (bumped without rebuilding the Debian ones).
PYENV_RECIPE_REV=2


# python3.X, with Debian's python3 and python-is-python3 where it is the suite's default Python
# (a stable release's; sid's default moves); python, python3 and python3.X under /usr/local/bin
# point at it, as in the official image.
py_packages() {
  local default=''
  case "3.$1@$2" in 3.11@bookworm | 3.13@trixie) default=',python3,python-is-python3' ;; esac
  case "$2" in
    # The shared libraries a pyenv CPython build links (its lib-dynload modules), from the suite.
    *+pyenv) echo "ca-certificates,passwd,tzdata,netbase,libffi8,libncursesw6,libnsl2,libsqlite3-0,libssl3,libuuid1,libbz2-1.0,liblzma5,zlib1g,libreadline8,libexpat1" ;;
    *) echo "python3.$1$default,ca-certificates,passwd,tzdata,netbase" ;;
  esac
}

# This host's newest pyenv build of 3.X ('' when there is none).
pyenv_python() {
  local root
  root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  find "$root/versions" -maxdepth 1 -name "$1.*" -type d 2>/dev/null | sort -V | tail -1
}

py_recipe() {
  local minor=$1 suite=$2 build=''
  case "$suite" in *+pyenv) build=$(pyenv_python "3.$minor") && build="$PYENV_RECIPE_REV ${build##*/} $("$build/bin/python3" -c 'import sys; print(sys.version)' 2>/dev/null)" ;; esac
  { echo "$RECIPE_REV $suite $(py_packages "$minor" "$suite") $build $(slim_hook "$suite")"; host_cas | while read -r f; do cat "$f"; done; } | recipe_digest
}
uv_recipe() { echo "$RECIPE_REV $UV_VERSION $(uname -m)" | recipe_digest; }

# bookworm's minbase merges /usr with the usrmerge package, which leaves all of perl behind
# (47 MB); the official image has none of it, so it goes (perl-base, essential, stays).
# shellcheck disable=SC2016 # $1 is the rootfs, expanded by mmdebstrap's hook shell
slim_hook() {
  case "$1" in
    bookworm*) echo 'chroot "$1" apt-get -qq -y purge perl perl-modules-5.36 libperl5.36 libfile-find-rule-perl libnumber-compare-perl libtext-glob-perl >/dev/null 2>&1' ;;
    *) echo 'true' ;;
  esac
}

build_python() {
  local version=$1 suite=$2 image="python:$1-slim" minor=${1#3.} recipe tar mirror
  local source="debian $suite python$version via mmdebstrap" python_hook pyenv_dir=''
  case "$suite" in
    *+pyenv)
      pyenv_dir=$(pyenv_python "$version")
      [ -n "$pyenv_dir" ] || die "no pyenv build of Python $version on this host for the $image stand-in. Fix: pyenv install $version, or drop $version from PYTHON_STANDINS in scripts/testbed/pins.sh."
      source="debian ${suite%+pyenv} libraries + this host's pyenv CPython ${pyenv_dir##*/} in /usr/local"
      # CPython finds its prefix from the executable, so the build runs from /usr/local; scripts'
      # shebangs are rewritten, libpython goes in ld.so's cache, binaries are stripped. Left out as
      # in the official slim image: the test suite, IDLE, Tk and static libraries; of
      # site-packages, only pip is kept (not this host's .pth files).
      python_hook="tar -C '$pyenv_dir' --exclude='./lib/python$version/test' --exclude='./lib/python$version/idlelib' --exclude='./lib/python$version/tkinter' --exclude='./lib/python$version/turtledemo' --exclude='./lib/python$version/lib-dynload/_tkinter*' --exclude='./lib/python$version/site-packages/*.pth' --exclude='*/__pycache__' --exclude='*.a' -cf - . | tar -C \"\$1/usr/local\" -xf - && find \"\$1/usr/local\" -type f \\( -name '*.so*' -o -name 'python$version' \\) -exec strip --strip-unneeded {} + && for f in \"\$1\"/usr/local/bin/*; do [ -f \"\$f\" ] && [ ! -L \"\$f\" ] && sed -i '1s|^#!.*/python|#!/usr/local/bin/python|' \"\$f\" 2>/dev/null || true; done && ln -sf python$version \"\$1/usr/local/bin/python3\" && ln -sf python$version \"\$1/usr/local/bin/python\" && chroot \"\$1\" ldconfig && chroot \"\$1\" /usr/local/bin/python$version -c 'import ssl, sqlite3, ctypes, zlib, lzma, bz2, uuid, decimal'"
      ;;
    *)
      python_hook="rm -f \"\$1\"/usr/lib/python3*/EXTERNALLY-MANAGED; for b in python python3 python$version; do ln -sf /usr/bin/python$version \"\$1/usr/local/bin/\$b\"; done; chroot \"\$1\" sh -c 'cd /tmp && apt-get download -qq libpython$version-dev 2>/dev/null && dpkg-deb -x libpython$version-dev_*.deb /tmp/pydev && cp -a /tmp/pydev/usr/include/. /usr/include/ && rm -rf /tmp/pydev /tmp/libpython$version-dev_*.deb'"
      ;;
  esac
  recipe=$(py_recipe "$minor" "$suite")
  tar="$TESTBED_CACHE/rootfs/python$version-$suite-$recipe.tar"
  if [ "${SLIPWAY_TESTBED_REBUILD:-}" = 1 ]; then rm -f "$tar"; fi
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
    need_root "mmdebstrap (root mode)"
    mirror=$(debian_mirror)
    mkdir -p "$(dirname "$tar")"
    log "mmdebstrap $suite rootfs with python$version -> $tar (about 15-60 s)"
    # Like the official image: python also under /usr/local/bin, no EXTERNALLY-MANAGED marker, and
    # Python's C headers (only the headers of libpython3.X-dev, not its static library or its -dev
    # dependencies), so that a dependency without a wheel builds once the builder adds gcc.
    # Host CAs go in so uv inside 'docker build' trusts this machine's TLS-intercepting egress
    # proxy; test bed only, the generated Dockerfile knows nothing of it.
    # Check-Valid-Until off: the archive this machine reaches serves frozen copies, and sid's
    # InRelease expires within days (signatures are still checked).
    # shellcheck disable=SC2016 # \$1 is expanded by mmdebstrap's hook shell
    mmdebstrap --quiet --format=tar --variant=minbase --include="$(py_packages "$minor" "$suite")" \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --customize-hook="mkdir -p \"\$1$HOST_CA_DIR\"; for f in $HOST_CA_DIR/*.crt; do [ -f \"\$f\" ] && cp \"\$f\" \"\$1$HOST_CA_DIR/\"; done; true" \
      --customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null 2>"$1/uca.err"; rc=$?; grep -v "^rehash: warning: skipping ca-certificates.crt" "$1/uca.err" >&2; rm -f "$1/uca.err"; exit $rc' \
      --customize-hook="$python_hook" \
      --customize-hook="$(slim_hook "$suite")" \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/apt/* "$1"/var/log/dpkg.log' \
      "${suite%+pyenv}" "$tar.tmp" "$mirror" >&2 \
      || { rm -f "$tar.tmp"; die "mmdebstrap failed (output above). Fix: check that Debian's archive is reachable; rerun."; }
    mv "$tar.tmp" "$tar"
    find "$(dirname "$tar")" -maxdepth 1 -name "python$version-$suite-*.tar" ! -name "$(basename "$tar")" -delete
  fi
  log "docker import $tar as $image"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["python3"]' \
    --change "LABEL $STANDIN_LABEL=true" \
    --change "LABEL $STANDIN_LABEL.source=\"$source\"" \
    --change "LABEL $STANDIN_LABEL.recipe=$recipe" \
    "$tar" "$image" >/dev/null
}

pip_download() {
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip download -q "$@"
  else
    apt_install python3-pip
    /usr/bin/python3 -m pip download -q "$@"
  fi
}

build_uv() {
  local recipe dir platform ctx
  recipe=$(uv_recipe)
  dir="$TESTBED_CACHE/uv-$UV_VERSION-$(uname -m)"
  case "$(uname -m)" in
    x86_64) platform=musllinux_1_1_x86_64 ;;
    aarch64) platform=musllinux_1_1_aarch64 ;;
    *) die "no uv musllinux wheel for $(uname -m). Fix: run the test bed on x86_64 or aarch64." ;;
  esac
  if [ "${SLIPWAY_TESTBED_REBUILD:-}" = 1 ] || [ ! -x "$dir/bin/uv" ] || [ ! -x "$dir/bin/uvx" ]; then
    rm -rf "$dir" && mkdir -p "$dir/wheel" "$dir/bin"
    log "downloading uv $UV_VERSION wheel ($platform)"
    pip_download --no-deps --only-binary=:all: --platform "$platform" "uv==$UV_VERSION" -d "$dir/wheel" \
      || die "could not download the uv $UV_VERSION wheel for $platform. Fix: check that the Python package index is reachable from this host (pip config, proxy CA)."
    unzip -q -o "$dir"/wheel/uv-*.whl 'uv-*.data/scripts/*' -d "$dir/unpacked"
    install -m 0755 "$dir"/unpacked/uv-*.data/scripts/uv "$dir"/unpacked/uv-*.data/scripts/uvx "$dir/bin/"
    rm -rf "$dir/unpacked"
  fi
  "$dir/bin/uv" --version | grep -q " $UV_VERSION" \
    || die "$dir/bin/uv reports '$("$dir/bin/uv" --version)', expected $UV_VERSION. Fix: rm -rf $dir and rerun."
  ctx=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$ctx'" RETURN
  cp "$dir/bin/uv" "$dir/bin/uvx" "$ctx/"
  # Same layout as the published image. No '# syntax=' line: that would try to pull.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY uv uvx /
LABEL $STANDIN_LABEL=true $STANDIN_LABEL.source="$UV_SOURCE" $STANDIN_LABEL.recipe=$recipe
WORKDIR /io
ENTRYPOINT ["/uv"]
DOCKERFILE
  log "docker buildx build $UV_IMAGE"
  docker buildx build --load --quiet -t "$UV_IMAGE" "$ctx" >/dev/null \
    || die "building the uv stand-in failed (output above). Fix: check 'docker buildx version' and rerun scripts/testbed/engine.sh."
}

default_version=${PYTHON_IMAGE#python:}
default_version=${default_version%-slim}
case ",$PYTHON_STANDINS," in
  *",$default_version@"*) ;;
  *) die "PYTHON_IMAGE $PYTHON_IMAGE has no entry in PYTHON_STANDINS. Fix: add $default_version@<suite> in scripts/testbed/pins.sh." ;;
esac
IFS=, read -r -a standins <<<"$PYTHON_STANDINS"
for entry in "${standins[@]}"; do
  version=${entry%@*} suite=${entry#*@} image="python:${entry%@*}-slim"
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  if image_current "$image" "$(py_recipe "${version#3.}" "$suite")"; then
    log "$image present"
  elif ! try_pull "$image"; then
    build_python "$version" "$suite"
    drop_old "$old" "$image"
  fi
done

old=$(docker image inspect -f '{{.Id}}' "$UV_IMAGE" 2>/dev/null || true)
if image_current "$UV_IMAGE" "$(uv_recipe)"; then
  log "$UV_IMAGE present"
elif ! try_pull "$UV_IMAGE"; then
  build_uv
  drop_old "$old" "$UV_IMAGE"
fi
