#!/usr/bin/env bash
# Write the test cluster's configuration files (kubeconfigs, containerd, CNI, kubelet, kube-proxy)
# under $CLUSTER_HOME. Idempotent: a file is rewritten only when its content changes.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKI=$CLUSTER_HOME/pki
gw=${CLUSTER_POD_CIDR%.*/*}.1
mkdir -p "$CLUSTER_HOME/cni/net.d" "$CLUSTER_HOME/kubelet" "$CLUSTER_HOME/kube-proxy"

# write_if_changed FILE: stdin becomes FILE unless FILE already holds exactly that.
write_if_changed() {
  local file=$1 tmp
  tmp=$(mktemp "$file.XXXXXX")
  cat >"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then rm -f "$tmp"; return 0; fi
  chmod 600 "$tmp"
  mv -f "$tmp" "$file"
  log "wrote $file"
}

# kubeconfig USER CERT_NAME SERVER: certificates embedded so the file stands alone.
kubeconfig() {
  local user=$1 name=$2 server=$3
  cat <<YAML
apiVersion: v1
kind: Config
clusters:
- name: $CLUSTER_CONTEXT
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$name.crt")
    client-key-data: $(base64 -w0 "$PKI/$name.key")
contexts:
- name: $CLUSTER_CONTEXT
  context:
    cluster: $CLUSTER_CONTEXT
    user: $user
current-context: $CLUSTER_CONTEXT
YAML
}

server=https://127.0.0.1:$API_PORT
kubeconfig "$CLUSTER_CONTEXT-admin" admin "$server" | write_if_changed "$ADMIN_KUBECONFIG"
kubeconfig system:kube-controller-manager controller-manager "$server" | write_if_changed "$CLUSTER_HOME/controller-manager.kubeconfig"
kubeconfig system:kube-scheduler scheduler "$server" | write_if_changed "$CLUSTER_HOME/scheduler.kubeconfig"
kubeconfig system:kube-proxy kube-proxy "$server" | write_if_changed "$CLUSTER_HOME/kube-proxy.kubeconfig"
kubeconfig "system:node:$CLUSTER_NODE_NAME" kubelet-client "$server" | write_if_changed "$CLUSTER_HOME/kubelet.kubeconfig"

# containerd: own socket, root and state, apart from Docker's containerd; runc from Debian bookworm.
write_if_changed "$CLUSTER_HOME/containerd.toml" <<TOML
version = 2
root = "$CONTAINERD_ROOT"
state = "$CONTAINERD_STATE"
# Plugins that would touch /opt or need hardware this machine lacks.
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CLUSTER_PAUSE_IMAGE"
  enable_selinux = false
  enable_cdi = false
  # This machine withholds CAP_SYS_RESOURCE, so runc cannot set a negative oom_score_adj (the
  # kubelet asks -998 for sandboxes, -997 for Guaranteed pods): "nsexec: failed to update
  # /proc/self/oom_score_adj: Permission denied". Clamp to containerd's own score instead.
  restrict_oom_score_adj = true
  # Pod network namespaces under our state dir, not /run/netns (down.sh cleans them there).
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        # runc state apart from Docker's containerd (its default is /run/containerd/runc).
        Root = "/run/slipway-containerd/runc"
        SystemdCgroup = false
  # Per-registry hosts (certs.d/<host>/hosts.toml): the test bed's plain-HTTP loopback registry.
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CLUSTER_HOME/certs.d"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_HOME/cni/net.d"
    max_conf_num = 1
TOML

# The test bed's registry (scripts/testbed/registry.sh) speaks plain HTTP on loopback; containerd
# runs in the host's network namespace, so the node pulls from it as the host pushes to it.
mkdir -p "$CLUSTER_HOME/certs.d/$REGISTRY_ADDR"
write_if_changed "$CLUSTER_HOME/certs.d/$REGISTRY_ADDR/hosts.toml" <<TOML
server = "http://$REGISTRY_ADDR"

[host."http://$REGISTRY_ADDR"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
TOML

# CNI: one bridge on this machine, no masquerade, host-local addresses; containerd adds lo itself.
write_if_changed "$CLUSTER_HOME/cni/net.d/10-slipway.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "slipway",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CLUSTER_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$CLUSTER_POD_CIDR", "gateway": "$gw" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$CLUSTER_HOME/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON

# Pods must not reach the host's resolver (no DNS to the outside): a loopback-only resolv.conf.
write_if_changed "$CLUSTER_HOME/resolv.conf" <<CONF
# slipway test cluster: no DNS leaves this machine; lookups fail fast inside pods.
nameserver 127.0.0.1
options timeout:1 attempts:1
CONF

write_if_changed "$CLUSTER_HOME/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine runs cgroup v1; kubelet >= 1.35 refuses it unless told otherwise.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: 0.0.0.0
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $PKI/ca.crt
authorization:
  mode: Webhook
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
failSwapOn: false
memorySwap: {}
resolvConf: $CLUSTER_HOME/resolv.conf
clusterDomain: cluster.local
rotateCertificates: false
serverTLSBootstrap: false
registerNode: true
serializeImagePulls: false
# A shared development machine: do not evict pods because other work fills the disk.
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "2%"
  imagefs.available: "2%"
imageGCHighThresholdPercent: 98
imageGCLowThresholdPercent: 95
maxPods: 110
YAML

write_if_changed "$CLUSTER_HOME/kube-proxy/config.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
hostnameOverride: $CLUSTER_NODE_NAME
clusterCIDR: $CLUSTER_POD_CIDR
clientConnection:
  kubeconfig: $CLUSTER_HOME/kube-proxy.kubeconfig
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# No CAP_SYS_RESOURCE here: a negative score cannot be set (the default -999 only logs an error).
oomScoreAdj: 0
# NodePorts on the node IP (the bridge address) only, not on every address of the machine.
nodePortAddresses: ["primary"]
iptables:
  masqueradeAll: false
  localhostNodePorts: false
# 0: leave the host's conntrack sysctls alone.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
YAML
