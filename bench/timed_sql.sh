# Sourced by the benchmarks (after scripts/private-cluster.sh).
# timed_sql STATEMENT runs one SQL statement in a session of its own and sets
# $elapsed (seconds) and $cpu: the CPU seconds the statement's backend spent,
# all its threads, read from /proc before and after it. CPU time is what a
# busy machine disturbs least; elapsed time is what a user waits.
timed_sql() {
  local f t0 t1
  f=$(mktemp)
  t0=$(date +%s.%N)
  psql -X -q -v ON_ERROR_STOP=1 <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv SML_BACKEND :pid
\! awk '{print \$14 + \$15}' /proc/\$SML_BACKEND/stat > $f
$1;
\! awk '{print \$14 + \$15}' /proc/\$SML_BACKEND/stat >> $f
SQL
  t1=$(date +%s.%N)
  elapsed=$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}')
  cpu=$(awk -v t="$(getconf CLK_TCK)" 'NR == 1 {a = $1} NR == 2 {printf "%.2f", ($1 - a) / t}' "$f")
  rm -f "$f"
}

# per_second N SECONDS: N / SECONDS with two decimals.
per_second() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }
