#!/usr/bin/env bash
# Validates deploy/ with tools that run without Docker, a cluster or the network (apart from installing them):
#   deploy/check.sh            every step below; prints each command; exits 1 if any step failed
#   deploy/check.sh --static   the same without the last step, the runtime smoke test (deploy/smoke.sh)
# Installs what is missing: Debian packages (docker-compose 1.29, yamllint, shellcheck, nginx, coturn, kubectl from
# kubernetes-client when no kubectl is on PATH) and the npm validators locked in deploy/validate/package-lock.json.
# What it proves and what it cannot (no image build, no cluster): docs/deploy.md "Validation".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"
# shellcheck source=deploy/local/services.sh
source deploy/local/services.sh

WORK="$(mktemp -d)"
STUB_PID=""
cleanup() { [ -n "$STUB_PID" ] && kill "$STUB_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

STATIC=""
[ "${1:-}" = "--static" ] && STATIC=1
RESULTS=()
FAILED=0
# step TITLE COMMAND... — runs one check, shows the command and its output, records PASS/FAIL.
step() {
  local title="$1"; shift
  printf '\n==> %s\n+ %s\n' "$title" "$*"
  if "$@"; then RESULTS+=("PASS  $title"); else RESULTS+=("FAIL  $title"); FAILED=$((FAILED + 1)); fi
}
skip() { printf '\n==> %s\n    skipped: %s\n' "$1" "$2"; RESULTS+=("SKIP  $1 ($2)"); }

echo "==> Tools"
ensure_debian_packages docker-compose:docker-compose yamllint:yamllint shellcheck:shellcheck /usr/sbin/nginx:nginx-light \
  /usr/lib/nginx/modules/ngx_stream_module.so:libnginx-mod-stream turnserver:coturn openssl:openssl node:nodejs npm:npm
command -v kubectl >/dev/null || ensure_debian_packages kubectl:kubernetes-client
PYTHON=python3
if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then ensure_debian_packages /usr/lib/python3/dist-packages/yaml:python3-yaml; PYTHON=/usr/bin/python3; fi
if [ ! -d deploy/validate/node_modules ] || [ deploy/validate/package-lock.json -nt deploy/validate/node_modules/.package-lock.json ]; then
  (cd deploy/validate && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci in deploy/validate failed" >&2; exit 1; }
fi
printf '    %s\n' "$(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')" \
  "$(kubectl version --client 2>/dev/null | head -1)" "$(yamllint --version)" "shellcheck $(shellcheck --version | sed -n 's/^version: //p')" \
  "$(/usr/sbin/nginx -v 2>&1)" "node $(node --version)"

# Stand-in values for the variables compose requires (the real ones come from make-secrets.sh's compose.env).
export POSTGRES_PASSWORD=check-only REDIS_PASSWORD=check-only TURN_SECRET=check-only TURN_EXTERNAL_IP=203.0.113.1 TELEMED_SECRETS_DIR="$WORK/secrets"
# The SMS gateway's and SMTP relay's settings compose requires (placeholders: nothing is sent during the checks).
export FAST2SMS_API_KEY=check-only SMS_SENDER_ID=TLMEDS DLT_ENTITY_ID=1 SMTP_HOST=smtp.example.in
# Every SMS template's DLT id, in English and Hindi.
for dlt in DLT_TEMPLATE_SIGN_IN_CODE_EN DLT_TEMPLATE_SIGN_IN_CODE_HI DLT_TEMPLATE_WELCOME_EN DLT_TEMPLATE_WELCOME_HI \
  DLT_TEMPLATE_CHECKED_IN_EN DLT_TEMPLATE_CHECKED_IN_HI DLT_TEMPLATE_PLACES_AHEAD_EN DLT_TEMPLATE_PLACES_AHEAD_HI \
  DLT_TEMPLATE_YOU_ARE_NEXT_EN DLT_TEMPLATE_YOU_ARE_NEXT_HI DLT_TEMPLATE_DOCTOR_CALLING_EN DLT_TEMPLATE_DOCTOR_CALLING_HI \
  DLT_TEMPLATE_SESSION_PAUSED_EN DLT_TEMPLATE_SESSION_PAUSED_HI DLT_TEMPLATE_SESSION_CLOSED_EN DLT_TEMPLATE_SESSION_CLOSED_HI \
  DLT_TEMPLATE_SESSION_CANCELLED_EN DLT_TEMPLATE_SESSION_CANCELLED_HI DLT_TEMPLATE_PRESCRIPTION_READY_EN DLT_TEMPLATE_PRESCRIPTION_READY_HI \
  DLT_TEMPLATE_PAYMENT_RECEIPT_EN DLT_TEMPLATE_PAYMENT_RECEIPT_HI DLT_TEMPLATE_PAYMENT_REFUND_EN DLT_TEMPLATE_PAYMENT_REFUND_HI \
  DLT_TEMPLATE_FOLLOW_UP_REMINDER_EN DLT_TEMPLATE_FOLLOW_UP_REMINDER_HI DLT_TEMPLATE_BOOKING_REMINDER_EN DLT_TEMPLATE_BOOKING_REMINDER_HI \
  DLT_TEMPLATE_BOOKING_CANCELLED_EN DLT_TEMPLATE_BOOKING_CANCELLED_HI DLT_TEMPLATE_RECORD_LINK_CODE_EN DLT_TEMPLATE_RECORD_LINK_CODE_HI; do
  export "$dlt=2"
done
# An empty kubeconfig: kubectl must never reach (or send a real cluster's credentials to) anything but the stub below.
export KUBECONFIG="$WORK/kubeconfig" KUBECACHEDIR="$WORK/kube-cache"
: >"$KUBECONFIG"

step "shellcheck: deploy scripts" shellcheck -x deploy/check.sh deploy/smoke.sh deploy/make-secrets.sh deploy/healthcheck.sh

step "yamllint: compose and Kubernetes manifests" yamllint --strict -c deploy/validate/yamllint.yaml deploy/compose.yaml deploy/k8s

step "docker-compose 1.29: compose.yaml parses and passes its schema" docker-compose -f deploy/compose.yaml config -q

compose_refuses_without_secrets() {
  local output
  if output=$(env -u POSTGRES_PASSWORD -u REDIS_PASSWORD -u TURN_SECRET docker-compose -f deploy/compose.yaml config -q 2>&1); then
    echo "compose accepted a configuration without POSTGRES_PASSWORD, REDIS_PASSWORD and TURN_SECRET"; return 1
  fi
  echo "refused as expected: $(echo "$output" | head -1)"
}
step "docker-compose: refuses to run without the secrets" compose_refuses_without_secrets

step "kubectl kustomize: deploy/k8s builds offline" sh -c "kubectl kustomize deploy/k8s > '$WORK/k8s.yaml' && grep -c '^kind:' '$WORK/k8s.yaml' | sed 's/\$/ objects/'"

# kubectl apply --dry-run=client still asks the API server for discovery (checked here: without a server it fails
# with "connection refused" to localhost:8080), so a stub on 127.0.0.1 answers discovery and "not found".
"$PYTHON" deploy/validate/stub-apiserver.py "$WORK/stub.port" & STUB_PID=$!
for _ in $(seq 50); do [ -s "$WORK/stub.port" ] && break; sleep 0.1; done
step "kubectl apply --dry-run=client --validate=false (stub discovery on 127.0.0.1)" \
  kubectl apply -k deploy/k8s --dry-run=client --validate=false --server="http://127.0.0.1:$(cat "$WORK/stub.port" 2>/dev/null)" --cache-dir="$KUBECACHEDIR"

step "Kubernetes schemas (kubernetes-models) and field names (@kubernetes/client-node)" node deploy/validate/validate-k8s.mjs "$WORK/k8s.yaml"

step "deploy policy: settings exist in src/, security, probes, secrets documented" "$PYTHON" deploy/validate/check-policy.py "$ROOT" "$WORK/k8s.yaml"

# nginx -t needs the upstream names to resolve (Docker's DNS does that in compose), so the check points them at
# 127.0.0.1; Debian's nginx predates the upstream "resolve" parameter (1.27.3; the compose image is 1.28), so it is
# dropped from the checked copy when the local nginx is older, and loads the stream module the image has built in.
nginx_config_test() {
  local version sed_resolve=()
  version=$(/usr/sbin/nginx -v 2>&1 | sed -n 's#.*nginx/##p')
  if [ "$(printf '%s\n1.27.3\n' "$version" | sort -V | head -1)" != "1.27.3" ]; then
    sed_resolve=(-e 's/ resolve / /'); echo "nginx $version: checking without the upstream 'resolve' parameter"
  fi
  if [ "$(printf '%s\n1.25.1\n' "$version" | sort -V | head -1)" != "1.25.1" ]; then
    sed_resolve+=(-e '/^ *http2 on;/d'); echo "nginx $version: checking without 'http2 on' (1.25.1 and later)"
  fi
  # A certificate where the compose secret would be mounted.
  mkdir -p "$WORK/nginx-tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/nginx-tls/tls.key" -out "$WORK/nginx-tls/tls.pem" \
    -days 1 -subj /CN=localhost 2>/dev/null
  { echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"; cat deploy/nginx.conf; } |
    sed -e 's/server telemed-\([ab]\):8080/server 127.0.0.1:8080/' -e 's/server coturn:5349/server 127.0.0.1:5349/' \
      -e "s#/run/secrets/nginx-tls/#$WORK/nginx-tls/#" "${sed_resolve[@]}" >"$WORK/nginx.conf"
  /usr/sbin/nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log" && echo "nginx -t: syntax ok, test successful"
}
step "nginx -t: deploy/nginx.conf" nginx_config_test

step "dockerfile-utils lint: deploy/Dockerfile" deploy/validate/node_modules/.bin/dockerfile-utils lint deploy/Dockerfile
if command -v hadolint >/dev/null; then
  step "hadolint: deploy/Dockerfile" hadolint deploy/Dockerfile
else
  skip "hadolint" "not packaged for Debian or npm, and a downloaded binary is not allowed here; dockerfile-utils lint ran instead"
fi

# coturn with exactly the arguments compose and Kubernetes give it (secrets and addresses interpolated), moved to
# loopback: an unknown or malformed option makes turnserver exit at once; a good configuration keeps running.
coturn_accepts() {
  local source="$1" args port log="$WORK/turnserver-$1.log"
  # The shared secret and a certificate where both deployments mount them.
  mkdir -p "$WORK/turn"
  printf 'static-auth-secret=check-only\n' >"$WORK/turn/turnserver.conf"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/turn/tls.key" -out "$WORK/turn/tls.pem" \
    -days 1 -subj /CN=turn.localhost 2>/dev/null
  args=$("$PYTHON" - "$source" "$WORK/k8s.yaml" "$WORK/turn/" <<'PY'
import subprocess, sys, yaml
if sys.argv[1] == "compose":
    config = yaml.safe_load(subprocess.run(["docker-compose", "-f", "deploy/compose.yaml", "config"], check=True, capture_output=True, text=True).stdout)
    args = config["services"]["coturn"]["command"]
else:
    deployment = next(o for o in yaml.safe_load_all(open(sys.argv[2])) if o and o["kind"] == "Deployment" and o["metadata"]["name"] == "coturn")
    values = {"TURN_REALM": "telemed.example.in", "TURN_EXTERNAL_IP": "203.0.113.1"}
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    for name, value in values.items():
        args = [a.replace(f"$({name})", value) for a in args]
print("\n".join(a.replace("/run/secrets/turn/", sys.argv[3]) for a in args))
PY
  ) || return 1
  port=$((34000 + RANDOM % 1000))
  mapfile -t argv <<<"$args"
  printf '    turnserver %s\n' "${argv[*]}"
  timeout 2 turnserver "${argv[@]}" --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port="$port" --tls-listening-port="$((port + 1))" \
    --pidfile="$WORK/turnserver.pid" --db="$WORK/turndb-$source" >"$log" 2>&1
  local status=$?
  if [ "$status" -ne 124 ] || grep -qiE 'unrecognized option|ERROR:' "$log"; then
    echo "turnserver exited with $status:"; tail -5 "$log"; return 1
  fi
  echo "turnserver ran with these arguments until stopped"
}
step "coturn: accepts the compose arguments" coturn_accepts compose
step "coturn: accepts the Kubernetes arguments" coturn_accepts k8s

if [ -n "$STATIC" ]; then
  skip "runtime smoke test (deploy/smoke.sh)" "--static"
else
  step "runtime smoke test: the published server as uid 10001 behind deploy/nginx.conf (deploy/smoke.sh)" deploy/smoke.sh
fi

printf '\n==> Summary\n'
printf '    %s\n' "${RESULTS[@]}"
if [ "$FAILED" -gt 0 ]; then echo "deploy/check.sh: $FAILED step(s) failed"; exit 1; fi
echo "deploy/check.sh: all steps passed"
