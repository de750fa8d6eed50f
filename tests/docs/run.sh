#!/usr/bin/env bash
# Runs every SQL example of README.md and docs/*.md, in order, so that an
# example that no longer works fails make check. Each Markdown file runs in its
# own database, a copy of one holding supplyml and the tables the examples
# assume (tests/docs/tables.sql, small slices of data/), in one psql session
# that stops at the first error. Roles an example creates are dropped after
# its file. Markers, on the line before a ```sql fence:
#   <!-- not run: REASON -->   the block is shown to readers but never run
#   <!-- needs pg_cron -->     run only where pg_cron is installed
# docs/sql-reference.md, generated from the catalog, holds signatures, not
# ```sql examples; it is scanned like the others.
# Then the nightly job of docs/operations.md: with pg_cron (preloaded in this
# cluster), its command is scheduled for the next minute and must succeed in
# cron.job_run_details; without pg_cron the procedure is called directly, and
# the output says so. tests/docs/nightly_check.sql checks what the job wrote.
# Needs the private installation (scripts/tmp-install.sh); makes it if
# PG_CONFIG does not point into one.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
BUILD=${BUILD:-build}
case "${PG_CONFIG:-}" in
  */tmp_install/*) ;;
  *) bindir=$(scripts/tmp-install.sh); export PG_CONFIG="$bindir/pg_config" PATH="$bindir:$PATH" ;;
esac

cron=0
[ -f "$($PG_CONFIG --pkglibdir)/pg_cron.so" ] && cron=1
dir=$(mktemp -d /tmp/supplyml-docs.XXXXXX)
trap 'scripts/pgcluster.sh stop "$dir"' EXIT
settings=()
if [ $cron = 1 ]; then
  # Jobs run in background workers: this server listens on no TCP port.
  settings=("shared_preload_libraries = 'pg_cron'" "cron.database_name = 'docs_operations'"
            "cron.use_background_workers = on" "max_worker_processes = 16")
fi
export $(scripts/pgcluster.sh start "$dir" "${settings[@]}")
export PGDATABASE=postgres

createdb docs_template
psql -X -q -v ON_ERROR_STOP=1 -d docs_template -c 'CREATE EXTENSION supplyml' \
  -v data_dir="$root/data" -f tests/docs/tables.sql >/dev/null

status=0
roles_before=$(psql -X -At -c "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles")
for md in README.md docs/*.md; do
  name=$(basename "$md" .md | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_')
  script=$dir/$name.sql
  awk -v file="$md" -v cron=$cron -f tests/docs/extract.awk "$md" >"$script"
  blocks=$(grep -c "^\\\\echo '$md:" "$script" || true)
  skipped=$(grep -c "^\\\\echo 'skipped " "$script" || true)
  [ "$blocks" -gt 0 ] || [ "$skipped" -gt 0 ] || continue
  createdb -T docs_template "docs_$name"
  if psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -d "docs_$name" -f "$script" >"$dir/$name.log" 2>&1; then
    echo "ok     $md: $blocks SQL block(s) ran${skipped:+, $skipped left out by their marker}" | sed 's/, 0 left out by their marker//'
  else
    status=1
    echo "not ok $md: the block at $(grep -v '^skipped' "$dir/$name.log" | grep -E "^$md:[0-9]+$" | tail -1) failed:"
    grep -v -E "^($md:[0-9]+|skipped .*)$" "$dir/$name.log" | sed 's/^/    /'
  fi
  # Roles are cluster-wide: drop those the examples created, so the next file starts clean.
  for r in $(psql -X -At -c "SELECT rolname FROM pg_roles ORDER BY rolname"); do
    case " $roles_before " in *" $r "*) continue ;; esac
    psql -X -q -d "docs_$name" -c "DROP OWNED BY \"$r\"" -c "DROP ROLE \"$r\""
  done
done

echo "The nightly job of docs/operations.md:"
job_db=docs_operations
if ! psql -X -At -d $job_db -c "SELECT 1 FROM pg_proc WHERE proname = 'nightly'" 2>/dev/null | grep -q 1; then
  echo "not ok docs/operations.md defines no procedure nightly"
  exit 1
fi
if [ $cron = 1 ]; then
  # pg_cron 1.4 (Debian 12) schedules by the minute; 1.5 added seconds.
  # The pitfall the page warns of runs in the same minute: the command with a
  # second statement must fail, as the procedure may not commit inside it.
  jobs=$(psql -X -At -d $job_db -v ON_ERROR_STOP=1 -c "
    SELECT cron.schedule('nightly-test', '* * * * *', command) || ' ' ||
           cron.schedule('nightly-two-statements', '* * * * *', command || '; SELECT 1')
    FROM cron.job WHERE jobname = 'supplyml-nightly'")
  [ -n "$jobs" ] || { echo "not ok docs/operations.md schedules no job named supplyml-nightly"; exit 1; }
  read -r jobid twoid <<<"$jobs"
  run_result() {  # status: return message of the job's first finished run
    psql -X -At -d $job_db -c "SELECT status || ': ' || coalesce(return_message, '')
      FROM cron.job_run_details WHERE jobid = $1 AND status IN ('succeeded', 'failed') LIMIT 1"
  }
  result="" two=""
  for _ in $(seq 1 180); do
    result=$(run_result "$jobid"); two=$(run_result "$twoid")
    [ -n "$result" ] && [ -n "$two" ] && break
    sleep 1
  done
  psql -X -q -d $job_db -c "SELECT cron.unschedule($jobid), cron.unschedule($twoid)" >/dev/null
  case "$result" in
    succeeded:*) echo "ok     pg_cron ran the job's command: $result" ;;
    "") echo "not ok pg_cron did not run the job within 180 seconds"; status=1 ;;
    *) echo "not ok pg_cron ran the job's command: $result"; status=1 ;;
  esac
  case "$two" in
    failed:*"invalid transaction termination"*)
      echo "ok     the same command followed by a second statement fails as the page says: ${two%%$'\n'*}" ;;
    *) echo "not ok the command with a second statement should fail with invalid transaction termination: $two"
       status=1 ;;
  esac
else
  echo "pg_cron is not installed here (postgresql-15-cron): calling the job's procedure directly"
  psql -X -q -v ON_ERROR_STOP=1 -d $job_db -c "CALL ops.nightly()" || status=1
fi
if psql -X -q -v ON_ERROR_STOP=1 -d $job_db -f tests/docs/nightly_check.sql; then
  echo "ok     the job's last run logged five ok steps and wrote its tables (tests/docs/nightly_check.sql)"
else
  status=1
fi
exit $status
