#!/usr/bin/env bash
# Installs everything the build, the tests and the run need, on Debian 12, as root.
# Idempotent and non-interactive: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/apt-packages.txt | grep -v '^$')
missing=()
for pkg in "${wanted[@]}"; do
  # nodejs/npm may come from elsewhere on the machine (e.g. a newer Node); accept any working one.
  if [[ "$pkg" == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ "$pkg" == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages and not root; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ -f web/package-lock.json ]]; then
  # npm ci only when the lock file changed since the last install.
  stamp=web/node_modules/.meridian-lock-stamp
  if [[ ! -f "$stamp" ]] || ! cmp -s web/package-lock.json "$stamp"; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
fi
