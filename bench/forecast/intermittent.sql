-- The intermittent-demand rule of method auto, on carparts (Hyndman et al.
-- 2008; complete series with two or more demands): each series' Syntetos-
-- Boylan class from its first 45 months (the aggregate's note), then a
-- rolling-origin backtest of SBA, TSB and Croston, 2 windows of 6 months,
-- per class. Series whose training part has a zero MASE scale are left out.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS carparts CASCADE;
CREATE SCHEMA carparts;
CREATE TABLE carparts.demand (part text, month date, qty float8);
\set f :out_dir '/carparts.csv'
\set cmd '\\copy carparts.demand FROM ' :'f' ' CSV'
:cmd
CREATE TABLE carparts.class AS
  SELECT part, split_part((r).note, ' demand', 1) AS class
  FROM (SELECT part, supplyml.forecast(month, qty, 6) AS r
        FROM carparts.demand WHERE month < '2001-10-01' GROUP BY part) s;
SELECT class, count(*) AS series FROM carparts.class GROUP BY 1 ORDER BY 2 DESC;
SELECT c.class, b.m AS method, count(*) AS series, round(avg(b.mase)::numeric, 3) AS mase,
       round(avg(b.rmse)::numeric, 3) AS rmse, round(avg(b.bias)::numeric, 3) AS bias
FROM (SELECT m, t.* FROM (VALUES ('sba'), ('tsb'), ('croston')) v(m),
        LATERAL supplyml.forecast_backtest('SELECT part, month, qty FROM carparts.demand', 6, m,
                                           windows => 2, season => 1) t) b
JOIN carparts.class c ON c.part = b.series_key
WHERE b.mase < 'Infinity' AND c.class IN ('smooth', 'erratic', 'intermittent', 'lumpy')
GROUP BY 1, 2 ORDER BY 1, 4;
