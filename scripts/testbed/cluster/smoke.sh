#!/usr/bin/env bash
# Self-check of the test cluster: a Deployment of a tiny local image in a namespace that enforces the
# restricted Pod Security level, reached through 'kubectl port-forward' on 127.0.0.1 and through its
# Service from inside a pod (the host itself only talks to loopback); then the namespace is deleted.
# Prints timings. SLIPWAY_SMOKE_KEEP=1 keeps the namespace for a look after a failure.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NS=slipway-smoke
IMAGE=localhost/slipway/smoke-http:1
export KUBECONFIG=$KUBECONFIG_OUT
kubectl() { "$KUBE_BIN/kubectl" --context "$CLUSTER_CONTEXT" --request-timeout=30s "$@"; }
t0=$SECONDS; t=$SECONDS
step() { log "smoke: $1 ($((SECONDS - t))s)"; t=$SECONDS; }
pf_pid=
cleanup() {
  local rc=$?
  [ -n "$pf_pid" ] && kill "$pf_pid" 2>/dev/null
  if [ "$rc" -ne 0 ]; then
    log "smoke FAILED; state of namespace $NS:"
    kubectl -n "$NS" get deploy,rs,pods,svc,endpointslices -o wide >&2 2>/dev/null || true
    kubectl -n "$NS" get events --sort-by=.lastTimestamp >&2 2>/dev/null | tail -n 20 || true
    [ "${SLIPWAY_SMOKE_KEEP:-}" = 1 ] && { log "kept namespace $NS (SLIPWAY_SMOKE_KEEP=1)"; exit "$rc"; }
  fi
  kubectl delete namespace "$NS" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT

{ [ -x "$KUBE_BIN/kubectl" ] && [ -s "$KUBECONFIG" ]; } || die "no kubectl or kubeconfig yet. Fix: bash scripts/testbed/cluster/up.sh."
kubectl get --raw /readyz >/dev/null || die "the API server does not answer. Fix: bash scripts/testbed/cluster/up.sh."
if kubectl get namespace "$NS" >/dev/null 2>&1; then
  log "smoke: deleting namespace $NS left by an earlier run"
  kubectl delete namespace "$NS" --wait=true --timeout=120s >/dev/null
fi

ctx=$(mktemp -d)
printf '<h1>slipway smoke</h1>\n' >"$ctx/index.html"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $PYTHON_IMAGE
COPY index.html /srv/index.html
USER 10001:10001
EXPOSE 8000
CMD ["python", "-m", "http.server", "8000", "--bind", "0.0.0.0", "--directory", "/srv"]
LABEL io.slipway.testbed=smoke
DOCKERFILE
docker buildx build --load -q -t "$IMAGE" "$ctx" >/dev/null || die "building $IMAGE failed. Fix: bash scripts/testbed/up.sh (engine and $PYTHON_IMAGE stand-in)."
rm -rf "$ctx"
bash "$CLUSTER_SCRIPTS/load-image.sh" "$IMAGE"
step "image $IMAGE built and loaded"

kubectl create namespace "$NS" >/dev/null
kubectl label namespace "$NS" pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest >/dev/null
# Pod Security admission must refuse a root pod here (server-side dry run, nothing is created).
if out=$(kubectl -n "$NS" run smoke-root --image="$IMAGE" --image-pull-policy=Never --dry-run=server 2>&1); then
  die "the API server admitted a pod without a restricted securityContext in $NS. Fix: Pod Security admission is off; check kube-apiserver --disable-admission-plugins."
fi
grep -q 'violates PodSecurity "restricted' <<<"$out" || die "unexpected answer to the root pod dry run: $out"
step "Pod Security 'restricted' rejects a root pod (server-side dry run)"

kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: smoke}
spec:
  replicas: 2
  selector: {matchLabels: {app: smoke}}
  template:
    metadata: {labels: {app: smoke}}
    spec:
      automountServiceAccountToken: false
      # python as PID 1 ignores SIGTERM; do not wait 30 s for it on delete.
      terminationGracePeriodSeconds: 1
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: http
        image: $IMAGE
        imagePullPolicy: Never
        ports: [{containerPort: 8000, name: http}]
        readinessProbe:
          httpGet: {path: /, port: http}
          periodSeconds: 1
        resources:
          requests: {cpu: 10m, memory: 32Mi}
          limits: {memory: 128Mi}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata: {name: smoke}
spec:
  selector: {app: smoke}
  ports: [{port: 80, targetPort: http}]
YAML
kubectl -n "$NS" rollout status deployment/smoke --timeout=120s >&2 \
  || die "deployment/smoke did not become available within 120s (state above). Fix: see the events above and $CLUSTER_LOGS/kubelet.log."
step "deployment rolled out (2/2 pods Ready under the restricted policy)"


pf_log=$(mktemp)
kubectl -n "$NS" port-forward --address 127.0.0.1 svc/smoke :80 >"$pf_log" 2>&1 &
pf_pid=$!
port=
for _ in $(seq 1 40); do
  port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$pf_log" | head -n1)
  [ -n "$port" ] && break
  kill -0 "$pf_pid" 2>/dev/null || break
  sleep 0.25
done
[ -n "$port" ] || die "kubectl port-forward did not start: $(cat "$pf_log"). Fix: check the kubelet's streaming (kubelet.log) and that socat-free CRI port-forward works in containerd.log."
ok=0
for _ in $(seq 1 20); do curl -fs --max-time 3 "http://127.0.0.1:$port/" | grep -q 'slipway smoke' && ok=$((ok + 1)); done
[ "$ok" = 20 ] || die "port-forward answered $ok of 20 requests. Fix: see $pf_log and $CLUSTER_LOGS/kubelet.log."
kill "$pf_pid" 2>/dev/null; pf_pid=; rm -f "$pf_log"
step "port-forward 127.0.0.1:$port -> svc/smoke answered 20/20"

pod=$(kubectl -n "$NS" get pods -l app=smoke -o jsonpath='{.items[0].metadata.name}')
ip=$(kubectl -n "$NS" get svc smoke -o jsonpath='{.spec.clusterIP}')
kubectl -n "$NS" exec "$pod" -- python -c "import urllib.request as u; assert b'slipway smoke' in u.urlopen('http://$ip/', timeout=5).read()" \
  || die "pod $pod cannot reach Service $ip (pod -> Service -> pod, possibly itself). Fix: bridge hairpin/br_netfilter; see network.sh."
resolv=$(kubectl -n "$NS" exec "$pod" -- cat /etc/resolv.conf)
if [ "$(grep '^nameserver' <<<"$resolv" | sort -u)" != "nameserver 127.0.0.1" ]; then
  die "pod $pod has a resolver other than loopback: $resolv. Fix: kubelet resolvConf must point to $CLUSTER_HOME/resolv.conf."
fi
step "a pod reaches the Service (kubectl exec works); its resolv.conf is loopback-only"

kubectl delete namespace "$NS" --wait=true --timeout=120s >/dev/null
step "namespace deleted"
log "smoke: passed in $((SECONDS - t0))s"
