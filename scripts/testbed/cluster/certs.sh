#!/usr/bin/env bash
# Make the test cluster's PKI with openssl under $CLUSTER_HOME/pki. Idempotent: keeps what exists
# and is valid for another day; a new CA re-issues every leaf certificate.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKI=$CLUSTER_HOME/pki
DAYS=3650
command -v openssl >/dev/null 2>&1 || die "no openssl on PATH. Fix: apt-get install -y openssl."
mkdir -p "$PKI"
chmod 700 "$PKI"
umask 077

valid() { [ -s "$1.crt" ] && [ -s "$1.key" ] && openssl x509 -in "$1.crt" -noout -checkend 86400 >/dev/null 2>&1; }

# make_ca NAME: a self-signed CA (a leaf it signed fails 'openssl verify' once it is replaced).
make_ca() {
  valid "$PKI/$1" && return 0
  log "creating CA $1 in $PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.crt" -days "$DAYS" \
    -subj "/CN=slipway-testbed-$1" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    2>/dev/null || die "openssl could not create CA $1 in $PKI. Fix: check free space and permissions there."
}
make_ca ca
# The aggregation layer's request-header CA is kept apart from the client CA, as kubeadm does.
make_ca front-proxy-ca

# issue NAME SUBJECT USAGE [SANS] [CA]: a leaf key+cert signed by CA (default: ca).
issue() {
  local name=$1 subj=$2 usage=$3 sans=${4:-} ca=${5:-ca}
  valid "$PKI/$name" && openssl verify -CAfile "$PKI/$ca.crt" "$PKI/$name.crt" >/dev/null 2>&1 && return 0
  local ext=(-addext "basicConstraints=critical,CA:FALSE" -addext "keyUsage=critical,digitalSignature,keyEncipherment"
             -addext "extendedKeyUsage=$usage")
  [ -n "$sans" ] && ext+=(-addext "subjectAltName=$sans")
  { openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "$subj" "${ext[@]}" 2>/dev/null \
    && openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial \
         -days "$DAYS" -copy_extensions copyall -out "$PKI/$name.crt" 2>/dev/null; } \
    || die "openssl could not issue $name ($subj). Fix: needs OpenSSL >= 3.0 for -copy_extensions ('openssl version')."
  rm -f "$PKI/$name.csr"
  log "issued $name: $subj${sans:+ [$sans]}"
}

node=$CLUSTER_NODE_NAME
gw=${CLUSTER_POD_CIDR%.*/*}.1
issue apiserver "/CN=kube-apiserver" serverAuth \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$CLUSTER_API_SERVICE_IP,IP:$gw"
issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
issue admin "/O=system:masters/CN=slipway-testbed-admin" clientAuth
issue controller-manager "/CN=system:kube-controller-manager" clientAuth
issue scheduler "/CN=system:kube-scheduler" clientAuth
issue kube-proxy "/CN=system:kube-proxy" clientAuth
# The Node authorizer and NodeRestriction admit a kubelet only as system:node:<name> in system:nodes.
issue kubelet-client "/O=system:nodes/CN=system:node:$node" clientAuth
issue kubelet "/CN=$node" serverAuth "DNS:$node,DNS:localhost,IP:127.0.0.1,IP:$gw"
issue front-proxy-client "/CN=front-proxy-client" clientAuth "" front-proxy-ca

if [ ! -s "$PKI/sa.key" ] || [ ! -s "$PKI/sa.pub" ]; then
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  log "created the service-account key pair"
fi
