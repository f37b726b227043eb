#!/usr/bin/env bash
# Installs the third-party spamd clients the hamletd tests drive, outside the project's
# node_modules: npm `spamc` and Haraka with haraka-plugin-spamassassin into
# $HAMLET_SPAMD_CLIENTS (default ~/.cache/hamlet-spamd-clients); swaks and amavisd-new
# from apt when we may. Tests that find a client missing report "skipped: ...".
set -euo pipefail
DIR="${HAMLET_SPAMD_CLIENTS:-$HOME/.cache/hamlet-spamd-clients}"
mkdir -p "$DIR"
if [ ! -f "$DIR/node_modules/spamc/package.json" ] || [ ! -f "$DIR/node_modules/Haraka/package.json" ]; then
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error spamc@0.0.5 Haraka@3 >/dev/null
fi
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
if ! command -v swaks >/dev/null || ! command -v amavisd >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends swaks amavisd-new >/dev/null || echo "install.sh: swaks/amavisd-new not installed; their tests will be skipped" >&2
fi
echo "$DIR"
