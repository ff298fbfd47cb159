#!/usr/bin/env bash
# Telemed for a demo or development: ./run.sh   (Ctrl-C stops the server; ./run.sh stop stops the database;
# ./run.sh code prints the demo admin's current authenticator code)
set -euo pipefail
cd "$(dirname "$0")"
source deploy/local/services.sh

PG_PORT="${TELEMED_PG_PORT:-55432}"
URL="${TELEMED_URL:-http://127.0.0.1:5080}"
ABDM_URL="${TELEMED_ABDM_URL:-http://127.0.0.1:5081}"

# The demo admin's authenticator key (published, like the demo password: the demo seed is refused in Production).
DEMO_TOTP_SECRET="${TELEMED_DEMO_TOTP_SECRET:-TELEMEDDEMOADMINTOTPSECRET234567}"
# The code an authenticator app holding that key shows now (RFC 6238: HMAC-SHA1, 30 s, 6 digits).
demo_totp() {
  python3 -c 'import base64,hmac,struct,sys,time; k=base64.b32decode(sys.argv[1]); h=hmac.digest(k, struct.pack(">Q", int(time.time())//30), "sha1"); o=h[-1]&15; print("%06d" % ((struct.unpack(">I", h[o:o+4])[0]&0x7fffffff)%1000000))' "$DEMO_TOTP_SECRET"
}
if [ "${1:-}" = "code" ]; then
  demo_totp
  exit 0
fi

if [ "${1:-}" = "stop" ]; then
  pg_stop "$(pg_dir "$PWD/.data/pg")"
  echo "PostgreSQL stopped."
  exit 0
fi

ensure_postgres
ensure_pdf_fonts
PG_DIR="$(pg_dir "$PWD/.data/pg")"
echo "==> Building"
build_web_client
dotnet build src/Telemed.Server -c Release -nologo -v quiet
dotnet build tests/Telemed.AbdmSimulator -c Release -nologo -v quiet
pg_start "$PG_DIR" "$PG_PORT"
pg_ensure_database "$PG_PORT" telemed

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=telemed"
export Auth__SigningKeyPath="$PWD/.data/keys/access-token-es256.pem"
export Demo__Seed=true
export Demo__Password="${TELEMED_DEMO_PASSWORD:-telemed-demo}"
export Demo__AdminTotpSecret="$DEMO_TOTP_SECRET"
export Auth__DataProtectionKeysPath="$PWD/.data/keys/data-protection"
export Messages__SecretPath="$PWD/.data/keys/messages.key"
export Messages__PublicUrl="$URL"
# No SMS gateway or mail server here: messages go to the development sink (refused in Production).
export Sms__Provider="${Sms__Provider:-Sink}"
export Email__Provider="${Email__Provider:-Sink}"

# ABDM is out of reach here: the simulator stands in for it (ABHA service, gateway, PHR app, HPR and HFR), unless
# Abdm__ClientId is set, which points Telemed at the real ABDM (README, "ABDM").
if [ -z "${Abdm__ClientId:-}" ]; then
  dotnet tests/Telemed.AbdmSimulator/bin/Release/net10.0/Telemed.AbdmSimulator.dll --urls "$ABDM_URL" \
    --Simulator:BridgeUrl="$URL" --Logging:LogLevel:Default=Warning &
  SIMULATOR_PID=$!
  trap 'kill "$SIMULATOR_PID" 2>/dev/null; wait "$SIMULATOR_PID" 2>/dev/null || true' EXIT
  export Abdm__GatewayUrl="$ABDM_URL" Abdm__AbhaUrl="$ABDM_URL/abha/api" Abdm__RegistryUrl="$ABDM_URL/v4/int"
  export Abdm__ClientId=SBX_TELEMED Abdm__ClientSecret=telemed-sandbox-secret Abdm__HipId=IN2710000123
fi

cat <<INFO

Telemed is starting on $URL  (PostgreSQL on 127.0.0.1:$PG_PORT, data in .data/)
  API document   $URL/openapi/v1.json
  Staff sign-in  POST $URL/api/auth/sign-in  {"email":"admin@telemed.local","password":"$Demo__Password"}
                 the admin's second step: POST $URL/api/auth/mfa/verify {"challenge":"…","code":"…"} with the code of an
                 authenticator app holding the demo key $DEMO_TOTP_SECRET (./run.sh code prints its code now)
                 doctors asha.verma@telemed.local, rahul.nair@telemed.local; pharmacist meena.iyer@telemed.local (same password)
  Patients       POST $URL/api/auth/otp {"mobile":"9876543210"}; the SMS with the code is at $URL/api/dev/messages?to=9876543210
                 (the development sink: every SMS and e-mail lands there); then POST $URL/api/auth/otp/verify {"mobile":"9876543210","code":"123456"}
  ABDM           the simulator at $ABDM_URL/ lists the OTPs it "sent" (ABHA verification and creation); a PHR app's
                 Scan & Share: POST $ABDM_URL/simulator/phr/share {"abhaAddress":"priya.sharma@sbx","hipId":"IN2710000123","context":"REG-1"}
  Ctrl-C stops the server; ./run.sh stop stops PostgreSQL.

INFO
dotnet src/Telemed.Server/bin/Release/net10.0/Telemed.Server.dll --urls "$URL" --contentRoot "$PWD/src/Telemed.Server"
