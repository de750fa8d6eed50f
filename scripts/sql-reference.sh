#!/usr/bin/env bash
# Regenerates docs/sql-reference.md from the installed extension's catalog:
# every function, aggregate, type and view in schema supplyml with its
# signature and COMMENT. Runs a throwaway cluster from the private install.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
. scripts/private-cluster.sh
psql -X -q -d postgres -c 'CREATE EXTENSION supplyml' >/dev/null
{
  echo "# SQL reference"
  echo
  echo "Every object that \`CREATE EXTENSION supplyml\` creates in schema \`supplyml\`, with its"
  echo "comment. Generated from the catalog by \`scripts/sql-reference.sh\`; the capability pages in"
  echo "docs/ explain how to use them."
  psql -X -q -A -t -d postgres <<'SQL'
WITH f AS (
  SELECT p.proname, p.prokind, pg_get_function_arguments(p.oid) AS args,
         pg_get_function_result(p.oid) AS result, obj_description(p.oid, 'pg_proc') AS comment,
         p.provolatile, p.proparallel
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'supplyml'
    AND NOT EXISTS (SELECT 1 FROM pg_aggregate a WHERE a.aggtransfn = p.oid OR a.aggfinalfn = p.oid
                    OR a.aggcombinefn = p.oid OR a.aggserialfn = p.oid OR a.aggdeserialfn = p.oid)
)
SELECT E'\n## ' || CASE prokind WHEN 'a' THEN 'Aggregates' ELSE 'Functions' END || E'\n\n' ||
       string_agg(format(E'- `supplyml.%s(%s)` → `%s` (%s%s)%s', proname, args, result,
                         CASE provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END,
                         CASE proparallel WHEN 's' THEN ', parallel safe' WHEN 'r' THEN ', parallel restricted' ELSE '' END,
                         coalesce(E'\n  ' || replace(comment, E'\n', ' '), '')),
                  E'\n' ORDER BY proname, args)
FROM f WHERE proname NOT LIKE 'raise\_%' GROUP BY prokind = 'a', prokind ORDER BY prokind = 'a' DESC;
SELECT E'\n## Types\n\n' || string_agg(format(E'- `supplyml.%s` (%s)%s', t.typname,
         CASE t.typtype WHEN 'c' THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                       FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
              WHEN 'd' THEN 'domain over ' || format_type(t.typbasetype, t.typtypmod) ELSE t.typtype::text END,
         coalesce(E'\n  ' || obj_description(t.oid, 'pg_type'), '')), E'\n' ORDER BY t.typname)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'supplyml' AND (t.typtype = 'd' OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'));
SELECT E'\n## Tables and views\n\n' || string_agg(format(E'- `supplyml.%s` (%s)%s', c.relname,
         CASE c.relkind WHEN 'r' THEN 'table' ELSE 'view' END, coalesce(E'\n  ' || obj_description(c.oid, 'pg_class'), '')),
         E'\n' ORDER BY c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'supplyml' AND c.relkind IN ('r', 'v');
SELECT E'\n## Settings\n\n' || string_agg(format('- `%s` (default `%s`): %s', name, boot_val, short_desc), E'\n' ORDER BY name)
FROM pg_settings WHERE name LIKE 'supplyml.%';
SQL
} > docs/sql-reference.md
echo "docs/sql-reference.md: $(grep -c '^- ' docs/sql-reference.md) entries"
