#!/usr/bin/env bash
# Debian packages the test suite needs on a fresh Debian 12 machine:
# PostgreSQL 15 binaries (tests start their own throwaway servers, so a
# cluster Debian auto-starts on 5432 does not matter), Chromium for the e2e
# tests, a Secret Service (gnome-keyring + dbus) for the keytar test, and
# openssl, with which the TLS tests make their throwaway certificates.
# libsecret-1-dev lets npm build keytar, so the full suite runs with the
# keychain package built. keytar is an optional dependency: without this
# package `npm ci` still succeeds (keytar is left out), but the keytar tests
# then fail: the full suite expects the keychain package built.
# Idempotent: installs only what is missing, runs `apt-get update` at most once.
set -euo pipefail

PACKAGES=(postgresql chromium gnome-keyring dbus dbus-x11 libsecret-1-dev openssl)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  SUDO=(sudo)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
else
  echo "system packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# The harness runs initdb/pg_ctl from here; fail early and clearly if absent.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  echo "PostgreSQL 15 binaries not found in /usr/lib/postgresql/15/bin" >&2
  exit 1
fi
