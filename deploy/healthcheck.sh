#!/usr/bin/env bash
# Container health probe without curl or wget (the .NET runtime image has neither): one HTTP/1.1 GET over
# bash's /dev/tcp to the server in the same container. Exit 0 when it answers 200.
#   telemed-healthcheck [PATH]   PATH defaults to /health/live; the port is TELEMED_HEALTH_PORT (8080).
set -eu
path="${1:-/health/live}"
port="${TELEMED_HEALTH_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS=' ' read -r -t 5 _ status _ <&3
[ "$status" = 200 ]
