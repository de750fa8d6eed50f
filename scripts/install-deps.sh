#!/usr/bin/env bash
# Installs everything supplyml needs to build, test and run its demo on Debian 12.
# Idempotent: packages already present are left alone, so running it twice is harmless.
#   scripts/install-deps.sh              install what is missing (root, or through sudo)
#   scripts/install-deps.sh --if-missing what make runs first: silent when nothing is
#                                        missing; installs as root; otherwise prints
#                                        the one command to run and fails
#   scripts/install-deps.sh --fixtures   also R and its forecast package, which only
#                                        regenerate tests/fixtures (never needed by the tests)
set -euo pipefail
mode=install
packages=(
  build-essential cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  postgresql-15-cron
  postgresql-common
  libeigen3-dev libboost-math-dev
  googletest libgtest-dev
  xz-utils ca-certificates
)
for arg in "$@"; do
  case "$arg" in
    --if-missing) mode=if-missing ;;
    --fixtures) packages+=(r-base-core r-cran-forecast) ;;
    *) echo "usage: $0 [--if-missing] [--fixtures]" >&2; exit 2 ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian: the packages above name what to install by other means.
  [ "$mode" = if-missing ] && exit 0
  echo "install-deps: this script knows Debian 12 (apt); install the equivalents of: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  [ "$mode" = if-missing ] || echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if [ "$mode" = if-missing ]; then
    echo "install-deps: missing ${missing[*]}" >&2
    echo "install-deps: install them once with: sudo $(cd "$(dirname "$0")" && pwd)/install-deps.sh" >&2
    exit 1
  fi
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
# The server package would create and start a default cluster; supplyml's harness runs its own.
if [ ! -f /etc/postgresql-common/createcluster.conf ] || ! grep -q '^create_main_cluster = false' /etc/postgresql-common/createcluster.conf; then
  $SUDO mkdir -p /etc/postgresql-common
  echo 'create_main_cluster = false' | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
