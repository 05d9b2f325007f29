#!/usr/bin/env bash
# Host network for the test cluster: the CNI bridge with its gateway address (made before the first
# pod so the API server and kubelet can use it), a route that keeps the Service range on the bridge,
# and iptables rules so pod traffic stays on this machine. Idempotent. "network.sh clean" undoes it.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gw=${CLUSTER_POD_CIDR%.*/*}.1
prefix=${CLUSTER_POD_CIDR#*/}

if [ "${1:-}" = clean ]; then
  for hook in FORWARD INPUT; do
    while iptables -w -D "$hook" -j "SLIPWAY-$hook" 2>/dev/null; do :; done
    if iptables -w -F "SLIPWAY-$hook" 2>/dev/null; then iptables -w -X "SLIPWAY-$hook"; fi
  done
  ip route del "$CLUSTER_SERVICE_CIDR" dev "$CLUSTER_BRIDGE" 2>/dev/null || true
  if ip link show "$CLUSTER_BRIDGE" >/dev/null 2>&1; then
    ip link del "$CLUSTER_BRIDGE" && log "removed bridge $CLUSTER_BRIDGE and its rules"
  fi
  exit 0
fi

command -v iptables >/dev/null 2>&1 || die "no iptables on PATH. Fix: apt-get install -y iptables."
if ! ip link show "$CLUSTER_BRIDGE" >/dev/null 2>&1; then
  ip link add "$CLUSTER_BRIDGE" type bridge || die "cannot create bridge $CLUSTER_BRIDGE. Fix: the kernel needs bridge support (CONFIG_BRIDGE) and CAP_NET_ADMIN."
  log "created bridge $CLUSTER_BRIDGE"
fi
ip -4 addr show dev "$CLUSTER_BRIDGE" | grep -q "inet $gw/$prefix" || ip addr add "$gw/$prefix" dev "$CLUSTER_BRIDGE"
ip link set "$CLUSTER_BRIDGE" up
# Service addresses never leave through the default route (even one kube-proxy does not know yet).
ip route replace "$CLUSTER_SERVICE_CIDR" dev "$CLUSTER_BRIDGE" src "$gw"

sysctl -qw net.ipv4.ip_forward=1
# kube-proxy's rules must see traffic between pods on the same bridge (Service hairpin).
[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] \
  || die "/proc/sys/net/bridge is missing (br_netfilter not loaded). Fix: modprobe br_netfilter (this kernel cannot load modules if booted with 'nomodule')."
sysctl -qw net.bridge.bridge-nf-call-iptables=1

# Docker sets the FORWARD policy to DROP; pods on the bridge may talk to each other and to Services,
# but nothing from a pod is forwarded off the bridge (no route to the outside, no masquerade).
iptables -w -N SLIPWAY-FORWARD 2>/dev/null || true
iptables -w -F SLIPWAY-FORWARD
iptables -w -A SLIPWAY-FORWARD -i "$CLUSTER_BRIDGE" -o "$CLUSTER_BRIDGE" -j ACCEPT
iptables -w -A SLIPWAY-FORWARD -i "$CLUSTER_BRIDGE" -j DROP
iptables -w -A SLIPWAY-FORWARD -o "$CLUSTER_BRIDGE" -j DROP
iptables -w -C FORWARD -j SLIPWAY-FORWARD 2>/dev/null || iptables -w -I FORWARD 1 -j SLIPWAY-FORWARD
# The API server and kubelet listen on all addresses; answer only on loopback and the bridge.
iptables -w -N SLIPWAY-INPUT 2>/dev/null || true
iptables -w -F SLIPWAY-INPUT
iptables -w -A SLIPWAY-INPUT -i lo -j RETURN
iptables -w -A SLIPWAY-INPUT -i "$CLUSTER_BRIDGE" -j RETURN
iptables -w -A SLIPWAY-INPUT -p tcp -m multiport --dports "$API_PORT,10250" -j DROP
iptables -w -C INPUT -j SLIPWAY-INPUT 2>/dev/null || iptables -w -I INPUT 1 -j SLIPWAY-INPUT
