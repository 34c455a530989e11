#!/usr/bin/env bash
# The README's main command: packs Coldmod, starts `coldmod serve` on the embedded SQLite store,
# builds the woven sample from the packages as a user would, runs it against the server, prints
# the sample's cold methods with `coldmod fetch`, prints the heatmap page's URL and keeps the server up until Enter
# (without a terminal, for COLDMOD_DEMO_WAIT seconds, default 3, so CI never hangs), then stops the server.
# Ports: COLDMOD_DEMO_GRPC_PORT (default 7777) and COLDMOD_DEMO_WEB_PORT (default 7778).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== packing Coldmod (artifacts/packages)"
dotnet pack Coldmod.Runtime --configuration Release --nologo -v quiet
dotnet pack Coldmod.Cli --configuration Release --nologo -v quiet
cli="$PWD/Coldmod.Cli/bin/Release/net10.0/coldmod.dll"
coldmod() { dotnet "$cli" "$@"; }

echo "== building samples/Shop with <ColdmodWeave>true</ColdmodWeave>"
# A freshly packed 0.1.0 must replace any earlier one in the sample's own packages folder.
rm -rf artifacts/sample-packages samples/Shop/bin samples/Shop/obj
dotnet build samples/Shop --configuration Release --nologo -v minimal | grep -E "Coldmod|error|warn" || true

work="$(mktemp -d)"
grpc_port="${COLDMOD_DEMO_GRPC_PORT:-7777}"
export COLDMOD_INSECURE=on
export COLDMOD_GRPC_HOST="127.0.0.1:$grpc_port"
export COLDMOD_WEB_HOST="127.0.0.1:${COLDMOD_DEMO_WEB_PORT:-7778}"
export COLDMOD_STORE="$work/coldmod.db"

echo "== coldmod serve on $COLDMOD_GRPC_HOST (store $COLDMOD_STORE, log $work/server.log)"
# Started directly (not through the shell function) so that $! is the server's own PID.
dotnet "$cli" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$grpc_port") 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "coldmod serve did not start:"; cat "$work/server.log"; exit 1; fi
  sleep 0.2
done

echo "== running the sample (ColdmodTracing.Start() reports to the server; it flushes at exit)"
dotnet samples/Shop/bin/Release/net10.0/Shop.dll

echo
echo "== coldmod fetch   (the cold methods, from the server, reconciled with the local build)"
(cd samples/Shop && coldmod fetch)

echo
echo "== the live heatmap: open $(coldmod web --no-open) in a browser"
echo "   to ignore, remove or open the sample's methods from the page (it edits samples/Shop), run in another terminal:"
echo "   cd samples/Shop && COLDMOD_INSECURE=on COLDMOD_GRPC_HOST=$COLDMOD_GRPC_HOST COLDMOD_WEB_HOST=$COLDMOD_WEB_HOST dotnet $cli connect"
if [ -t 0 ]; then
  read -r -p "   (the server stays up; press Enter to stop it) " _
else
  sleep "${COLDMOD_DEMO_WAIT:-3}"
fi
