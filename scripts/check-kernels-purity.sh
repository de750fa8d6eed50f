#!/usr/bin/env bash
# Fails when a file under kernels/ includes a PostgreSQL header: the numerical
# core must build and test without a server.
set -euo pipefail
dir=${1:-kernels}
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](postgres|postgres_ext|fmgr|funcapi|miscadmin|pg_config|utils/|executor/|catalog/|access/|nodes/|lib/stringinfo|libpq/|storage/|commands/)' "$dir" || true)
if [ -n "$bad" ]; then
  echo "error: kernels/ must not include PostgreSQL headers, but these do:" >&2
  echo "$bad" >&2
  exit 1
fi
