-- The C++ / PostgreSQL error boundary (issue: foundation).
BEGIN;
SELECT plan(17);

-- A supplyml::Error keeps its SQLSTATE, message, detail and hint.
SELECT throws_ok($$SELECT supplyml_test.throw('invalid')$$, '22023', 'test parameter is invalid',
                 'a C++ supplyml::Error becomes an ERROR with its SQLSTATE and message');
SELECT is((supplyml_test.error_of($$SELECT supplyml_test.throw('invalid')$$)).detail,
          'The detail sentence survives the boundary.', 'errdetail survives');
SELECT is((supplyml_test.error_of($$SELECT supplyml_test.throw('invalid')$$)).hint,
          'The hint names the fix.', 'errhint survives');
SELECT throws_ok($$SELECT supplyml_test.throw('corrupt')$$, 'XX001', NULL,
                 'a reader overrun is data_corrupted, not a crash');
SELECT throws_ok($$SELECT supplyml_test.throw('bad_alloc')$$, '53200', 'out of memory',
                 'std::bad_alloc becomes out_of_memory');
SELECT throws_ok($$SELECT supplyml_test.throw('runtime')$$, 'XX000',
                 'supplyml internal error: plain runtime error', 'other exceptions become internal_error');
SELECT throws_ok($$SELECT supplyml_test.throw('unknown')$$, 'XX000', NULL,
                 'a non-std exception is caught too');
-- The session goes on after each of them.
SELECT is(supplyml_test.throw('none'), 1.0::float8, 'the backend is alive after the errors');

-- PostgreSQL errors raised inside wrapped calls come back unchanged.
SELECT throws_ok($$SELECT supplyml_test.raise('direct')$$, '22012', 'division by zero',
                 'an ereport inside pg::call keeps SQLSTATE and message');
SELECT throws_ok($$SELECT supplyml_test.raise('SELECT 1/0')$$, '22012', 'division by zero',
                 'an SPI error keeps SQLSTATE and message');
SELECT throws_ok($$SELECT supplyml_test.raise('SELECT * FROM no_such_table_here')$$, '42P01',
                 'relation "no_such_table_here" does not exist', 'an SPI catalog error keeps its SQLSTATE');
SELECT is(supplyml_test.raise('SELECT 1'), 1000, 'SPI works after the errors');

-- Options: known keys read, unknown keys and wrong types rejected.
SELECT is(supplyml_test.options('{"alpha": 0.25, "k": 3, "method": "b", "flag": true, "xs": [1,2]}'),
          'alpha=0.250000 k=3 method=b flag=true xs=2', 'options are read with their types');
SELECT throws_ok($$SELECT supplyml_test.options('{"alpah": 0.25}')$$, '22023',
                 'unknown option "alpah" for supplyml_test.options', 'a misspelt option is an error');
SELECT throws_ok($$SELECT supplyml_test.options('{"k": 2.5}')$$, '22023',
                 'option "k" of supplyml_test.options must be an integer', 'a wrong type is an error');
SELECT throws_ok($$SELECT supplyml_test.options('{"alpha": 3}')$$, '22023',
                 'option "alpha" of supplyml_test.options is out of range', 'a value out of range is an error');

SELECT throws_ok($$SELECT supplyml_test.options('{"xs": [1, 1e400]}')$$, '22023',
                 'option "xs" of supplyml_test.options is out of range', 'a number beyond float8 in an array is refused');

SELECT * FROM finish();
ROLLBACK;
