-- Forecasting through SQL, against R's forecast package (fixtures from
-- tests/fixtures/forecast_reference.R) and on bad inputs.
BEGIN;
SELECT plan(44);

-- Automatic ETS on AirPassengers: R chooses ETS(M,Ad,M); AICc within 0.5.
CREATE TEMP TABLE air_fc AS
  SELECT supplyml.forecast(month, passengers, 24, '{"method": "ets"}') AS r FROM fixtures_forecast.air;
SELECT is((SELECT (r).method FROM air_fc), 'ETS(M,Ad,M)', 'auto ETS on AirPassengers chooses R''s model');
SELECT ok((SELECT abs((r).aicc - e.aicc) < 0.5 FROM air_fc, fixtures_forecast.ets_auto e
           WHERE e.id = 'AirPassengers'), 'AICc within 0.5 of R''s');
SELECT is((SELECT (r).step FROM air_fc), 'monthly, season 12', 'monthly step and season detected');
SELECT is((SELECT (r).ts[1] FROM air_fc), '1961-01-01'::date::timestamptz, 'first forecast month');

-- Baselines and Theta equal R's point forecasts and 95 % bounds.
CREATE TEMP TABLE base_fc AS
  SELECT m.method, supplyml.forecast(a.month, a.passengers, 24,
           jsonb_build_object('method', m.method, 'season', CASE WHEN m.method = 'snaive' THEN 12 ELSE 1 END)) AS r
  FROM fixtures_forecast.air a, (VALUES ('naive'), ('snaive'), ('mean'), ('drift'), ('ses'), ('damped')) m(method)
  GROUP BY m.method;
SELECT is((SELECT count(*) FROM base_fc b, supplyml.forecast_rows(b.r) f, fixtures_forecast.baselines x
           WHERE x.method = b.method AND x.step = f.step
             AND abs(f.point - x.point) <= 1e-6 * abs(x.point)
             AND abs(f.lower - x.lower) <= 1e-6 * abs(x.lower)
             AND abs(f.upper - x.upper) <= 1e-6 * abs(x.upper)), 144::bigint,
          'naive, snaive, mean, drift, ses and damped Holt equal R to 1e-6 (point and 95 % bounds)');
SELECT ok((SELECT max(abs(f.point - x.point) / x.point) < 1e-3 FROM base_fc b, supplyml.forecast_rows(b.r) f,
             fixtures_forecast.baselines x WHERE x.method = b.method AND x.step = f.step AND b.method IN ('ses', 'damped')),
          'ses and damped Holt within 0.1 % of R');
SELECT ok((SELECT max(abs(f.point - x.point) / x.point) < 1e-3
           FROM (SELECT supplyml.forecast(month, passengers, 24, '{"method": "theta"}') r FROM fixtures_forecast.air) t,
                supplyml.forecast_rows(t.r) f, fixtures_forecast.baselines x
           WHERE x.method = 'theta' AND x.step = f.step), 'theta within 0.1 % of R''s thetaf');

-- Rows in any order give the same result; date and timestamptz both work.
SELECT is((SELECT (supplyml.forecast(month::timestamptz, passengers, 3, '{"method": "naive"}')).point
           FROM (SELECT * FROM fixtures_forecast.air ORDER BY random()) s),
          ARRAY[432, 432, 432]::float8[], 'unordered timestamptz rows');

-- forecast_batch: integer and text keys, one row per series and step.
SELECT is((SELECT count(*) FROM supplyml.forecast_batch(
             'SELECT k, month, passengers FROM fixtures_forecast.air, (VALUES (1), (2)) v(k)', 12)), 24::bigint,
          'forecast_batch returns horizon rows per series');
SELECT is((SELECT DISTINCT method FROM supplyml.forecast_batch(
             'SELECT ''sku-'' || k, month, passengers FROM fixtures_forecast.air, (VALUES (1), (2)) v(k)', 12,
             method => 'ets')), 'ETS(M,Ad,M)', 'forecast_batch with text keys matches the aggregate');

-- auto classifies by ADI and CV2 (Syntetos-Boylan cut-offs 1.32 and 0.49).
-- Demand of 6 every third day: ADI = 30/10 = 3, CV2 = 0 -> intermittent -> SBA.
SELECT is((SELECT ((r).method, (r).params->>'adi', (r).params->>'cv2', (r).note)::text
           FROM (SELECT supplyml.forecast(d, CASE WHEN extract(day FROM d)::int % 3 = 0 THEN 6 ELSE 0 END, 7) r
                 FROM generate_series('2024-01-01'::date, '2024-01-30', '1 day') d) s),
          '(sba,3,0,"intermittent demand (ADI 3.00, CV2 0.00)")', 'intermittent demand: SBA, ADI and CV2 reported');
-- Sizes 1 and 9 alternating every third day: mean 5, sample variance 16*10/9,
-- CV2 = 0.711 -> lumpy -> TSB.
SELECT is((SELECT ((r).method, round(((r).params->>'cv2')::numeric, 3), (r).note)::text
           FROM (SELECT supplyml.forecast(d, CASE WHEN extract(day FROM d)::int % 6 = 0 THEN 9
                                                  WHEN extract(day FROM d)::int % 3 = 0 THEN 1 ELSE 0 END, 7) r
                 FROM generate_series('2024-01-01'::date, '2024-01-30', '1 day') d) s),
          '(tsb,0.711,"lumpy demand (ADI 3.00, CV2 0.71)")', 'lumpy demand: TSB');
-- Smooth demand: the pooled combination.
SELECT matches((SELECT (supplyml.forecast(d, 10 + extract(day FROM d)::int % 3, 7)).note
                FROM generate_series('2024-01-01'::date, '2024-01-30', '1 day') d),
               '^smooth demand \(ADI 1.00, CV2 0.0', 'smooth demand: class reported');

-- Smooth and erratic series: members pruned on a holdout, the rest
-- averaged. With pool 0 only the best member stays: holdout selection. On
-- AirPassengers, 12 months ahead, the last 12 months are held out; it
-- chooses what the same selection in R chooses, with R's holdout error, and
-- that error equals the chosen method's own forecast of those months.
CREATE TEMP TABLE air_auto AS
  SELECT supplyml.forecast(month, passengers, 12, '{"pool": 0}') AS r FROM fixtures_forecast.air;
SELECT is((SELECT ((r).method, (r).params->>'holdout')::text FROM air_auto),
          (SELECT DISTINCT (winner, holdout)::text FROM fixtures_forecast.holdout WHERE id = 'AirPassengers'),
          'pool 0 on AirPassengers chooses R''s holdout winner (seasonally adjusted damped trend)');
SELECT ok((SELECT abs(((r).params->>'holdout_mae')::float8 - h.mae) < 1e-9 * h.mae
           FROM air_auto, fixtures_forecast.holdout h WHERE h.id = 'AirPassengers' AND h.candidate = h.winner),
          'its holdout MAE equals R''s to 1e-9');
SELECT ok((SELECT abs(avg(abs(a.passengers - f.point)) - ((SELECT (r).params->>'holdout_mae' FROM air_auto))::float8) < 1e-9
           FROM (SELECT supplyml.forecast(month, passengers, 12, '{"method": "damped"}') r
                 FROM fixtures_forecast.air WHERE month < '1960-01-01') t,
                supplyml.forecast_rows(t.r) f
                JOIN fixtures_forecast.air a ON a.month = f.ts::date),
          'reported holdout MAE equals the chosen method''s error on the held-out year');
SELECT is((SELECT (r).params->'combined' FROM air_auto), '["damped"]'::jsonb, 'pool 0: one member combined');
-- The default pool: every member's holdout MAE is reported, each equal to
-- R's (the benchmarks to 1e-9); those kept are averaged, and params says
-- which were combined, which dropped and which was best.
CREATE TEMP TABLE air_pool AS
  SELECT supplyml.forecast(month, passengers, 12) AS r FROM fixtures_forecast.air;
SELECT is((SELECT count(*) FROM air_pool, fixtures_forecast.holdout h
           WHERE h.id = 'AirPassengers' AND h.candidate IN ('theta', 'damped', 'ses', 'snaive')
             AND abs(((r).params->>('holdout_mae_' || h.candidate))::float8 - h.mae) < 1e-9 * h.mae),
          4::bigint, 'each benchmark member''s holdout MAE equals R''s');
SELECT is((SELECT (r).params->>'best' FROM air_pool), '["damped"]', 'best member: R''s winner');
SELECT is((SELECT jsonb_array_length((r).params->'combined') + jsonb_array_length((r).params->'dropped') FROM air_pool),
          5, 'every member is either combined or dropped');
SELECT ok((SELECT (r).method = 'mean(' || (SELECT string_agg(x, ', ' ORDER BY o) FROM jsonb_array_elements_text((r).params->'combined') WITH ORDINALITY e(x, o)) || ')'
                  AND (r).note LIKE 'smooth demand (ADI %); mean of 2 methods (ETS(M,Ad,M) and damped); dropped theta, ses and snaive, %'
           FROM air_pool),
          'method and note name the combined members');
SELECT is((SELECT (supplyml.forecast(month, passengers, 12, '{"holdout": 0}')).method FROM fixtures_forecast.air),
          'ETS(M,Ad,M)', 'holdout 0: auto is automatic ETS');
SELECT is((SELECT DISTINCT method FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 12)),
          (SELECT (r).method FROM air_pool), 'forecast_batch auto combines as the aggregate');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 12, '{"pool": -1}') FROM fixtures_forecast.air$$,
                 '22023', NULL, 'negative pool refused');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 12, '{"holdout": -1}') FROM fixtures_forecast.air$$,
                 '22023', NULL, 'negative holdout refused');

-- Date input comes back as date::timestamptz in the session time zone:
-- ts::date is the forecast date and joins the input's dates.
SET LOCAL TimeZone = 'America/New_York';
SELECT is((SELECT ts::date FROM supplyml.forecast_batch(
             'SELECT 1, month, passengers FROM fixtures_forecast.air', 2, 'naive') WHERE step = 1),
          '1961-01-01'::date, 'forecast_batch: date input, ts::date in a non-UTC session');
SELECT is((SELECT count(*) FROM supplyml.forecast_batch(
             'SELECT 1, month, passengers FROM fixtures_forecast.air WHERE month < ''1960-01-01''', 12, 'naive') f
           JOIN fixtures_forecast.air a ON a.month = f.ts), 12::bigint, 'forecast_batch ts joins the input dates');
SELECT is((SELECT (supplyml.forecast(month, passengers, 2, '{"method": "naive"}')).ts[2]::date FROM fixtures_forecast.air),
          '1961-02-01'::date, 'aggregate: date input, ts[]::date in a non-UTC session');
SELECT is((SELECT ts::timestamp FROM supplyml.forecast_batch(
             'SELECT 1, t, 5.0 + (extract(hour FROM t)::int % 3) FROM generate_series(''2024-03-01 00:00''::timestamp, ''2024-03-03 23:00'', ''1 hour'') t',
             2, 'naive') WHERE step = 2),
          '2024-03-04 01:00'::timestamp, 'forecast_batch: timestamp input, ts::timestamp is the wall-clock period');
RESET TimeZone;

-- Series with a negative value are not classified: the pooled combination, no class.
SELECT ok((SELECT (r).params->'adi' IS NULL AND (r).note ~ '(lowest holdout MAE of|mean of) .* over the last 7 periods'
           FROM (SELECT supplyml.forecast(d, CASE WHEN extract(day FROM d)::int % 3 = 0 THEN 6
                                                  WHEN extract(day FROM d)::int = 10 THEN -1 ELSE 0 END, 7) r
                 FROM generate_series('2024-01-01'::date, '2024-01-30', '1 day') d) s),
          'negative values: no demand class, pooled combination');

-- All-zero series: zero forecast, said so.
SELECT is((SELECT (supplyml.forecast(d, 0, 2)).method
           FROM generate_series('2024-01-01'::date, '2024-02-01', '1 day') d), 'zero', 'all-zero series');

-- Missing periods: zero fill by default, error on request.
SELECT is((SELECT (supplyml.forecast(d, 1, 1, '{"method": "mean"}')).note
           FROM generate_series('2024-01-01'::date, '2024-01-20', '1 day') d WHERE d <> '2024-01-05'),
          '1 missing periods filled (zero)', 'missing period filled with zero');
SELECT throws_ok($$SELECT supplyml.forecast(d::date, 1, 1, '{"missing": "error"}')
                   FROM generate_series('2024-01-01'::date, '2024-01-20', '1 day') d WHERE d <> '2024-01-05'$$,
                 '22000', 'series has missing periods, the first at 2024-01-05', 'missing = error names the first gap');

-- Backtest: overall row has every series.
SELECT is((SELECT series FROM supplyml.forecast_backtest(
             'SELECT 1, month, passengers FROM fixtures_forecast.air', 12, 'snaive', windows => 2)
           WHERE series_key IS NULL), 1, 'backtest overall row');

-- Bad inputs.
SELECT throws_ok($$SELECT supplyml.forecast(d, 1, 3, '{"duplicates": "error"}') FROM (VALUES ('2024-01-01'::date), ('2024-01-01')) v(d)$$,
                 '23505', 'duplicate timestamp 2024-01-01 in series', 'duplicate timestamps under duplicates error');
SELECT throws_ok($$SELECT supplyml.forecast(d, 'NaN', 3) FROM generate_series('2024-01-01'::date, '2024-01-09', '1 day') d$$,
                 '22000', 'series contains a non-finite value', 'NaN value');
SELECT throws_ok($$SELECT supplyml.forecast(d, 'Infinity', 3) FROM generate_series('2024-01-01'::date, '2024-01-09', '1 day') d$$,
                 '22000', 'series contains a non-finite value', 'infinite value');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 0) FROM fixtures_forecast.air$$,
                 '22023', 'horizon must be at least 1', 'horizon < 1');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"method": "prophet"}') FROM fixtures_forecast.air$$,
                 '22023', NULL, 'unknown method');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"methd": "ets"}') FROM fixtures_forecast.air$$,
                 '22023', NULL, 'unknown option key');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"method": "snaive", "season": 200}') FROM fixtures_forecast.air$$,
                 '22023', 'season length 200 does not fit the series', 'season that does not fit');
SELECT throws_ok($$SELECT supplyml.forecast(d, 5, 3, '{"method": "drift"}') FROM generate_series('2024-01-01'::date, '2024-01-02', '1 day') d$$,
                 '22000', 'series too short for method drift', 'series too short');
SELECT throws_like($$SELECT * FROM supplyml.forecast_batch(
                     'SELECT k, d, 1.0 FROM (VALUES (7, ''2024-01-01''::date), (7, ''2024-01-01''), (8, ''2024-01-01'')) v(k, d)', 3,
                     duplicates => 'error')$$,
                   'series 7: duplicate timestamp 2024-01-01 in series', 'batch errors name the series key and the date');
SELECT throws_ok($$SELECT * FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 3, method => 'croston', options => '{"alpha": 2}')$$,
                 '22023', NULL, 'option out of range');

SELECT * FROM finish();
ROLLBACK;
