#!/usr/bin/env bash
# Runs what deploy/ describes, without Docker, on 127.0.0.1 only: the image's build steps on a copy of the sources,
# two server nodes as uid 10001 with the compose environment and read-only keys from make-secrets.sh, PostgreSQL,
# Redis over TLS with its password, coturn with TURN over TLS, and nginx with deploy/nginx.conf in front (HTTPS with
# make-secrets.sh's certificate, TURN over TLS on the same port, HTTP redirecting). Then checks health (with the image's
# own health probe), the web client, round-robin for the API, one access-token key and one prescription key for both
# nodes, SignalR through nginx (negotiated, stateful reconnect, sticky) and a TURN server answering over TLS through it.
#   deploy/smoke.sh      (about 3 minutes; everything it makes is under .data/deploy-smoke/, removed at the start)
# Ports: TELEMED_SMOKE_PORT (nginx's HTTPS, default 5190) and the next eight for nodes A and B, PostgreSQL, Redis,
# nginx's plain HTTP, nginx's two inner hops (HTTPS, TURN) and coturn's TLS port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
# shellcheck source=deploy/local/services.sh
source deploy/local/services.sh

WORK="$ROOT/.data/deploy-smoke"
NGINX_PORT="${TELEMED_SMOKE_PORT:-5190}"
PORT_A=$((NGINX_PORT + 1)) PORT_B=$((NGINX_PORT + 2)) PG_PORT=$((NGINX_PORT + 3)) REDIS_PORT=$((NGINX_PORT + 4)) NGINX_HTTP_PORT=$((NGINX_PORT + 5))
NGINX_HTTPS_HOP=$((NGINX_PORT + 6)) NGINX_TURN_HOP=$((NGINX_PORT + 7)) TURN_TLS_PORT=$((NGINX_PORT + 8))
APP_UID=10001
PIDS=()
FAILED=0

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -s "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  [ -s "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  pg_stop "$WORK/pg"
}
trap stop_all EXIT

ok() { echo "    ok: $*"; }
fail() { echo "    FAIL: $*"; FAILED=$((FAILED + 1)); }
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }

for port in "$NGINX_PORT" "$PORT_A" "$PORT_B" "$PG_PORT" "$REDIS_PORT" "$NGINX_HTTP_PORT" "$NGINX_HTTPS_HOP" "$NGINX_TURN_HOP" "$TURN_TLS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use; set TELEMED_SMOKE_PORT" >&2; exit 1; fi
done

echo "==> Tools"
ensure_postgres
ensure_pdf_fonts
ensure_debian_packages redis-server:redis-server /usr/sbin/nginx:nginx-light /usr/lib/nginx/modules/ngx_stream_module.so:libnginx-mod-stream \
  turnserver:coturn setpriv:util-linux openssl:openssl
if [ -d "$WORK" ]; then pg_stop "$WORK/pg"; rm -rf "$WORK"; fi
mkdir -p "$WORK"
chmod 755 "$WORK"

echo "==> Build as deploy/Dockerfile does: a clean copy of the sources, npm ci + vite build, dotnet publish"
(cd "$ROOT" && tar --exclude=bin --exclude=obj --exclude=wwwroot --exclude=node_modules -cf - \
  Directory.Build.props Directory.Packages.props src/Telemed.Domain src/Telemed.Server \
  web-client/package.json web-client/package-lock.json web-client/*.html web-client/public \
  web-client/tsconfig.json web-client/vite.config.ts web-client/src) | { mkdir -p "$WORK/src"; tar -C "$WORK/src" -xf -; }
(cd "$WORK/src/web-client" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build >/dev/null)
for page in "$ROOT"/web-client/*.html; do test -f "$WORK/src/src/Telemed.Server/wwwroot/$(basename "$page")"; done
dotnet publish "$WORK/src/src/Telemed.Server/Telemed.Server.csproj" -c Release -o "$WORK/app" -p:UseAppHost=false -nologo -v quiet
chmod -R a+rX,go-w "$WORK/app"

echo "==> Secrets (deploy/make-secrets.sh) owned by uid $APP_UID, read-only"
deploy/make-secrets.sh "$WORK/secrets" >/dev/null
touch "$WORK/secrets-made"
# As the secret mounts are: a read-only directory the server can read but not change.
chown root:root "$WORK/secrets"; chmod 755 "$WORK/secrets"
KID=$(find "$WORK/secrets/prescription-keys" -name '*.pem' -printf '%f\n' | sed 's/^[0-9]*-//; s/\.pem$//')
set -a
# shellcheck disable=SC1091
source "$WORK/secrets/compose.env"
set +a
# nginx's certificate (for localhost) and Redis's (for "redis") are signed by the deployment's CA.
CA="$WORK/secrets/ca/ca.pem"
curl() { command curl --cacert "$CA" "$@"; }
export NODE_EXTRA_CA_CERTS="$CA"

echo "==> PostgreSQL 127.0.0.1:$PG_PORT, Redis 127.0.0.1:$REDIS_PORT"
pg_start "$WORK/pg" "$PG_PORT"
"$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE ROLE telemed LOGIN PASSWORD '$POSTGRES_PASSWORD'" >/dev/null
"$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE telemed OWNER telemed" >/dev/null
redis-server "$WORK/secrets/redis/redis.conf" --tls-port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --daemonize yes \
  --tls-cert-file "$WORK/secrets/redis/redis.pem" --tls-key-file "$WORK/secrets/redis/redis.key" \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" >/dev/null

# The environment compose gives telemed-a (interpolated by docker-compose when it is installed, else read directly),
# pointed at the local PostgreSQL, Redis and key files; plus the image's own ENV.
node_env() {
  local port="$1" tmp="$WORK/tmp-$1"
  mkdir -p "$tmp"; chown "$APP_UID:$APP_UID" "$tmp"; chmod 700 "$tmp"
  python3 - "$port" "$tmp" <<'PY'
import os, re, shutil, subprocess, sys
import yaml
port, tmp = sys.argv[1], sys.argv[2]
if shutil.which("docker-compose"):
    config = yaml.safe_load(subprocess.run(["docker-compose", "-f", "deploy/compose.yaml", "config"], check=True,
                                           capture_output=True, text=True).stdout)
    env = config["services"]["telemed-a"]["environment"]
else:
    raw = yaml.safe_load(open("deploy/compose.yaml"))["services"]["telemed-a"]["environment"]
    env = {k: re.sub(r"\$\{(\w+)(:[-?][^}]*)?\}", lambda m: os.environ.get(m.group(1), ""), str(v)) for k, v in raw.items()}
work = os.path.dirname(tmp)
env["Database__ConnectionString"] = env["Database__ConnectionString"].replace("Host=postgres;Port=5432", f"Host=127.0.0.1;Port={os.environ['PG_PORT']}")
env["Redis__ConnectionString"] = env["Redis__ConnectionString"].replace("redis:6379", f"127.0.0.1:{os.environ['REDIS_PORT']}") + ",sslHost=redis"
env = {k: str(v).replace("/run/secrets/", f"{work}/secrets/").replace("/var/lib/telemed/", f"{work}/var/") for k, v in env.items()}
# nginx runs on loopback here, not on compose's network.
env = {k: v for k, v in env.items() if not k.startswith("Security__TrustedProxies__")}
# The checks sign in with the demo accounts, which the server refuses to seed in Production: Staging is the image in
# every other respect.
env.update({"Security__TrustedProxies__0": "127.0.0.1/32", "Demo__Seed": "true", "ASPNETCORE_ENVIRONMENT": "Staging", "ASPNETCORE_URLS": f"http://127.0.0.1:{port}", "ASPNETCORE_HTTP_PORTS": "",
            "HOME": tmp, "TMPDIR": tmp, "PATH": "/usr/local/bin:/usr/bin:/bin", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"})
for key, value in env.items():
    print(f"{key}={value}")
PY
}
export PG_PORT REDIS_PORT
# compose's shared volume for Data Protection's key ring: both nodes read what either encrypted (staff authenticators).
install -d -o "$APP_UID" -g "$APP_UID" -m 700 "$WORK/var" "$WORK/var/data-protection"

# B starts once A is ready: the demo seeding (Demo:Seed, on here to sign in) is not safe when two nodes seed an empty
# database at the same moment (a stream-id collision stops one of them); production runs with Demo:Seed=false.
echo "==> Two nodes as uid $APP_UID: A 127.0.0.1:$PORT_A, then B 127.0.0.1:$PORT_B"
for port in "$PORT_A" "$PORT_B"; do
  mapfile -t environment < <(node_env "$port")
  (cd "$WORK/app" && exec setpriv --reuid="$APP_UID" --regid="$APP_UID" --clear-groups \
    env -i "${environment[@]}" dotnet Telemed.Server.dll >"$WORK/node-$port.log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 120); do TELEMED_HEALTH_PORT=$port deploy/healthcheck.sh /health/ready 2>/dev/null && break; sleep 1; done
done

# coturn as compose runs it for TURN over TLS (its certificate from make-secrets.sh), on loopback.
turnserver -c "$WORK/secrets/turn/turnserver.conf" --use-auth-secret --realm=telemed.local --no-cli --no-dtls --fingerprint \
  --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --no-udp --listening-port="$TURN_TLS_PORT" --tls-listening-port="$TURN_TLS_PORT" \
  --cert="$WORK/secrets/turn/tls.pem" --pkey="$WORK/secrets/turn/tls.key" --no-tlsv1 --no-tlsv1_1 \
  --pidfile="$WORK/turnserver.pid" --log-file=stdout --simple-log >"$WORK/turnserver.log" 2>&1 &
PIDS+=($!)

# Debian's nginx builds the stream module as a loadable one; the image's has it built in.
{ echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"; cat deploy/nginx.conf; } |
sed -e "s/server telemed-a:8080/server 127.0.0.1:$PORT_A/; s/server telemed-b:8080/server 127.0.0.1:$PORT_B/; s/server coturn:5349/server 127.0.0.1:$TURN_TLS_PORT/" \
    -e "s/listen 8443;/listen 127.0.0.1:$NGINX_PORT;/; s/listen 8080;/listen 127.0.0.1:$NGINX_HTTP_PORT;/" \
    -e "s/127.0.0.1:8444/127.0.0.1:$NGINX_HTTPS_HOP/; s/127.0.0.1:8445/127.0.0.1:$NGINX_TURN_HOP/" \
    -e "s#pid /tmp/nginx.pid;#pid $WORK/nginx.pid;#; s#/run/secrets/nginx-tls/#$WORK/secrets/nginx/#" \
    -e "s#/tmp/#$WORK/nginx-tmp/#; s#access_log /dev/stdout#access_log $WORK/nginx-access.log#" >"$WORK/nginx.conf"
version=$(/usr/sbin/nginx -v 2>&1 | sed -n 's#.*nginx/##p')
[ "$(printf '%s\n1.27.3\n' "$version" | sort -V | head -1)" = "1.27.3" ] || sed -i 's/ resolve / /' "$WORK/nginx.conf"
[ "$(printf '%s\n1.25.1\n' "$version" | sort -V | head -1)" = "1.25.1" ] || sed -i '/^ *http2 on;/d' "$WORK/nginx.conf"
mkdir -p "$WORK/nginx-tmp"
/usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log"
echo "==> nginx https://localhost:$NGINX_PORT and http://127.0.0.1:$NGINX_HTTP_PORT with deploy/nginx.conf (upstreams on loopback)"

echo "==> Checks"
for port in "$PORT_A" "$PORT_B"; do
  if TELEMED_HEALTH_PORT=$port deploy/healthcheck.sh /health/live && TELEMED_HEALTH_PORT=$port deploy/healthcheck.sh /health/ready; then
    ok "node $port: the image's probe (telemed-healthcheck) passes for /health/live and /health/ready (PostgreSQL + Redis)"
  else fail "node $port not healthy; log: $WORK/node-$port.log"; tail -20 "$WORK/node-$port.log"; fi
done
if grep -q "Overriding HTTP_PORTS" "$WORK"/node-*.log; then fail "ASPNETCORE_URLS and HTTP_PORTS both set: warning logged"; else ok "no port-override warning (ASPNETCORE_HTTP_PORTS emptied)"; fi

BASE="https://localhost:$NGINX_PORT"
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$NGINX_HTTP_PORT/verify/x?y=1")
if [ "$redirect" = "301 https://127.0.0.1/verify/x?y=1" ]; then ok "plain HTTP redirects to HTTPS ($redirect)"; else fail "plain HTTP answered $redirect"; fi
if curl -sf "$BASE/health/live" >/dev/null; then ok "HTTPS with the certificate make-secrets.sh made, checked against its CA"; else fail "HTTPS through nginx"; fi
for _ in 1 2 3 4; do curl -sf "$BASE/health/ready" >/dev/null || fail "GET /health/ready through nginx"; done
upstreams=$(grep '/health/ready' "$WORK/nginx-access.log" | grep -o '"127.0.0.1:[0-9]*"' | sort -u | wc -l)
if [ "$upstreams" -eq 2 ]; then ok "round-robin: /health/ready answered by both nodes"; else fail "round-robin: $upstreams upstream(s) seen"; fi
if grep -q 'access_token' "$WORK/nginx-access.log"; then fail "nginx access log contains access_token"; fi
# To a file first: grep -q stops reading at the first match, and curl, still writing, would fail with SIGPIPE.
if curl -sf "$BASE/" -o "$WORK/index.html" && grep -qi '<html' "$WORK/index.html"; then ok "web client served (GET / through nginx)"; else fail "GET / did not return the web client"; fi
if curl -sf "$BASE/board.html" | grep -qi '<html'; then ok "queue board served (GET /board.html)"; else fail "GET /board.html did not return the board"; fi

# The demo admin signs in in two steps: the password, then its authenticator's code (the published demo key). The
# round robin sends the two steps to different nodes, so the second reads a secret the other node's sign-in started.
CHALLENGE=$(curl -sf -X POST "$BASE/api/auth/sign-in" -H 'Content-Type: application/json' \
  -d '{"email":"admin@telemed.local","password":"telemed-demo"}' | json '["challenge"]') || CHALLENGE=""
TOTP=$(python3 -c 'import base64,hmac,struct,time; k=base64.b32decode("TELEMEDDEMOADMINTOTPSECRET234567"); h=hmac.digest(k, struct.pack(">Q", int(time.time())//30), "sha1"); o=h[-1]&15; print("%06d" % ((struct.unpack(">I", h[o:o+4])[0]&0x7fffffff)%1000000))')
ADMIN=$(curl -sf -X POST "$BASE/api/auth/mfa/verify" -H 'Content-Type: application/json' \
  -d "{\"challenge\":\"$CHALLENGE\",\"code\":\"$TOTP\"}" | json '["accessToken"]') || ADMIN=""
if [ -n "$ADMIN" ]; then ok "the demo admin signs in with password and authenticator code through nginx (two nodes, one key ring)"
else fail "the demo admin's two-step sign-in through nginx"; fi
DOCTOR=$(curl -sf -X POST "$BASE/api/auth/sign-in" -H 'Content-Type: application/json' \
  -d '{"email":"asha.verma@telemed.local","password":"telemed-demo"}' | json '["accessToken"]') || DOCTOR=""
if [ -n "$DOCTOR" ] && curl -sf "http://127.0.0.1:$PORT_A/api/me" -H "Authorization: Bearer $DOCTOR" >/dev/null \
   && curl -sf "http://127.0.0.1:$PORT_B/api/me" -H "Authorization: Bearer $DOCTOR" >/dev/null; then
  ok "one access token works on both nodes (both read the mounted access-token key)"
else fail "sign-in through nginx or the token on both nodes"; fi
for port in "$PORT_A" "$PORT_B"; do
  if curl -sf "http://127.0.0.1:$port/.well-known/jwks.json" | grep -q "\"$KID\""; then ok "node $port publishes the mounted prescription key $KID"
  else fail "node $port does not publish the mounted prescription key"; fi
done
if [ "$(find "$WORK/secrets" -newer "$WORK/secrets-made" -type f | wc -l)" -eq 0 ]; then ok "no key file written by the servers"
else fail "a server wrote into the key directories"; fi

echo "    SignalR /hubs/queue and /hubs/consultation through nginx, 10 pairs of connections as the web client opens them:"
export TELEMED_WEB_CLIENT="$WORK/src/web-client"
negotiate=$(node deploy/validate/hub-probe.cjs "$BASE" "$DOCTOR" 10 negotiate)
echo "      $negotiate"
if [ "$negotiate" = "negotiate: 10 of 10 started" ]; then ok "negotiated WebSockets with stateful reconnect: every connection starts through nginx"
else fail "negotiated WebSockets through nginx"; fi
hub_upstreams=$(grep -E '/hubs/(queue|consultation)' "$WORK/nginx-access.log" | grep -o '"127.0.0.1:[0-9]*"' | sort -u | wc -l)
if [ "$hub_upstreams" -eq 1 ]; then ok "sticky: every hub request from this client reached one node"; else fail "sticky: hub requests reached $hub_upstreams nodes"; fi

# A STUN Binding request over TLS to TURN_HOST on nginx's port: the answer must come from coturn, through a TLS session
# whose certificate names TURN_HOST and is signed by the deployment's CA.
turn_answer=$(python3 - "$NGINX_PORT" "$TURN_HOST" "$CA" <<'PY'
import os, socket, ssl, struct, sys
port, host, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=ca)
transaction = os.urandom(12)
with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, context.wrap_socket(raw, server_hostname=host) as tls:
    tls.sendall(struct.pack("!HHI", 0x0001, 0, 0x2112A442) + transaction)
    header = b""
    while len(header) < 20:
        header += tls.recv(20 - len(header)) or sys.exit("closed")
    kind, _, cookie = struct.unpack("!HHI", header[:8])
    print("binding success" if kind == 0x0101 and cookie == 0x2112A442 and header[8:] == transaction else f"type {kind:#06x}")
PY
) || turn_answer="failed"
if [ "$turn_answer" = "binding success" ]; then ok "TURN over TLS through nginx's HTTPS port: coturn answers for $TURN_HOST, its certificate checked against the CA"
else fail "TURN over TLS through nginx for $TURN_HOST: $turn_answer (log: $WORK/turnserver.log)"; fi
if curl -sf "$BASE/health/live" >/dev/null && ! curl -sf --connect-to "$TURN_HOST:$NGINX_PORT:127.0.0.1:$NGINX_PORT" "https://$TURN_HOST:$NGINX_PORT/health/live" >/dev/null 2>&1; then
  ok "the site's name reaches the site and TURN_HOST only coturn"
else fail "nginx sends HTTPS for $TURN_HOST to the site"; fi

status=$(curl -s -o "$WORK/rotate.json" -w '%{http_code}' -X POST "$BASE/api/admin/prescription-keys" -H "Authorization: Bearer $ADMIN")
echo "    note: key rotation over HTTP with read-only key files answers $status ($(head -c 160 "$WORK/rotate.json"))"

node deploy/validate/hub-probe.cjs "http://127.0.0.1:$PORT_A" "$DOCTOR" 1 hold >"$WORK/hold.log" 2>&1 &
HOLD_PID=$!
for _ in $(seq 50); do grep -q holding "$WORK/hold.log" && break; sleep 0.1; done
stop_started=$(date +%s%N)
kill -TERM "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
echo "    note: node A, holding open hub WebSockets (one queue, one consultation), exited $(( ($(date +%s%N) - stop_started) / 1000000 )) ms after SIGTERM (draining first for Shutdown:DrainSeconds);" \
  "the client saw: $(grep -c 'closed by the server' "$WORK/hold.log") of 2 closed"
kill "$HOLD_PID" 2>/dev/null || true

echo
if [ "$FAILED" -gt 0 ]; then echo "deploy/smoke.sh: $FAILED check(s) failed (logs in $WORK)"; exit 1; fi
echo "deploy/smoke.sh: all checks passed"
