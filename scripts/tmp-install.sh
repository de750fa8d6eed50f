#!/usr/bin/env bash
# Makes a private PostgreSQL installation under $BUILD/tmp_install (the server's
# binaries, libraries and share files, hard-linked or copied from pg_config's
# directories) and installs supplyml and the test-only module into it. The
# server finds its share and library directories relative to its own binary,
# so tests never touch the system installation and need no root.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PG_CONFIG=${PG_CONFIG:-pg_config}
dest=$(pwd)/$BUILD/tmp_install

bindir=$($PG_CONFIG --bindir); pkglibdir=$($PG_CONFIG --pkglibdir); sharedir=$($PG_CONFIG --sharedir)
if [ ! -x "$dest$bindir/postgres" ]; then
  rm -rf "$dest"
  for d in "$bindir" "$pkglibdir" "$sharedir"; do
    mkdir -p "$dest$(dirname "$d")"
    cp -al "$d" "$dest$d" 2>/dev/null || cp -a "$d" "$dest$d"
  done
fi
# Extensions installed on the system since (pg_cron for tests/docs/run.sh).
for d in "$pkglibdir" "$sharedir/extension"; do
  cp -alnT "$d" "$dest$d" 2>/dev/null || cp -anT "$d" "$dest$d"
done
# Replace, never write through, files that may be hard links to the system's.
rm -f "$dest$pkglibdir"/supplyml*.so "$dest$sharedir"/extension/supplyml*
DESTDIR="$dest" cmake --install "$BUILD" >/dev/null
cp "$BUILD/supplyml_test.so" "$dest$pkglibdir/"
chmod -R a+rX "$dest"
echo "$dest$bindir"
