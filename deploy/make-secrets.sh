#!/usr/bin/env bash
# Creates what a deployment keeps secret, in DIR (default deploy/secrets/, git-ignored). Never overwrites.
#   deploy/make-secrets.sh [DIR]                         keys and a compose env file with random passwords
#   deploy/make-secrets.sh --new-prescription-key [DIR]  adds the next prescription signing key (a rotation)
# DIR/access-token/es256.pem           ES256 key for access tokens         -> Auth:SigningKeyPath
# DIR/prescription-keys/NNNNNN-KID.pem  prescription signing keys (P-256)   -> Prescriptions:KeyDirectory
# DIR/message-key/messages.key          32 random bytes codes and links derive from -> Messages:SecretPath
# DIR/compose.env                       POSTGRES_PASSWORD, REDIS_PASSWORD, TURN_SECRET and the public names (deploy/compose.yaml)
# DIR/ca/ca.pem, ca.key                 the deployment's own CA (P-256, 10 years): it signs the certificates below; the
#                                       nodes trust it for Redis (Redis:CaCertificatePath), browsers for nginx if you add it
# DIR/redis/redis.conf, redis.pem, redis.key   Redis: TLS only, its certificate for the name "redis", the password
# DIR/nginx/tls.pem, tls.key            nginx's certificate for TELEMED_HOST (replace both with one from a public CA)
# DIR/turn/turnserver.conf              coturn's static-auth-secret, read as a file (not from its command line)
# DIR/turn/tls.pem, tls.key             coturn's certificate for TURN_HOST, for TURN over TLS (replace both with one from a
#                                       public CA: browsers check it like a web site's)
# Files are readable only by the user of the container that reads them: uid 10001 (the server), 999 (redis), 65534
# (coturn); nginx reads its key as root (chown needs root; otherwise it says how).
set -euo pipefail

new_key_only=""
if [ "${1:-}" = "--new-prescription-key" ]; then new_key_only=1; shift; fi
DIR="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
APP_UID=10001
umask 077

command -v openssl >/dev/null || { echo "openssl is required (apt-get install -y openssl)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

p256_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null; }

# RFC 7638 JWK thumbprint of a P-256 key: the server names each prescription key file after it (its "kid").
thumbprint() {
  openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | python3 -c '
import base64, hashlib, sys
point = sys.stdin.buffer.read()[-65:]          # SubjectPublicKeyInfo ends with the point 04 || X || Y
assert point[0] == 4, "not an uncompressed P-256 point"
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}" % (b64(point[1:33]), b64(point[33:65]))
print(b64(hashlib.sha256(jwk.encode()).digest()))'
}

add_prescription_key() {
  local dir="$DIR/prescription-keys" count temporary kid
  mkdir -p "$dir"
  count=$(find "$dir" -maxdepth 1 -name '*.pem' | wc -l)
  temporary="$dir/new.pem.tmp"
  p256_key >"$temporary"
  kid=$(thumbprint "$temporary")
  mv "$temporary" "$dir/$(printf '%06d' $((count + 1)))-$kid.pem"
  echo "prescription key $(printf '%06d' $((count + 1)))-$kid.pem"
}

random_secret() { openssl rand -base64 32 | tr -d '/+=\n' | cut -c1-40; }

REDIS_UID=999       # the redis user of the redis:7 image
TURN_UID=65534      # nobody, coturn's user in coturn/coturn:4.6

own() {
  local owners=("$APP_UID:access-token" "$APP_UID:prescription-keys" "$APP_UID:message-key" "$APP_UID:ca-certificate" "$REDIS_UID:redis" "$TURN_UID:turn")
  local owner commands=()
  for owner in "${owners[@]}"; do
    [ -d "$DIR/${owner#*:}" ] || continue
    if [ "$(id -u)" -eq 0 ]; then chown -R "${owner%%:*}:${owner%%:*}" "$DIR/${owner#*:}"
    else commands+=("sudo chown -R ${owner%%:*}:${owner%%:*} '$DIR/${owner#*:}'"); fi
  done
  if [ ${#commands[@]} -gt 0 ]; then
    echo "Not root: run  $(printf '%s && ' "${commands[@]}" | sed 's/ && $//')  so the containers' users can read their files." >&2
  fi
}

# certificate NAME DIRECTORY DNS-NAMES... — a P-256 key and a certificate the deployment CA signs for the names (2 years).
certificate() {
  local name="$1" directory="$2"; shift 2
  local names; names=$(printf 'DNS:%s,' "$@"); names="${names%,}"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$directory/$name.key" -subj "/CN=$1" 2>/dev/null |
    openssl x509 -req -CA "$DIR/ca/ca.pem" -CAkey "$DIR/ca/ca.key" -CAcreateserial -CAserial "$DIR/ca/ca.srl" -days 730 -sha256 \
      -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$names") -out "$directory/$name.pem" 2>/dev/null
}

mkdir -p "$DIR"
if [ -n "$new_key_only" ]; then
  add_prescription_key
  own
  echo "Restart the server nodes (or roll the Kubernetes Deployment) so they sign with the new key."
  exit 0
fi

if [ ! -s "$DIR/access-token/es256.pem" ]; then
  mkdir -p "$DIR/access-token"
  p256_key >"$DIR/access-token/es256.pem"
  echo "access-token key access-token/es256.pem"
fi
if [ -z "$(find "$DIR/prescription-keys" -maxdepth 1 -name '*.pem' 2>/dev/null)" ]; then add_prescription_key; fi
if [ ! -s "$DIR/message-key/messages.key" ]; then
  mkdir -p "$DIR/message-key"
  openssl rand 32 >"$DIR/message-key/messages.key"
  echo "message key message-key/messages.key"
fi
chmod 0500 "$DIR/access-token" "$DIR/prescription-keys" "$DIR/message-key"
chmod 0400 "$DIR/access-token"/*.pem "$DIR/prescription-keys"/*.pem "$DIR/message-key/messages.key"

if [ ! -s "$DIR/compose.env" ]; then
  cat >"$DIR/compose.env" <<ENV
# deploy/compose.yaml reads these (docker compose --env-file $DIR/compose.env ...). Secrets: keep this file private.
POSTGRES_PASSWORD=$(random_secret)
REDIS_PASSWORD=$(random_secret)
TURN_SECRET=$(random_secret)
# The names browsers use for the site (nginx's certificate names TELEMED_HOST) and for TURN (coturn's certificate names
# TURN_HOST). TURN_HOST must begin with "turn.": on port 443 nginx sends TLS for such names to coturn (TURN over TLS).
TELEMED_HOST=localhost
TELEMED_PUBLIC_URL=https://localhost
TURN_HOST=turn.localhost
TURN_EXTERNAL_IP=127.0.0.1
TURN_REALM=telemed.local
TELEMED_SECRETS_DIR=$DIR
# SMS (Fast2SMS DLT route) and e-mail (SMTP): replace these placeholders with your account's (docs/messages.md).
FAST2SMS_API_KEY=replace-with-your-fast2sms-key
SMS_SENDER_ID=TLMEDS
DLT_ENTITY_ID=1000000000000000000
DLT_TEMPLATE_SIGN_IN_CODE_EN=1000000000000000001
DLT_TEMPLATE_SIGN_IN_CODE_HI=1000000000000000002
DLT_TEMPLATE_WELCOME_EN=1000000000000000003
DLT_TEMPLATE_WELCOME_HI=1000000000000000004
DLT_TEMPLATE_CHECKED_IN_EN=1000000000000000005
DLT_TEMPLATE_CHECKED_IN_HI=1000000000000000006
DLT_TEMPLATE_PLACES_AHEAD_EN=1000000000000000007
DLT_TEMPLATE_PLACES_AHEAD_HI=1000000000000000008
DLT_TEMPLATE_YOU_ARE_NEXT_EN=1000000000000000009
DLT_TEMPLATE_YOU_ARE_NEXT_HI=1000000000000000010
DLT_TEMPLATE_DOCTOR_CALLING_EN=1000000000000000011
DLT_TEMPLATE_DOCTOR_CALLING_HI=1000000000000000012
DLT_TEMPLATE_SESSION_PAUSED_EN=1000000000000000013
DLT_TEMPLATE_SESSION_PAUSED_HI=1000000000000000014
DLT_TEMPLATE_SESSION_CLOSED_EN=1000000000000000015
DLT_TEMPLATE_SESSION_CLOSED_HI=1000000000000000016
DLT_TEMPLATE_SESSION_CANCELLED_EN=1000000000000000017
DLT_TEMPLATE_SESSION_CANCELLED_HI=1000000000000000018
DLT_TEMPLATE_PRESCRIPTION_READY_EN=1000000000000000019
DLT_TEMPLATE_PRESCRIPTION_READY_HI=1000000000000000020
DLT_TEMPLATE_PAYMENT_RECEIPT_EN=1000000000000000021
DLT_TEMPLATE_PAYMENT_RECEIPT_HI=1000000000000000022
DLT_TEMPLATE_PAYMENT_REFUND_EN=1000000000000000023
DLT_TEMPLATE_PAYMENT_REFUND_HI=1000000000000000024
DLT_TEMPLATE_FOLLOW_UP_REMINDER_EN=1000000000000000025
DLT_TEMPLATE_FOLLOW_UP_REMINDER_HI=1000000000000000026
DLT_TEMPLATE_BOOKING_REMINDER_EN=1000000000000000027
DLT_TEMPLATE_BOOKING_REMINDER_HI=1000000000000000028
DLT_TEMPLATE_BOOKING_CANCELLED_EN=1000000000000000029
DLT_TEMPLATE_BOOKING_CANCELLED_HI=1000000000000000030
DLT_TEMPLATE_BOOKING_MOVED_EN=1000000000000000033
DLT_TEMPLATE_BOOKING_MOVED_HI=1000000000000000034
DLT_TEMPLATE_RECORD_LINK_CODE_EN=1000000000000000031
DLT_TEMPLATE_RECORD_LINK_CODE_HI=1000000000000000032
SMTP_HOST=smtp.example.in
SMTP_PORT=587
SMTP_USERNAME=
SMTP_PASSWORD=
SMTP_FROM=no-reply@example.in
ENV
  echo "compose env file compose.env (edit TELEMED_HOST, TELEMED_PUBLIC_URL, TURN_HOST, TURN_EXTERNAL_IP, the SMS and SMTP settings)"
fi

# The files below carry the same passwords as compose.env (written once, above) and a certificate for its host name.
# shellcheck disable=SC1091
. "$DIR/compose.env"
if [ ! -s "$DIR/ca/ca.pem" ]; then
  mkdir -p "$DIR/ca"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$DIR/ca/ca.key" -out "$DIR/ca/ca.pem" -days 3650 -sha256 \
    -subj "/CN=Telemed deployment CA" -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "deployment CA ca/ca.pem"
fi
# The nodes need only the CA's certificate, never its key.
if [ ! -s "$DIR/ca-certificate/ca.pem" ]; then mkdir -p "$DIR/ca-certificate"; cp "$DIR/ca/ca.pem" "$DIR/ca-certificate/ca.pem"; fi
if [ ! -s "$DIR/redis/redis.conf" ]; then
  mkdir -p "$DIR/redis"
  certificate redis "$DIR/redis" redis
  cat >"$DIR/redis/redis.conf" <<CONF
# Redis for deploy/compose.yaml: TLS only, a password, append-only persistence.
port 0
tls-port 6379
tls-cert-file /run/secrets/redis/redis.pem
tls-key-file /run/secrets/redis/redis.key
tls-auth-clients no
requirepass $REDIS_PASSWORD
appendonly yes
CONF
  echo "redis redis/redis.conf (TLS, password)"
fi
if [ ! -s "$DIR/nginx/tls.pem" ]; then
  mkdir -p "$DIR/nginx"
  certificate tls "$DIR/nginx" "$TELEMED_HOST"
  echo "nginx certificate nginx/tls.pem for $TELEMED_HOST (signed by ca/ca.pem; replace with one from a public CA)"
fi
if [ ! -s "$DIR/turn/turnserver.conf" ]; then
  mkdir -p "$DIR/turn"
  printf '# coturn reads its shared secret here, not from its command line (which any process may read).\nstatic-auth-secret=%s\n' "$TURN_SECRET" >"$DIR/turn/turnserver.conf"
  echo "coturn secret turn/turnserver.conf"
fi
if [ ! -s "$DIR/turn/tls.pem" ]; then
  certificate tls "$DIR/turn" "$TURN_HOST"
  echo "coturn certificate turn/tls.pem for $TURN_HOST (signed by ca/ca.pem; replace with one from a public CA)"
fi
chmod 0500 "$DIR/ca-certificate" "$DIR/redis" "$DIR/nginx" "$DIR/turn"
chmod 0400 "$DIR/ca-certificate/ca.pem" "$DIR/redis"/* "$DIR/nginx"/* "$DIR/turn"/*
own
