-- M3 monthly validation series (long form from m3_validation.sh) into schema m3:
-- m3.train (id, t, value), m3.test (id, step, value), the source table
-- m3.monthly (id, month date, value), and m3.fc (source, id, step, point,
-- method) holding the official forecasts (source 'official NAME') and, once
-- forecast_batch has run, supplyml's.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS m3 CASCADE;
CREATE SCHEMA m3;
CREATE TABLE m3.train (freq text, id text, t int, value float8);
CREATE TABLE m3.test (id text, step int, value float8);
CREATE TABLE m3.official (method text, id text, step int, point float8);
\set f :out_dir '/m3_train.csv'
\set cmd '\\copy m3.train FROM ' :'f' ' CSV'
:cmd
\set f :out_dir '/m3_test.csv'
\set cmd '\\copy m3.test FROM ' :'f' ' CSV'
:cmd
\set f :out_dir '/m3_official.csv'
\set cmd '\\copy m3.official FROM ' :'f' ' CSV'
:cmd
-- Monthly periods from an arbitrary start: only the order matters.
CREATE TABLE m3.monthly AS
  SELECT id, (DATE '1990-01-01' + make_interval(months => t))::date AS month, value FROM m3.train;
CREATE TABLE m3.fc (source text, id text, step int, point float8, method text);
INSERT INTO m3.fc SELECT 'official ' || method, id, step, point, method FROM m3.official;
ANALYZE m3.train, m3.test, m3.monthly, m3.fc;
SELECT count(DISTINCT id) AS series, count(*) AS observations FROM m3.train;
