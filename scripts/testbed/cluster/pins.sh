# shellcheck shell=bash disable=SC2034
# Pins for the test cluster. Sourced by scripts/testbed/cluster/*.sh.
# KUBE_VERSION must match the require line in kube/go.mod (build.sh checks it); the staging
# modules are pinned there to v0.<minor>.<patch>.
KUBE_VERSION=v1.35.8
# Debian suite that supplies etcd and containerd (unpacked, not installed).
CLUSTER_DEB_SUITE=trixie
# Addresses that exist only inside this machine.
CLUSTER_POD_CIDR=10.88.0.0/16
CLUSTER_SERVICE_CIDR=10.96.0.0/16
CLUSTER_API_SERVICE_IP=10.96.0.1
CLUSTER_BRIDGE=slipway0
CLUSTER_NODE_NAME=slipway-node
CLUSTER_CONTEXT=slipway-testbed
CLUSTER_PAUSE_IMAGE=localhost/slipway/pause:catatonit-1
