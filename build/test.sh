#!/usr/bin/env bash
# The one test command (README.md): restores, builds and runs every test project.
# Everything the tests need is installed or started from here or by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The store contract tests run every semantic against a real redis-server, which they start themselves.
if ! command -v redis-server >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq redis-server >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null; }
    # The package's own service is not needed: the tests start redis-server on a port of their own.
    systemctl disable --now redis-server >/dev/null 2>&1 || true
fi

# The browser tests drive Debian's Chromium (never a browser download of Playwright's own).
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium > /dev/null
fi

# One test project at a time (-m:1): the fault and end-to-end tests start servers, builds and child processes with
# timing bounds, and on a 2-core machine running every project at once starves them.
dotnet test Coldmod.sln --configuration Release -m:1 --logger "console;verbosity=normal" "$@"
