#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a private Unix socket, for tests and demos.
#   scripts/pgcluster.sh start DIR [setting=value ...]   create and start; prints env lines
#   scripts/pgcluster.sh restart DIR                    restart (after changing installed files)
#   scripts/pgcluster.sh stop DIR                       stop and remove
# No TCP port is opened. When run as root the server runs as the postgres user.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}; shift 2
PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$($PG_CONFIG --bindir)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    {
      echo "listen_addresses = ''"
      echo "unix_socket_directories = '$dir'"
      echo "port = 5432"
      echo "fsync = off"
      echo "max_worker_processes = 8"
      echo "max_parallel_workers_per_gather = 2"
      for kv in "$@"; do echo "$kv"; done
    } >>"$dir/data/postgresql.conf"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "PGHOST=$dir PGPORT=5432 PGUSER=postgres"
    ;;
  restart)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|restart|stop DIR" >&2; exit 2 ;;
esac
