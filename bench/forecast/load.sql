-- M4 Weekly and Hourly (long form from prepare.py) into schema m4:
-- m4.train (freq, id, t, value), m4.test (freq, id, step, value) and the
-- source tables m4.weekly (id, day date, value), m4.hourly (id, ts timestamptz, value).
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS m4 CASCADE;
CREATE SCHEMA m4;
CREATE TABLE m4.train (freq text, id text, t int, value float8);
CREATE TABLE m4.test (freq text, id text, step int, value float8);
\set f :out_dir '/m4_train.csv'
\set cmd '\\copy m4.train FROM ' :'f' ' CSV'
:cmd
\set f :out_dir '/m4_test.csv'
\set cmd '\\copy m4.test FROM ' :'f' ' CSV'
:cmd
CREATE TABLE m4.weekly AS
  SELECT id, DATE '2000-01-03' + 7 * t AS day, value FROM m4.train WHERE freq = 'Weekly';
CREATE TABLE m4.hourly AS
  SELECT id, TIMESTAMPTZ '2000-01-01 00:00+00' + t * INTERVAL '1 hour' AS ts, value
  FROM m4.train WHERE freq = 'Hourly';
-- M3 monthly rows, when prepare_m3.py added them (the ARIMA benchmark).
CREATE TABLE m4.monthly AS
  SELECT id, (DATE '1990-01-01' + t * INTERVAL '1 month')::date AS month, value
  FROM m4.train WHERE freq = 'Monthly';
-- In-sample scale of MASE: mean absolute lag-m difference (m = 1 weekly, 12 monthly, 24 hourly).
CREATE TABLE m4.scale AS
  SELECT freq, id, avg(abs(value - prev)) AS scale
  FROM (SELECT freq, id, value,
               lag(value, CASE freq WHEN 'Weekly' THEN 1 WHEN 'Monthly' THEN 12 ELSE 24 END) OVER (PARTITION BY freq, id ORDER BY t) AS prev
        FROM m4.train) s
  WHERE prev IS NOT NULL GROUP BY freq, id;
-- Forecasts of every method and peer, scored by the same query.
CREATE TABLE m4.fc (source text, freq text, id text, step int, point float8, method text);
ANALYZE m4.train, m4.test, m4.weekly, m4.hourly, m4.monthly, m4.scale;
SELECT freq, count(DISTINCT id) AS series, count(*) AS observations FROM m4.train GROUP BY freq ORDER BY freq DESC;
