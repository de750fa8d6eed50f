# Sourced (". scripts/private-cluster.sh") from the repository root by tests,
# benchmarks and tools: makes the private installation (scripts/tmp-install.sh),
# puts its binaries first on PATH, starts a throwaway cluster on a private
# socket, exports PGHOST/PGPORT/PGUSER for it, and stops and removes it on exit.
# Sets $bindir (the private server's binaries) and $dir (the cluster folder).
bindir=$(scripts/tmp-install.sh)
export PG_CONFIG="$bindir/pg_config" PATH="$bindir:$PATH"
dir=$(mktemp -d /tmp/supplyml-cluster.XXXXXX)
trap 'scripts/pgcluster.sh stop "$dir"' EXIT
export $(scripts/pgcluster.sh start "$dir")
