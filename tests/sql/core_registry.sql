-- The model registry: versions, transactional publish, cross-session cache
-- invalidation and corrupted bytes. Work that must be committed (to be seen
-- by another session) goes through dblink connections and is dropped at the end.
BEGIN;
SELECT plan(22);

-- Versioning, in this transaction.
SELECT is(supplyml_test.publish('reg_a', 10, 1.0), 1, 'first publish is version 1');
SELECT is(supplyml_test.publish('reg_a', 10, 2.0), 2, 'second publish is version 2');
SELECT is((SELECT version FROM supplyml.models WHERE name = 'reg_a'), 2, 'models shows the current version');
SELECT is((SELECT versions FROM supplyml.models WHERE name = 'reg_a'), 2::bigint, 'and counts the versions');
SELECT is((SELECT count(*) FROM supplyml.model_versions WHERE name = 'reg_a' AND is_current), 1::bigint,
          'exactly one version is current');
SELECT is((SELECT kind FROM supplyml.model_describe('reg_a')), 'test', 'model_describe reads the current version');
SELECT is((SELECT params->>'n' FROM supplyml.model_describe('reg_a', 1)), '10', 'and a given version');
SELECT is((SELECT trained_by::text FROM supplyml.model_describe('reg_a')), current_user::text, 'trained_by is recorded');
SELECT is((SELECT round(total::numeric, 9) FROM supplyml_test.load('reg_a')),
          (SELECT round(sum(sin(i) * 2.0)::numeric, 9) FROM generate_series(0, 9) i),
          'load returns the arrays of the current version');
SELECT is((SELECT sections FROM supplyml.model_verify('reg_a')), 2, 'model_verify decodes every section');
SELECT throws_ok($$SELECT supplyml.model_describe('no_such_model')$$, '42704',
                 'model "no_such_model" does not exist', 'an unknown model is undefined_object');
SELECT throws_ok($$SELECT * FROM supplyml_test.load('no_such_model')$$, '42704', NULL,
                 'loading an unknown model is undefined_object');
SELECT is(supplyml.model_drop('reg_a', 1), 1, 'model_drop drops one version');
SELECT is(supplyml.model_drop('reg_a'), 1, 'and then the rest');

-- Large payloads are chunked: 5M doubles = 40 MB, over two 16 MB chunks.
SELECT supplyml_test.publish('reg_big', 5000000, 1.0);
SELECT is((SELECT chunks FROM supplyml.model WHERE name = 'reg_big'), 3, 'a 40 MB payload is stored in 3 chunks');
SELECT is((SELECT payload_bytes FROM supplyml.model_verify('reg_big')),
          (SELECT payload_bytes FROM supplyml.model WHERE name = 'reg_big'), 'and reads back whole');

-- Corrupted bytes: a clear error, never a crash.
UPDATE supplyml.model_chunk c SET data = set_byte(data, 1000, get_byte(data, 1000) # 1)
  FROM supplyml.model m WHERE m.model_id = c.model_id AND m.name = 'reg_big' AND c.seq = 1;
SELECT throws_ok($$SELECT * FROM supplyml.model_verify('reg_big')$$, 'XX001', 'model "reg_big" is corrupted',
                 'a flipped bit is detected by the checksum');
DELETE FROM supplyml.model_chunk c USING supplyml.model m
  WHERE m.model_id = c.model_id AND m.name = 'reg_big' AND c.seq = 2;
SELECT throws_ok($$SELECT * FROM supplyml.model_verify('reg_big')$$, 'XX001', 'model "reg_big" is corrupted',
                 'a missing chunk is detected');
SELECT supplyml.model_drop('reg_big');

-- Transactional publish and cache invalidation across sessions.
CREATE TEMP VIEW conninfo AS SELECT format('dbname=%s host=%s port=%s', current_database(),
  split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port')) AS s;
SELECT dblink_connect('w', s) FROM conninfo;
SELECT dblink_connect('r', s) FROM conninfo;
SELECT * FROM dblink('w', $$SELECT supplyml_test.publish('reg_x', 4, 1.0)$$) AS t(v int);
SELECT is((SELECT v FROM dblink('r', $$SELECT version, builds FROM supplyml_test.load('reg_x')$$) AS t(v int, b int)),
          1, 'another session sees the committed version 1');
-- A publish that rolls back leaves version 1 current.
SELECT dblink_exec('w', 'BEGIN');
SELECT * FROM dblink('w', $$SELECT supplyml_test.publish('reg_x', 4, 5.0)$$) AS t(v int);
SELECT dblink_exec('w', 'ROLLBACK');
SELECT is((SELECT v FROM dblink('r', $$SELECT version, builds FROM supplyml_test.load('reg_x')$$) AS t(v int, b int)),
          1, 'a rolled-back publish leaves the previous version current');
-- A committed publish is noticed by the reader's cache, which decodes again.
SELECT * FROM dblink('w', $$SELECT supplyml_test.publish('reg_x', 4, 3.0)$$) AS t(v int);
SELECT results_eq(
  $$SELECT v, b FROM dblink('r', $$ || quote_literal('SELECT version, builds FROM supplyml_test.load(''reg_x'')') ||
  $$) AS t(v int, b int)$$,
  $$VALUES (2, 2)$$,
  'the cache notices the new version (decoded once for v1 despite two reads, once for v2)');
-- A committed promote (a rollback to version 1) is followed by the reader's cache too.
SELECT * FROM dblink('w', $$SELECT supplyml.model_promote('reg_x', 1)$$) AS t(v int);
SELECT is((SELECT v FROM dblink('r', $$SELECT version, builds FROM supplyml_test.load('reg_x')$$) AS t(v int, b int)),
          1, 'another session''s promote is followed by the reader''s cache');
SELECT * FROM dblink('w', $$SELECT supplyml.model_drop('reg_x')$$) AS t(v int);
SELECT dblink_disconnect('w');
SELECT dblink_disconnect('r');

SELECT * FROM finish();
ROLLBACK;
