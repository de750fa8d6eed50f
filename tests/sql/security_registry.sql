-- The registry's privilege model with real roles: a reader role and trainer
-- roles granted as docs/security.md says, model ownership (only members of
-- the role that first published a name may publish, drop or prune it, even
-- by direct DML), privileges checked before any training work, and the model
-- cache re-checking access on every call.
BEGIN;
SELECT plan(28);

CREATE ROLE sec_reader;
CREATE ROLE sec_alice;
CREATE ROLE sec_bob;
CREATE ROLE sec_alice_team;       -- a member of sec_alice
GRANT sec_alice TO sec_alice_team;
CREATE ROLE sec_stranger;         -- no grant at all
CREATE ROLE sec_rows_only;        -- may read the registry rows, not the arrays
-- Readers: the schema and SELECT on the registry tables and views.
GRANT USAGE ON SCHEMA supplyml TO sec_reader, sec_alice, sec_bob, sec_alice_team, sec_rows_only;
GRANT SELECT ON supplyml.model, supplyml.model_chunk, supplyml.models, supplyml.model_versions
  TO sec_reader, sec_alice, sec_bob, sec_alice_team;
-- Trainers: a reader's grants, and INSERT and DELETE on both tables.
GRANT INSERT, DELETE ON supplyml.model, supplyml.model_chunk TO sec_alice, sec_bob, sec_alice_team;
GRANT UPDATE (live_since) ON supplyml.model TO sec_alice, sec_bob, sec_alice_team;
GRANT SELECT ON supplyml.model TO sec_rows_only;

CREATE TABLE public.sec_clicks AS
SELECT 'u' || (g % 7) AS u, 'i' || (g % 5) AS i, 1.0::float8 AS w FROM generate_series(1, 60) g;
GRANT SELECT ON public.sec_clicks TO PUBLIC;
-- A source that says whether it was read: a check made before training fails first.
CREATE FUNCTION public.sec_source_read() RETURNS TABLE (u text, i text, w float8) LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the source was read' USING ERRCODE = 'P0001'; END $$;

CREATE TEMP VIEW train AS SELECT $q$SELECT version FROM supplyml.mf_train('sec_m',
  'SELECT u, i, w FROM public.sec_clicks', factors => 2, iterations => 2)$q$ AS sql;
CREATE TEMP VIEW train_unread AS SELECT $q$SELECT version FROM supplyml.mf_train('sec_m',
  'SELECT * FROM public.sec_source_read()', factors => 2, iterations => 2)$q$ AS sql;

-- Trainers and ownership.
SELECT is((SELECT (code, result) FROM train, supplyml_test.as_role('sec_alice', train.sql))::text, '(00000,1)',
          'a trainer publishes version 1 of a new name');
SELECT is((SELECT owner::text FROM supplyml.models WHERE name = 'sec_m'), 'sec_alice',
          'and owns the name');
SELECT is((SELECT (code, message) FROM train_unread, supplyml_test.as_role('sec_bob', train_unread.sql))::text,
          '(42501,"must be a member of role ""sec_alice"" to change model ""sec_m""")',
          'another trainer may not publish over it, and is refused before the source is read');
SELECT is((SELECT (code, result) FROM train, supplyml_test.as_role('sec_alice_team', train.sql))::text, '(00000,2)',
          'a member of the owner role publishes version 2');
SELECT is((SELECT owner::text FROM supplyml.model WHERE name = 'sec_m' AND version = 2), 'sec_alice',
          'which the owner role still owns');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_bob', $$SELECT supplyml.model_drop('sec_m', 1)$$)),
          '42501', 'another trainer may not drop a version');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_bob',
            $$WITH d AS (DELETE FROM supplyml.model WHERE name = 'sec_m' RETURNING 1) SELECT count(*) FROM d$$))::text,
          '(00000,0)', 'a direct DELETE by another trainer deletes no row');
SELECT is((SELECT count(*) FROM supplyml.model WHERE name = 'sec_m'), 2::bigint, 'both versions are still there');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_bob',
            $$INSERT INTO supplyml.model (name, version, kind, device, rows_used, format_version,
              payload_bytes, chunks, owner) VALUES ('sec_m', 9, 'als_implicit', 'cpu', 0, 1, 0, 0, 'sec_bob')
              RETURNING version$$)),
          '42501', 'a direct INSERT of a version of another role''s name is refused');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_bob',
            $$WITH d AS (DELETE FROM supplyml.model_chunk c USING supplyml.model m
              WHERE m.model_id = c.model_id AND m.name = 'sec_m' RETURNING 1) SELECT count(*) FROM d$$))::text,
          '(00000,0)', 'a direct DELETE of its chunks deletes nothing');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_bob',
            $$SELECT payload_bytes FROM supplyml.model_verify('sec_m', 2)$$))::text,
          (SELECT ('00000', payload_bytes)::text FROM supplyml.model WHERE name = 'sec_m' AND version = 2),
          'version 2 still verifies whole');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_bob', $$SELECT supplyml.model_prune('sec_m')$$)),
          '42501', 'nor prune the model');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_bob', $$SELECT supplyml.model_promote('sec_m', 1)$$)),
          '42501', 'nor promote a version');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_bob',
            $$WITH u AS (UPDATE supplyml.model SET live_since = now() WHERE name = 'sec_m' RETURNING 1)
              SELECT count(*) FROM u$$))::text,
          '(00000,0)', 'a direct UPDATE of live_since by another trainer changes no row');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_alice_team',
            $$SELECT supplyml.model_promote('sec_m', 1)$$))::text, '(00000,2)',
          'a member of the owner role promotes version 1 (version 2 was current)');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_alice_team',
            $$SELECT supplyml.model_prune('sec_m', keep => 1)$$))::text, '(00000,0)',
          'a member of the owner role prunes it to the newest version, which drops nothing: version 1 is current');
SELECT is((SELECT string_agg(version::text, ',' ORDER BY version) FROM supplyml.model WHERE name = 'sec_m'), '1,2',
          'which leaves the promoted version 1 and the newest, version 2');
SELECT throws_ok($$SELECT supplyml.model_prune('sec_m', keep => 0)$$, '22023', 'keep must be at least 1',
                 'model_prune keeps at least the current version');
SELECT throws_ok($$SELECT supplyml.model_prune('sec_none')$$, '42704', 'model "sec_none" does not exist',
                 'model_prune of an unknown model');
SELECT is(supplyml.model_drop('sec_m'), 2, 'and a superuser may drop any model');

-- Privileges are checked before the work.
SELECT is((SELECT (code, message) FROM train_unread, supplyml_test.as_role('sec_reader', train_unread.sql))::text,
          '(42501,"permission denied to publish model ""sec_m""")',
          'a role without INSERT on the registry is refused before the source is read');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_reader',
            $$SELECT version FROM supplyml.mf_publish('sec_m', '\x00'::supplyml.mf_model)$$)), '42501',
          'mf_publish checks privileges before it decodes the value');

-- Readers.
SELECT supplyml_test.as_role('sec_alice', sql) FROM train;  -- version 1 again, as the reader's model
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_reader',
            $$SELECT count(*) FROM supplyml.recommend('sec_m', 'u1', k => 3, exclude_seen => false)$$))::text, '(00000,3)',
          'a reader gets recommendations');
SELECT is((SELECT (code, result) FROM supplyml_test.as_role('sec_reader',
            $$SELECT owner FROM supplyml.model_describe('sec_m')$$))::text, '(00000,sec_alice)',
          'and reads the registry views');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_stranger',
            $$SELECT count(*) FROM supplyml.recommend('sec_m', 'u1', k => 3, exclude_seen => false)$$)), '42501',
          'a role without USAGE on the schema gets nothing');

-- The per-backend cache: loaded here by a reader, then asked for by a role
-- that may read the registry rows but not the arrays.
SELECT is((SELECT result FROM supplyml_test.as_role('sec_reader',
            $$SELECT count(*) FROM supplyml.recommend('sec_m', 'u1', k => 3, exclude_seen => false)$$)), '3',
          'the reader''s call caches the model in this backend');
SELECT is((SELECT (code, message) FROM supplyml_test.as_role('sec_rows_only',
            $$SELECT count(*) FROM supplyml.recommend('sec_m', 'u1', k => 3, exclude_seen => false)$$))::text,
          '(42501,"permission denied to read model ""sec_m""")',
          'a role that may not read model_chunk is refused although the model is cached');
SELECT is((SELECT code FROM supplyml_test.as_role('sec_stranger',
            $$SELECT count(*) FROM supplyml.recommend('sec_m', 'u1', k => 3, exclude_seen => false)$$)), '42501',
          'and so is a role with no grant');

SELECT * FROM finish();
ROLLBACK;
