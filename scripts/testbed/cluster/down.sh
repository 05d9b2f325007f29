#!/usr/bin/env bash
# Stop the test cluster that up.sh started (by its pid files), remove the pods' containers, network
# namespaces, the bridge and the iptables rules it added. Keeps the built binaries and packages and,
# unless --purge, the cluster state (certificates, etcd data, images), so the next up.sh is quick.
# Usage: down.sh [--purge]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=
case ${1:-} in
  "") ;;
  --purge) purge=1 ;;
  *) die "usage: $0 [--purge]  (--purge also deletes $CLUSTER_HOME and $CONTAINERD_ROOT)" ;;
esac
need_root "stopping the test cluster"

# Unmount everything below a folder, deepest first (kubelet volumes, netns, container rootfs),
# so nothing is ever deleted through a mount.
unmount_below() {
  local dir=$1 m
  [ -d "$dir" ] || return 0
  findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0 "/", d) == 1' | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: cannot unmount $m"
  done
}

if [ -e "$CLUSTER_RUN/kube-proxy.pid" ]; then
  stop_proc kube-proxy
  # Remove the KUBE-* chains it wrote.
  "$KUBE_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || log "warning: kube-proxy --cleanup failed; KUBE-* iptables chains may remain"
fi
stop_proc kubelet
if [ -s "$CLUSTER_RUN/sysctl.orig" ]; then
  sysctl -q -p "$CLUSTER_RUN/sysctl.orig" >/dev/null && rm -f "$CLUSTER_RUN/sysctl.orig" \
    && log "restored the kernel settings the kubelet changed (vm.overcommit_memory, kernel.panic*)"
fi
# Chains the kubelet adds (kube-proxy --cleanup leaves these).
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null 2>&1 || continue
  for hook in INPUT OUTPUT; do while "$ipt" -w -D "$hook" -j KUBE-FIREWALL 2>/dev/null; do :; done; done
  for table in filter nat mangle; do
    for chain in KUBE-FIREWALL KUBE-KUBELET-CANARY KUBE-IPTABLES-HINT; do
      if "$ipt" -w -t "$table" -F "$chain" 2>/dev/null; then "$ipt" -w -t "$table" -X "$chain" 2>/dev/null || true; fi
    done
  done
done
if proc_pid containerd >/dev/null; then
  # The kubelet is gone, so nothing restarts them: kill the pods' containers and their shims.
  tasks=$(ctr_k8s tasks ls -q 2>/dev/null || true)
  for t in $tasks; do ctr_k8s tasks delete --force "$t" >/dev/null 2>&1 || true; done
  [ -n "$tasks" ] && log "stopped $(wc -w <<<"$tasks") container(s)"
  stop_proc containerd
fi
# Pod network namespaces and addresses of the pods just removed (the kubelet makes new ones).
unmount_below "$CONTAINERD_STATE"
unmount_below "$CLUSTER_HOME/kubelet"
rm -rf "$CLUSTER_HOME/cni/ipam"
for p in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_proc "$p"; done
bash "$CLUSTER_SCRIPTS/network.sh" clean

if [ -n "$purge" ]; then
  unmount_below "$CLUSTER_HOME"
  unmount_below "$CONTAINERD_ROOT"
  unmount_below "$(dirname "$CONTAINERD_SOCK")"
  if findmnt -rn -o TARGET | grep -qE "^($CLUSTER_HOME|$CONTAINERD_ROOT|$(dirname "$CONTAINERD_SOCK"))/"; then
    die "mounts remain below the cluster folders; not deleting them. Fix: unmount them ('findmnt | grep slipway'), then rerun with --purge."
  fi
  rm -rf "$CLUSTER_HOME" "$CONTAINERD_ROOT" "$(dirname "$CONTAINERD_SOCK")" "$CLUSTER_RUN"
  log "purged cluster state ($CLUSTER_HOME, $CONTAINERD_ROOT); kept binaries and packages in $TESTBED_CACHE"
fi
log "cluster stopped"
