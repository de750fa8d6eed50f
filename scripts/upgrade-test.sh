#!/usr/bin/env bash
# Upgrade test, as TAP: installs the previous release's script (sql/released),
# runs ALTER EXTENSION supplyml UPDATE, and compares everything the extension
# owns (tests/upgrade/catalog.sql) with a fresh install of the current
# version; a difference is printed as a diff and fails. Then checks that the
# comparison does see an object that an update would miss. Uses the server
# libpq points at (PGHOST, PGPORT, ...) with supplyml installed in both
# versions, and creates and drops databases supplyml_upgrade_*.
set -euo pipefail
cd "$(dirname "$0")/.."
from=${1:-0.1.0}
to=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" supplyml.control)
fresh=supplyml_upgrade_fresh updated=supplyml_upgrade_updated probe=supplyml_upgrade_probe
work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  for db in "$fresh" "$updated" "$probe"; do dropdb --if-exists "$db" 2>/dev/null || true; done
}
trap cleanup EXIT
q() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
describe() { q -d "$1" -f tests/upgrade/catalog.sql; }

for db in "$fresh" "$updated" "$probe"; do dropdb --if-exists "$db" 2>/dev/null; createdb "$db"; done
q -d "$fresh" -c 'CREATE EXTENSION supplyml'
q -d "$updated" -c "CREATE EXTENSION supplyml VERSION '$from'" -c 'ALTER EXTENSION supplyml UPDATE'
echo "1..3"

reached=$(q -d "$updated" -c "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'supplyml'")
if [ "$reached" = "$to" ]; then
  echo "ok 1 - ALTER EXTENSION supplyml UPDATE takes $from to $to"
else
  echo "not ok 1 - ALTER EXTENSION supplyml UPDATE takes $from to $to (reached $reached)"; exit 1
fi

describe "$fresh" >"$work/fresh"
describe "$updated" >"$work/updated"
if diff -u --label "fresh install of $to" --label "$from updated to $to" "$work/fresh" "$work/updated" >"$work/diff"; then
  echo "ok 2 - $from updated to $to equals a fresh install ($(wc -l <"$work/fresh") catalog lines)"
else
  echo "not ok 2 - $from updated to $to differs from a fresh install:"
  sed 's/^/#   /' "$work/diff"
  echo "# Lines with - exist only in a fresh install: add their DDL to sql/upgrade/supplyml--$from--$to.sql."
  echo "# Lines with + exist only after the update: the upgrade script does more than sql/*.sql."
  exit 1
fi

# The comparison must notice what an incomplete upgrade script leaves out: a
# new member function and a changed attribute of an existing one.
q -d "$probe" -c 'CREATE EXTENSION supplyml' \
  -c 'CREATE FUNCTION supplyml.upgrade_probe(x integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x $$' \
  -c 'ALTER EXTENSION supplyml ADD FUNCTION supplyml.upgrade_probe(integer)' \
  -c 'ALTER FUNCTION supplyml.devices() STABLE'
describe "$probe" >"$work/probe"
missing=$(diff "$work/probe" "$work/updated" | grep -c -e '^< member function supplyml.upgrade_probe(integer)$' \
  -e '^< function supplyml.upgrade_probe(integer) ' -e '^< function supplyml.devices() .* volatile=s ' || true)
if [ "$missing" -eq 3 ]; then
  echo "ok 3 - the comparison reports a function missing from an update and a changed volatility"
else
  echo "not ok 3 - the comparison reports a function missing from an update and a changed volatility ($missing of 3 lines)"
  exit 1
fi
