#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME
# keyring (Secret Service), so the keytar-backed secret store can be tested
# for real on a headless machine. Sets RELAY_TEST_KEYRING=1 for the tests
# when the keyring came up; without dbus-run-session/gnome-keyring it runs the
# command as is (those tests then skip or fail on their own terms).
#   usage: .ci/with-keyring.sh npm test
set -euo pipefail

if [ "${RELAY_IN_KEYRING_SESSION:-}" = "1" ]; then
  # Second stage, inside dbus-run-session: unlock a throwaway keyring.
  export XDG_DATA_HOME
  XDG_DATA_HOME="$(mktemp -d)"
  trap 'rm -rf "$XDG_DATA_HOME"' EXIT
  if eval "$(printf 'ci-keyring-password' | gnome-keyring-daemon --replace --unlock --components=secrets)"; then
    export GNOME_KEYRING_CONTROL RELAY_TEST_KEYRING=1
  else
    echo "with-keyring: gnome-keyring-daemon did not start; running without a keyring" >&2
  fi
  status=0
  "$@" || status=$?
  exit "$status"
fi

if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec env RELAY_IN_KEYRING_SESSION=1 dbus-run-session -- bash "$0" "$@"
fi
echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing; running without a keyring" >&2
exec "$@"
