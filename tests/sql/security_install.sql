-- CREATE EXTENSION refuses a pre-existing schema "supplyml" that another role
-- owns (its planted functions would run with the installer's rights), and
-- accepts one the installing role owns. Runs in a database of its own,
-- through dblink, and drops it at the end.
SELECT plan(4);

CREATE TEMP VIEW conninfo AS SELECT format('host=%s port=%s',
  split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port')) AS s;
SELECT dblink_connect('admin', s || ' dbname=' || current_database()) FROM conninfo;
SELECT dblink_exec('admin', 'DROP DATABASE IF EXISTS supplyml_install_test');
SELECT dblink_exec('admin', 'CREATE DATABASE supplyml_install_test');
SELECT dblink_connect('inst', s || ' dbname=supplyml_install_test') FROM conninfo;

SELECT dblink_exec('inst', 'BEGIN');
SELECT dblink_exec('inst', 'CREATE ROLE sec_install_mallory');
SELECT dblink_exec('inst', 'CREATE SCHEMA supplyml AUTHORIZATION sec_install_mallory');
SELECT throws_ok($$SELECT dblink_exec('inst', 'CREATE EXTENSION supplyml')$$, '42501',
  'schema "supplyml" is owned by role "sec_install_mallory", not by the installing role "postgres"',
  'CREATE EXTENSION refuses a schema supplyml owned by another role');
SELECT dblink_exec('inst', 'ROLLBACK');

-- The same schema handed to the installing role first.
SELECT dblink_exec('inst', 'BEGIN');
SELECT dblink_exec('inst', 'CREATE ROLE sec_install_mallory');
SELECT dblink_exec('inst', 'CREATE SCHEMA supplyml AUTHORIZATION sec_install_mallory');
SELECT dblink_exec('inst', 'ALTER SCHEMA supplyml OWNER TO postgres');
SELECT lives_ok($$SELECT dblink_exec('inst', 'CREATE EXTENSION supplyml')$$,
  'a pre-existing schema the installing role owns is accepted');
SELECT is((SELECT e FROM dblink('inst', $$SELECT extversion FROM pg_extension WHERE extname = 'supplyml'$$)
           AS t(e text)), (SELECT extversion FROM pg_extension WHERE extname = 'supplyml'),
  'and the extension is installed there');
SELECT dblink_exec('inst', 'ROLLBACK');

SELECT lives_ok($$SELECT dblink_exec('inst', 'CREATE EXTENSION supplyml')$$,
  'with no schema supplyml, CREATE EXTENSION creates it as before');

SELECT dblink_disconnect('inst');
SELECT dblink_exec('admin', 'DROP DATABASE supplyml_install_test');
SELECT dblink_disconnect('admin');
SELECT * FROM finish();
