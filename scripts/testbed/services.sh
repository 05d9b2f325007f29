#!/usr/bin/env bash
# Provide the companion-service images verify starts beside an app (postgres:17, redis:7) without
# a container registry: pull when a registry answers, otherwise build local stand-ins from Debian
# packages, labelled as such (like scripts/testbed/images.sh does for Python).
#   postgres:17  Debian trixie's postgresql-17; an entrypoint of our own that honours
#                POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB / PGDATA on first start (initdb,
#                scram-sha-256 for TCP clients, the database created), listens on 5432; pg_isready
#                and psql on PATH.
#   redis:7      Debian bookworm's redis-server 7.0 (trixie ships 8.0, which would not be a "7");
#                listens on 6379 on every address with protected mode off, as the official image
#                does; redis-cli on PATH.
# Idempotent: an image already present (with the current recipe) is left alone.
# SLIPWAY_TESTBED_REBUILD=1 rebuilds the stand-ins from scratch.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# image@Debian-suite for each companion-service stand-in: SERVICE_STANDINS in pins.sh.
: "${SERVICE_STANDINS:?is set in scripts/testbed/pins.sh}"

docker_ok || die "docker does not answer. Fix: run scripts/testbed/engine.sh first."

# Bump when a recipe (packages, entrypoint) changes.
RECIPE_REV=1

# The Debian packages and the entrypoint of each service.
service_packages() {
  case "$1" in
    postgres) echo "postgresql-$2,postgresql-client-$2,ca-certificates,tzdata,netbase" ;;
    redis) echo "redis-server,redis-tools,tzdata,netbase" ;;
    *) die "no stand-in recipe for '$1'. Fix: SERVICE_STANDINS names postgres:N@suite and redis:N@suite only." ;;
  esac
}

postgres_entrypoint() {
  cat <<'SCRIPT'
#!/bin/sh
# slipway test-bed stand-in for the official postgres image's entrypoint (written for slipway).
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA
case "${1:-postgres}" in -*) set -- postgres "$@" ;; esac
[ "$#" -gt 0 ] || set -- postgres
if [ "$1" != postgres ]; then exec "$@"; fi
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo "error: database is uninitialized and POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -D "$PGDATA" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$pwfile"
  echo "host all all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
  # No TCP while initialising: a client (pg_isready -h ...) sees the server only when it is done.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -q \
      -c "CREATE DATABASE \"$db\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) psql -v ON_ERROR_STOP=1 --username "$user" --dbname "$db" -q -f "$f" ;;
      *.sh) . "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "PostgreSQL init process complete; ready for start up."
fi
shift
exec postgres -c listen_addresses='*' "$@"
SCRIPT
}

redis_entrypoint() {
  cat <<'SCRIPT'
#!/bin/sh
# slipway test-bed stand-in for the official redis image's entrypoint (written for slipway).
set -eu
case "${1:-redis-server}" in -*) set -- redis-server "$@" ;; esac
[ "$#" -gt 0 ] || set -- redis-server
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
if [ "$1" = redis-server ]; then
  shift
  # Without a config file, like the official image: every address, protected mode off.
  case "${1:-}" in *.conf) exec redis-server "$@" ;; esac
  exec redis-server --bind '* -::*' --protected-mode no "$@"
fi
exec "$@"
SCRIPT
}

service_recipe() {
  local name=$1 major=$2 suite=$3
  { echo "$RECIPE_REV $suite $(service_packages "$name" "$major")"; "${name}_entrypoint"; } | recipe_digest
}

build_service() {
  local name=$1 major=$2 suite=$3 image="$1:$2" recipe tar mirror work
  recipe=$(service_recipe "$name" "$major" "$suite")
  tar="$TESTBED_CACHE/rootfs/$name$major-$suite-$recipe.tar"
  if [ "${SLIPWAY_TESTBED_REBUILD:-}" = 1 ]; then rm -f "$tar"; fi
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
    need_root "mmdebstrap (root mode)"
    mirror=$(debian_mirror)
    work=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" RETURN
    "${name}_entrypoint" >"$work/docker-entrypoint.sh"
    chmod 0755 "$work/docker-entrypoint.sh"
    mkdir -p "$(dirname "$tar")"
    log "mmdebstrap $suite rootfs with $(service_packages "$name" "$major") -> $tar (about 30-90 s)"
    # The package's own cluster (pg_createcluster's 17/main) is removed: the entrypoint makes the
    # one the container uses, from the environment, as the official image does.
    # shellcheck disable=SC2016 # $1 is expanded by mmdebstrap's hook shell
    mmdebstrap --quiet --format=tar --variant=minbase --include="$(service_packages "$name" "$major")" \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --aptopt='APT::Install-Recommends "false"' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --customize-hook="copy-in $work/docker-entrypoint.sh /usr/local/bin" \
      --customize-hook='rm -rf "$1"/var/lib/postgresql/* "$1"/etc/postgresql/*/main; mkdir -p "$1"/data "$1"/docker-entrypoint-initdb.d' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/apt/* "$1"/var/log/dpkg.log' \
      "$suite" "$tar.tmp" "$mirror" >&2 \
      || { rm -f "$tar.tmp"; die "mmdebstrap failed (output above). Fix: check that Debian's archive is reachable; rerun."; }
    mv "$tar.tmp" "$tar"
    find "$(dirname "$tar")" -maxdepth 1 -name "$name$major-$suite-*.tar" ! -name "$(basename "$tar")" -delete
  fi
  local path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin changes=()
  case "$name" in
    postgres)
      # Debian keeps the server binaries out of PATH; the official image has them on it.
      path=/usr/lib/postgresql/$major/bin:$path
      # (docker import takes no STOPSIGNAL: SIGTERM is postgres' "smart" shutdown.)
      changes=(--change 'ENV PGDATA=/var/lib/postgresql/data' --change 'EXPOSE 5432' --change 'CMD ["postgres"]')
      ;;
    redis) changes=(--change 'WORKDIR /data' --change 'EXPOSE 6379' --change 'CMD ["redis-server"]') ;;
  esac
  log "docker import $tar as $image"
  docker import \
    --change "ENV PATH=$path" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    "${changes[@]}" \
    --change "LABEL $STANDIN_LABEL=true" \
    --change "LABEL $STANDIN_LABEL.source=\"debian $suite $(service_packages "$name" "$major" | cut -d, -f1) via mmdebstrap\"" \
    --change "LABEL $STANDIN_LABEL.recipe=$recipe" \
    "$tar" "$image" >/dev/null
}

IFS=, read -r -a standins <<<"$SERVICE_STANDINS"
for entry in "${standins[@]}"; do
  image=${entry%@*} suite=${entry#*@}
  [ "$suite" != "$entry" ] || die "SERVICE_STANDINS entry '$entry' has no Debian suite. Fix: write it as image:major@suite (e.g. postgres:17@trixie)."
  name=${image%%:*} major=${image#*:}
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  if image_current "$image" "$(service_recipe "$name" "$major" "$suite")"; then
    log "$image present"
  elif ! try_pull "$image"; then
    build_service "$name" "$major" "$suite"
    drop_old "$old" "$image"
  fi
done
