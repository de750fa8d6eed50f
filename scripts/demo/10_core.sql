-- Where supplyml computes, and what the model registry holds.
\pset footer off
\echo 'Devices supplyml can use (supplyml.devices()):'
SELECT kind, index, name, pg_size_pretty(memory_bytes) AS memory, compute_capability, cores, in_use
FROM supplyml.devices();
\echo 'Settings:'
SELECT name, setting, short_desc FROM pg_settings WHERE name LIKE 'supplyml.%' ORDER BY name;
