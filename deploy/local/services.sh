# Shared by run.sh and test.sh: install what is missing and run private servers without Docker.
# Source it; every function fails loudly.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=""
# ensure_debian_packages CMD_OR_PATH:PACKAGE ... — installs PACKAGE when CMD_OR_PATH is missing.
ensure_debian_packages() {
  local missing=() spec probe package
  for spec in "$@"; do
    probe="${spec%%:*}"; package="${spec#*:}"
    if [[ "$probe" == /* ]]; then compgen -G "$probe" >/dev/null && continue
    else command -v "$probe" >/dev/null && continue; fi
    missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  # policy-rc.d exit 101 keeps the packages' own services (a default PostgreSQL on 5432) from starting.
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null; as_root chmod +x "$policy"; created=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ -n "$created" ] && as_root rm -f "$policy"
  return 0
}

ensure_postgres() { ensure_debian_packages "/usr/lib/postgresql/*/bin/initdb:postgresql"; }

# Prescription PDFs: DejaVu for Latin, Lohit for each Indian script, and the font library SkiaSharp loads.
ensure_pdf_fonts() {
  local lohit=/usr/share/fonts/truetype
  ensure_debian_packages $lohit/dejavu/DejaVuSans.ttf:fonts-dejavu-core "/usr/lib/*/libfontconfig.so.1:libfontconfig1" \
    $lohit/lohit-devanagari/Lohit-Devanagari.ttf:fonts-lohit-deva $lohit/lohit-bengali/Lohit-Bengali.ttf:fonts-lohit-beng-bengali \
    $lohit/lohit-punjabi/Lohit-Gurmukhi.ttf:fonts-lohit-guru $lohit/lohit-gujarati/Lohit-Gujarati.ttf:fonts-lohit-gujr \
    $lohit/lohit-oriya/Lohit-Odia.ttf:fonts-lohit-orya $lohit/lohit-tamil/Lohit-Tamil.ttf:fonts-lohit-taml \
    $lohit/lohit-telugu/Lohit-Telugu.ttf:fonts-lohit-telu $lohit/lohit-kannada/Lohit-Kannada.ttf:fonts-lohit-knda \
    $lohit/lohit-malayalam/Lohit-Malayalam.ttf:fonts-lohit-mlym
}

# The browser client: npm packages from the lock file, built into the server's wwwroot.
build_web_client() {
  (cd web-client && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run --silent build >/dev/null)
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

# Commands that touch the cluster run as the postgres user when we are root (initdb refuses root).
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# pg_dir PREFERRED — where a cluster lives: PREFERRED (under the repo's .data/) when the postgres user can reach it;
# otherwise (a clone inside a private folder such as mktemp -d) a folder under /var/tmp named after PREFERRED.
pg_dir() {
  local preferred="$1" parent; parent="$(dirname "$preferred")"
  mkdir -p "$parent"
  if [ "$(id -u)" -ne 0 ]; then echo "$preferred"; return 0; fi
  chmod 755 "$parent"
  if runuser -u postgres -- test -x "$parent"; then echo "$preferred"; return 0; fi
  echo "/var/tmp/telemed-pg/$(printf %s "$preferred" | sha1sum | cut -c1-12)"
}

# pg_start DATA_DIR PORT — creates the cluster on first use, starts it unless it already runs.
pg_start() {
  local dir="$1" port="$2" bin; bin="$(pg_bin)"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$(dirname "$dir")"; chown postgres:postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "PostgreSQL (user postgres) cannot reach $dir: a parent folder is not traversable (use pg_dir to choose the folder)." >&2
      return 1
    fi
  fi
  if [ ! -s "$dir/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; return 1; }
  fi
  if as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then return 0; fi
  as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; return 1; }
}

pg_stop() {
  local dir="$1"
  [ -s "$dir/PG_VERSION" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_ensure_database PORT NAME
pg_ensure_database() {
  local port="$1" name="$2" psql; psql="$(pg_bin)/psql"
  if ! "$psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}
