-- Long computations stop promptly on statement_timeout, in the calling thread
-- and in worker threads (workers never call PostgreSQL; they see the stop
-- flag the backend thread sets). plpgsql's WHEN OTHERS does not catch a
-- cancel, so the probe catches query_canceled itself.
BEGIN;
SELECT plan(7);

CREATE FUNCTION pg_temp.cancel_probe(threads int, OUT code text, OUT message text, OUT seconds float8)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    PERFORM supplyml_test.spin(20, threads);
    code := 'none';
EXCEPTION WHEN query_canceled THEN
    GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
    seconds := extract(epoch FROM clock_timestamp() - t0);
END $$;

CREATE TEMP TABLE probe AS SELECT 0 AS threads, NULL::text AS code, NULL::text AS message, NULL::float8 AS seconds LIMIT 0;
SET statement_timeout = '300ms';
INSERT INTO probe SELECT 1, p.* FROM pg_temp.cancel_probe(1) p;
INSERT INTO probe SELECT 4, p.* FROM pg_temp.cancel_probe(4) p;
RESET statement_timeout;

SELECT is((SELECT code FROM probe WHERE threads = 1), '57014', 'one thread: the spin is cancelled');
SELECT is((SELECT message FROM probe WHERE threads = 1), 'canceling statement due to statement timeout',
          'one thread: PostgreSQL raises its own timeout error');
SELECT cmp_ok((SELECT seconds FROM probe WHERE threads = 1), '<', 1.0::float8,
              'one thread: stopped in under a second');
SELECT is((SELECT code FROM probe WHERE threads = 4), '57014', 'four threads: the spin is cancelled');
SELECT cmp_ok((SELECT seconds FROM probe WHERE threads = 4), '<', 1.0::float8,
              'four threads: stopped in under a second');
SELECT cmp_ok((SELECT seconds FROM probe WHERE threads = 4), '>=', 0.25::float8,
              'four threads: it ran until the timeout');

SELECT cmp_ok(supplyml_test.spin(0.05, 2), '>', 0::bigint, 'uncancelled work finishes');

SELECT * FROM finish();
ROLLBACK;
