#!/usr/bin/env bash
# Start a real single-node Kubernetes on this machine for slipway's deploy tests: etcd, the control
# plane, containerd (apart from Docker's), kubelet and kube-proxy, as background processes with pid
# files and logs under $CLUSTER_LOGS. Idempotent: seconds when the cluster is already up.
# Kubeconfig: ${SLIPWAY_KUBECONFIG:-~/.kube/slipway-testbed.config}, context slipway-testbed.
# SLIPWAY_CLUSTER_NODE=0 starts the control plane only (server-side dry runs, admission).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

WITH_NODE=${SLIPWAY_CLUSTER_NODE:-1}
CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler)
NODE_PROCS=(containerd kubelet kube-proxy)
start=$SECONDS
PKI=$CLUSTER_HOME/pki
gw=${CLUSTER_POD_CIDR%.*/*}.1

api_ready() { curl -fsk --max-time 3 "https://127.0.0.1:$API_PORT/readyz" >/dev/null; }
# Ready as reported by the kubelet running now (after a restart etcd still holds the old status).
node_ready() {
  local out hb
  curl -fs --max-time 2 http://127.0.0.1:10248/healthz >/dev/null || return 1
  out=$(kubectl_admin get node "$CLUSTER_NODE_NAME" --request-timeout=5s \
    -o 'jsonpath={range .status.conditions[?(@.type=="Ready")]}{.status} {.lastHeartbeatTime}{end}' 2>/dev/null) || return 1
  [ "${out%% *}" = True ] || return 1
  hb=$(date -d "${out#* }" +%s 2>/dev/null) || return 1
  [ "$hb" -ge "$(stat -c %Y "$CLUSTER_RUN/kubelet.pid")" ]
}
all_running() {
  local p
  for p in "$@"; do proc_pid "$p" >/dev/null || return 1; done
}

# Write the user's kubeconfig; put the context into ~/.kube/config too, and make it current there
# only when that file has no current context (never take over someone else's cluster).
export_kubeconfig() {
  mkdir -p "$(dirname "$KUBECONFIG_OUT")"
  if ! cmp -s "$ADMIN_KUBECONFIG" "$KUBECONFIG_OUT" 2>/dev/null; then
    install -m 600 "$ADMIN_KUBECONFIG" "$KUBECONFIG_OUT"
    log "wrote kubeconfig $KUBECONFIG_OUT (context $CLUSTER_CONTEXT)"
  fi
  local main=$HOME/.kube/config current merged
  [ "$(readlink -f "$KUBECONFIG_OUT")" = "$(readlink -f "$main")" ] && return 0
  current=$("$KUBE_BIN/kubectl" config current-context --kubeconfig "$main" 2>/dev/null || true)
  merged=$(mktemp)
  # The first file wins on name clashes: ours, so a rerun refreshes the certificates.
  if [ -s "$main" ]; then
    KUBECONFIG="$KUBECONFIG_OUT:$main" "$KUBE_BIN/kubectl" config view --flatten >"$merged"
  else
    cp "$KUBECONFIG_OUT" "$merged"
  fi
  if [ -n "$current" ] && [ "$current" != "$CLUSTER_CONTEXT" ]; then
    "$KUBE_BIN/kubectl" config use-context "$current" --kubeconfig "$merged" >/dev/null
  else
    "$KUBE_BIN/kubectl" config use-context "$CLUSTER_CONTEXT" --kubeconfig "$merged" >/dev/null
  fi
  if ! cmp -s "$merged" "$main" 2>/dev/null; then
    install -m 600 "$merged" "$main"
    if [ -n "$current" ] && [ "$current" != "$CLUSTER_CONTEXT" ]; then
      log "added context $CLUSTER_CONTEXT to $main; current context stays '$current' (use --context $CLUSTER_CONTEXT)"
    else
      log "added context $CLUSTER_CONTEXT to $main and made it the current context"
    fi
  fi
  rm -f "$merged"
}

# Fast path: everything of ours runs and answers, started by these very scripts (an edited script
# or pin takes the full path, which restarts what changed).
procs=("${CONTROL_PLANE[@]}")
[ "$WITH_NODE" = 1 ] && procs+=("${NODE_PROCS[@]}")
recipe=$(cat "$here"/*.sh "$here/kube/go.sum" | recipe_digest)
if [ -x "$KUBE_BIN/kubectl" ] && [ "$(cat "$CLUSTER_RUN/recipe" 2>/dev/null)" = "$recipe" ] \
   && all_running "${procs[@]}" && api_ready \
   && { [ "$WITH_NODE" != 1 ] || node_ready; }; then
  export_kubeconfig
  log "cluster already up (${procs[*]}); kubeconfig $KUBECONFIG_OUT"
  exit 0
fi

need_root "starting the test cluster"
mkdir -p "$CLUSTER_RUN"
exec 8>"$CLUSTER_RUN/up.lock"
flock -w 900 8 || die "another up.sh has held $CLUSTER_RUN/up.lock for 15 min. Fix: wait for it or stop it."
apt_install catatonit containernetworking-plugins conntrack iptables runc curl openssl iproute2 procps
bash "$here/kube/build.sh"
fetch_suite_debs etcd-server containerd
bash "$here/certs.sh"
bash "$here/configs.sh"
bash "$here/network.sh"

# --- control plane ---
ETCD=$CLUSTER_PKGS/etcd-server/usr/bin/etcd
start_proc etcd "$ETCD" --name slipway --data-dir "$CLUSTER_HOME/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "slipway=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" --log-level warn
wait_until etcd 60 "is port $ETCD_CLIENT_PORT taken by another etcd? (set SLIPWAY_ETCD_PORT)" \
  curl -fs --max-time 2 "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

start_proc kube-apiserver "$KUBE_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address 0.0.0.0 --secure-port "$API_PORT" --advertise-address "$gw" \
  --service-cluster-ip-range "$CLUSTER_SERVICE_CIDR" \
  --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
  --profiling=false --v=1
wait_until kube-apiserver 120 "see the log; is port $API_PORT free (set SLIPWAY_API_PORT)?" api_ready

start_proc kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
  --kubeconfig "$CLUSTER_HOME/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$CLUSTER_HOME/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$CLUSTER_HOME/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --service-cluster-ip-range "$CLUSTER_SERVICE_CIDR" --allocate-node-cidrs=false --v=1
start_proc kube-scheduler "$KUBE_BIN/kube-scheduler" \
  --kubeconfig "$CLUSTER_HOME/scheduler.kubeconfig" \
  --authentication-kubeconfig "$CLUSTER_HOME/scheduler.kubeconfig" \
  --authorization-kubeconfig "$CLUSTER_HOME/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --v=1
wait_until kube-controller-manager 60 "see the log" curl -fsk --max-time 2 https://127.0.0.1:10257/healthz
wait_until kube-scheduler 60 "see the log" curl -fsk --max-time 2 https://127.0.0.1:10259/healthz
export_kubeconfig

if [ "$WITH_NODE" != 1 ]; then
  printf '%s\n' "$recipe" >"$CLUSTER_RUN/recipe"
  log "control plane up in $((SECONDS - start))s (no node: SLIPWAY_CLUSTER_NODE=0); kubeconfig $KUBECONFIG_OUT"
  exit 0
fi

# --- node ---
# Our containerd must find its own shim (trixie) before Docker's (bookworm) on PATH.
START_ENV=("PATH=$CLUSTER_PKGS/containerd/usr/bin:$PATH")
START_CONFIG=("$CLUSTER_HOME/containerd.toml")
mkdir -p "$(dirname "$CONTAINERD_SOCK")" "$CONTAINERD_ROOT"
start_proc containerd "$CLUSTER_PKGS/containerd/usr/bin/containerd" --config "$CLUSTER_HOME/containerd.toml"
START_ENV=()
wait_until containerd 60 "see the log" "$CTR" -a "$CONTAINERD_SOCK" version
START_CONFIG=()
bash "$here/pause.sh"

# The kubelet sets vm.overcommit_memory=1, kernel.panic=10 and kernel.panic_on_oops=1 on the
# host (it cannot be told not to; protectKernelDefaults only turns that into a start failure).
# Remember the machine's values so down.sh can put them back.
if ! proc_pid kubelet >/dev/null && [ ! -s "$CLUSTER_RUN/sysctl.orig" ]; then
  for k in vm.overcommit_memory kernel.panic kernel.panic_on_oops; do
    printf '%s=%s\n' "$k" "$(sysctl -n "$k")"
  done >"$CLUSTER_RUN/sysctl.orig"
fi
START_CONFIG=("$CLUSTER_HOME/kubelet/config.yaml" "$CLUSTER_HOME/kubelet.kubeconfig" "$CLUSTER_HOME/resolv.conf")
start_proc kubelet "$KUBE_BIN/kubelet" --config "$CLUSTER_HOME/kubelet/config.yaml" \
  --kubeconfig "$CLUSTER_HOME/kubelet.kubeconfig" --root-dir "$CLUSTER_HOME/kubelet/root" \
  --hostname-override "$CLUSTER_NODE_NAME" --node-ip "$gw" --v=1
START_CONFIG=("$CLUSTER_HOME/kube-proxy/config.yaml" "$CLUSTER_HOME/kube-proxy.kubeconfig")
start_proc kube-proxy "$KUBE_BIN/kube-proxy" --config "$CLUSTER_HOME/kube-proxy/config.yaml" --v=1
START_CONFIG=()
wait_until kubelet 120 "see the log; 'kubectl --kubeconfig $KUBECONFIG_OUT describe node $CLUSTER_NODE_NAME' shows why it is not Ready" node_ready
wait_until kube-proxy 30 "see the log" curl -fs --max-time 2 http://127.0.0.1:10256/healthz
printf '%s\n' "$recipe" >"$CLUSTER_RUN/recipe"
log "cluster up in $((SECONDS - start))s: node $CLUSTER_NODE_NAME Ready, kubernetes $KUBE_VERSION; kubeconfig $KUBECONFIG_OUT (context $CLUSTER_CONTEXT)"
