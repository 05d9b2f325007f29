# shellcheck shell=bash disable=SC2034
# Shared helpers for scripts/testbed/cluster/*.sh (sourced, not run).

CLUSTER_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$CLUSTER_SCRIPTS/../lib.sh"
# shellcheck source=pins.sh
. "$CLUSTER_SCRIPTS/pins.sh"

# Built binaries, unpacked packages and private apt state: outside the repo, kept by down.sh.
KUBE_BIN=$TESTBED_CACHE/kube/$KUBE_VERSION/bin
CLUSTER_PKGS=$TESTBED_CACHE/cluster-pkgs
# Cluster state (certificates, etcd data, configs): kept across restarts; removed by down.sh --purge.
CLUSTER_HOME=${SLIPWAY_CLUSTER_HOME:-/var/lib/slipway-cluster}
CLUSTER_LOGS=${SLIPWAY_CLUSTER_LOGS:-/var/log/slipway-cluster}
CLUSTER_RUN=/run/slipway-cluster
CONTAINERD_SOCK=/run/slipway-containerd/containerd.sock
CONTAINERD_ROOT=/var/lib/slipway-containerd
CONTAINERD_STATE=/run/slipway-containerd/state
KUBECONFIG_OUT=${SLIPWAY_KUBECONFIG:-$HOME/.kube/slipway-testbed.config}
ADMIN_KUBECONFIG=$CLUSTER_HOME/admin.kubeconfig
API_PORT=${SLIPWAY_API_PORT:-6443}
ETCD_CLIENT_PORT=${SLIPWAY_ETCD_PORT:-2479}
ETCD_PEER_PORT=$((ETCD_CLIENT_PORT + 1))

# Download .debs from Debian $CLUSTER_DEB_SUITE with a private apt state (the system's sources
# stay as they are) and unpack each with dpkg-deb -x into $CLUSTER_PKGS/<package>.
# Skips packages already unpacked. Prints nothing on stdout.
fetch_suite_debs() {
  local apt_root="$TESTBED_CACHE/apt-$CLUSTER_DEB_SUITE" debs="$TESTBED_CACHE/debs" missing=() p deb
  for p in "$@"; do [ -f "$CLUSTER_PKGS/$p/.unpacked" ] || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  mkdir -p "$apt_root/lists/partial" "$apt_root/archives/partial" "$apt_root/parts" "$debs" "$CLUSTER_PKGS"
  local apt_opts=(
    -o "Dir::Etc::SourceList=$apt_root/sources.list"
    -o "Dir::Etc::SourceParts=$apt_root/parts"
    -o "Dir::State::Lists=$apt_root/lists"
    -o "Dir::State::status=$apt_root/status"
    -o "Dir::Cache=$apt_root"
    -o "Dir::Cache::archives=$apt_root/archives"
    -o "Dir::Etc::Preferences=/dev/null"
    -o "Dir::Etc::PreferencesParts=$apt_root/parts"
    -o "APT::Sandbox::User=root"
  )
  local need_download=()
  for p in "${missing[@]}"; do
    [ -n "$(find "$debs" -maxdepth 1 -name "${p}_*.deb" | head -n1)" ] || need_download+=("$p")
  done
  if [ "${#need_download[@]}" -gt 0 ]; then
    if [ ! -s "$apt_root/sources.list" ] || [ -z "$(find "$apt_root/lists" -maxdepth 1 -name '*Packages*' | head -n1)" ] \
        || ! (cd "$debs" && apt-get "${apt_opts[@]}" download "${need_download[@]}" >&2 2>/dev/null); then
      printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
        "$(debian_mirror)" "$CLUSTER_DEB_SUITE" >"$apt_root/sources.list"
      : >"$apt_root/status"
      log "apt-get update for Debian $CLUSTER_DEB_SUITE (private apt state in $apt_root)"
      apt-get "${apt_opts[@]}" update -qq \
        || die "apt-get update for $CLUSTER_DEB_SUITE failed. Fix: check that Debian's archive is reachable and /usr/share/keyrings/debian-archive-keyring.gpg knows $CLUSTER_DEB_SUITE (upgrade debian-archive-keyring)."
      log "downloading ${need_download[*]} from Debian $CLUSTER_DEB_SUITE"
      (cd "$debs" && apt-get "${apt_opts[@]}" download "${need_download[@]}" >&2) \
        || die "apt-get download ${need_download[*]} from $CLUSTER_DEB_SUITE failed (apt output above). Fix: check the package names with 'apt-cache policy' against that suite."
    fi
  fi
  for p in "${missing[@]}"; do
    deb=$(find "$debs" -maxdepth 1 -name "${p}_*.deb" | sort -V | tail -n1)
    [ -n "$deb" ] || die "$p .deb missing in $debs after download. Fix: delete $apt_root and rerun."
    rm -rf "${CLUSTER_PKGS:?}/$p"
    mkdir -p "$CLUSTER_PKGS/$p"
    dpkg-deb -x "$deb" "$CLUSTER_PKGS/$p"
    basename "$deb" >"$CLUSTER_PKGS/$p/.unpacked"
    log "unpacked $(basename "$deb") into $CLUSTER_PKGS/$p"
  done
}

START_ENV=()
START_CONFIG=()

# --- background processes: one pid file, one log, one recorded command line per component ---

proc_pid() {
  local pid
  [ -s "$CLUSTER_RUN/$1.pid" ] || return 1
  pid=$(cat "$CLUSTER_RUN/$1.pid")
  # The pid must still be the program we started (pids are reused).
  local exe
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "${exe% (deleted)}" = "$(cat "$CLUSTER_RUN/$1.exe" 2>/dev/null)" ] || return 1
  printf '%s\n' "$pid"
}

# stop_proc NAME [SECONDS]: SIGTERM, wait, then SIGKILL; removes the pid file.
stop_proc() {
  local name=$1 wait=${2:-20} pid i
  if ! pid=$(proc_pid "$name"); then rm -f "$CLUSTER_RUN/$name.pid"; return 0; fi
  log "stopping $name (pid $pid)"; local t0=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$CLUSTER_RUN/$name.pid"; [ $((SECONDS - t0)) -lt 3 ] || log "$name stopped after $((SECONDS - t0))s"; return 0; }
    sleep 0.25
  done
  log "$name (pid $pid) still running ${wait}s after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$CLUSTER_RUN/$name.pid"
}

# start_proc NAME BINARY ARGS...: start in its own session unless the same command line runs already;
# a changed command line restarts it. Extra environment: START_ENV (array of VAR=value);
# START_CONFIG (array of files): a change in their content also restarts it.
start_proc() {
  local name=$1; shift
  local cmdline pid
  cmdline=$(printf '%q ' "${START_ENV[@]}" "$@")
  [ "${#START_CONFIG[@]}" -eq 0 ] || cmdline+="# config $(cat "${START_CONFIG[@]}" | recipe_digest)"
  mkdir -p "$CLUSTER_RUN" "$CLUSTER_LOGS"
  if pid=$(proc_pid "$name"); then
    if [ "$cmdline" = "$(cat "$CLUSTER_RUN/$name.cmd" 2>/dev/null)" ]; then return 0; fi
    log "$name: command line changed; restarting"
    stop_proc "$name"
  fi
  [ -x "$1" ] || die "$name: $1 is not an executable. Fix: rerun scripts/testbed/cluster/up.sh from the start (it builds/unpacks it)."
  printf '== %s start %s\n%s\n' "$name" "$(date -u +%FT%TZ)" "$cmdline" >>"$CLUSTER_LOGS/$name.log"
  # 8>&- 9>&-: the daemons must not inherit (and so hold) the up.sh / build.sh locks.
  setsid env "${START_ENV[@]}" "$@" >>"$CLUSTER_LOGS/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$CLUSTER_RUN/$name.pid"
  readlink -f "$1" >"$CLUSTER_RUN/$name.exe"
  # setsid and env exec into the program; wait for that so proc_pid recognises it.
  local i
  for ((i = 0; i < 40; i++)); do proc_pid "$name" >/dev/null && break; sleep 0.05; done
  printf '%s' "$cmdline" >"$CLUSTER_RUN/$name.cmd"
  log "started $name (pid $pid, log $CLUSTER_LOGS/$name.log)"
}

# wait_until NAME SECONDS FIX CMD...: poll CMD until it succeeds; die with the log tail on timeout
# or when NAME's process exits.
wait_until() {
  local name=$1 secs=$2 fix=$3; shift 3
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! proc_pid "$name" >/dev/null; then
      tail -n 25 "$CLUSTER_LOGS/$name.log" >&2 || true
      die "$name exited during start-up (log tail above, full log $CLUSTER_LOGS/$name.log). Fix: $fix"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 25 "$CLUSTER_LOGS/$name.log" >&2 || true
      die "$name not ready within ${secs}s (log tail above, full log $CLUSTER_LOGS/$name.log). Fix: $fix"
    fi
    sleep 0.5
  done
}

CTR=$CLUSTER_PKGS/containerd/usr/bin/ctr
ctr_k8s() { "$CTR" -a "$CONTAINERD_SOCK" -n k8s.io "$@"; }
kubectl_admin() { "$KUBE_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }
