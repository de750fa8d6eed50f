-- The models the demo trained, as a BI tool sees them.
\pset footer off
\echo 'Model registry (supplyml.models):'
SELECT name, version, kind, device, rows_used, pg_size_pretty(payload_bytes) AS size, versions
FROM supplyml.models ORDER BY name;
