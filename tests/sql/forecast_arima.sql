-- Method arima through SQL against R's forecast package (fixtures from
-- tests/fixtures/arima_reference.R): automatic selection, fixed orders, the
-- batch and backtest functions, and bad input.
BEGIN;
SELECT plan(17);

CREATE TEMP TABLE ref AS
  SELECT kind, id, model, string_to_array(names, ' ') AS names,
         string_to_array(coef, ' ')::float8[] AS coef, sigma2, loglik, aicc,
         string_to_array(forecast, ' ')::float8[] AS point,
         string_to_array(lower, ' ')::float8[] AS lower, string_to_array(upper, ' ')::float8[] AS upper
  FROM fixtures_forecast.arima WHERE id IN ('AirPassengers', 'AirPassengersLog');

-- auto.arima on AirPassengers: R's model, coefficients, AICc and forecasts.
CREATE TEMP TABLE air_arima AS
  SELECT supplyml.forecast(month, passengers, 24, '{"method": "arima"}') AS r FROM fixtures_forecast.air;
SELECT is((SELECT (r).method FROM air_arima),
          (SELECT model FROM ref WHERE kind = 'auto' AND id = 'AirPassengers'),
          'arima on AirPassengers chooses R''s ARIMA(2,1,1)(0,1,0)[12]');
SELECT ok((SELECT bool_and(abs(((a.r).params->>n)::float8 - c) <= 1e-4 * abs(c))
           FROM air_arima a, ref, unnest(ref.names, ref.coef) u(n, c)
           WHERE ref.kind = 'auto' AND ref.id = 'AirPassengers'),
          'coefficients ar1, ar2, ma1 within 1e-4 of R''s');
SELECT ok((SELECT abs((a.r).aicc - ref.aicc) <= 1e-6 * abs(ref.aicc)
             AND abs(((a.r).params->>'loglik')::float8 - ref.loglik) <= 1e-6 * abs(ref.loglik)
             AND abs(((a.r).params->>'sigma2')::float8 - ref.sigma2) <= 1e-5 * ref.sigma2
           FROM air_arima a, ref WHERE ref.kind = 'auto' AND ref.id = 'AirPassengers'),
          'AICc, loglik and sigma2 as R''s');
SELECT ok((SELECT bool_and(abs(f.point - ref.point[f.step]) <= 1e-3 * ref.point[f.step]
                           AND abs(f.lower - ref.lower[f.step]) <= 1e-3 * ref.lower[f.step]
                           AND abs(f.upper - ref.upper[f.step]) <= 1e-3 * ref.upper[f.step])
           FROM air_arima a, supplyml.forecast_rows(a.r) f, ref
           WHERE ref.kind = 'auto' AND ref.id = 'AirPassengers'),
          'forecasts and 95 % bounds within 0.1 % of R''s predict.Arima');

-- Fixed orders on log AirPassengers: the airline model as R's Arima.
CREATE TEMP TABLE air_fixed AS
  SELECT supplyml.forecast(month, ln(passengers), 24,
           '{"method": "arima", "order": [0, 1, 1], "seasonal_order": [0, 1, 1]}') AS r
  FROM fixtures_forecast.air;
SELECT is((SELECT (r).method FROM air_fixed), 'ARIMA(0,1,1)(0,1,1)[12]', 'fixed orders in R''s notation');
SELECT ok((SELECT abs(((a.r).params->>'loglik')::float8 - ref.loglik) <= 1e-6 * abs(ref.loglik)
             AND abs(((a.r).params->>'ma1')::float8 - ref.coef[1]) <= 1e-6
             AND abs(((a.r).params->>'sma1')::float8 - ref.coef[2]) <= 1e-6
           FROM air_fixed a, ref WHERE ref.kind = 'fixed' AND ref.id = 'AirPassengersLog'
             AND ref.model = 'ARIMA(0,1,1)(0,1,1)[12]'),
          'airline model: loglik, ma1 and sma1 equal R''s Arima to 1e-6');
SELECT is((SELECT (supplyml.forecast(month, passengers, 6,
             '{"method": "arima", "order": [2, 1, 0], "season": 1, "include_drift": true}')).method
           FROM fixtures_forecast.air), 'ARIMA(2,1,0) with drift', 'drift in R''s notation');
SELECT is((SELECT (supplyml.forecast(month, passengers, 6,
             '{"method": "arima", "order": [1, 0, 0], "season": 1}')).params ?& ARRAY['ar1', 'intercept', 'sigma2', 'loglik', 'aicc']
           FROM fixtures_forecast.air), true, 'params name the coefficients as R does');

-- forecast_batch and forecast_backtest report the model in R's notation.
SELECT is((SELECT array_agg(DISTINCT method) FROM supplyml.forecast_batch(
             'SELECT k, month, passengers FROM fixtures_forecast.air, (VALUES (1), (2)) v(k)', 12,
             method => 'arima')), ARRAY['ARIMA(2,1,1)(0,1,0)[12]'], 'forecast_batch with method arima');
SELECT ok((SELECT bool_and(abs(b.point - ref.point[b.step]) <= 1e-3 * ref.point[b.step])
           FROM supplyml.forecast_batch('SELECT 1, month, passengers FROM fixtures_forecast.air', 24,
                                        method => 'arima') b, ref
           WHERE ref.kind = 'auto' AND ref.id = 'AirPassengers'), 'forecast_batch forecasts as R''s');
SELECT ok((SELECT method LIKE 'ARIMA(%' AND windows = 2 AND mase > 0
           FROM supplyml.forecast_backtest('SELECT 1, month, passengers FROM fixtures_forecast.air', 12,
                                           method => 'arima', windows => 2) WHERE series_key IS NOT NULL),
          'forecast_backtest with method arima');

-- Constant series: ARIMA(0,0,0) with the value as mean, as R, and a note.
SELECT is((SELECT ((r).method, (r).point[1], (r).note)::text FROM (
             SELECT supplyml.forecast(d, 5.0, 3, '{"method": "arima"}') r
             FROM generate_series('2024-01-01'::date, '2024-01-20', '1 day') d) s),
          '("ARIMA(0,0,0) with non-zero mean",5,"constant series: ARIMA(0,0,0) with the series value as mean")',
          'constant series');

-- Bad input.
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"method": "arima", "seasonal_order": [0, 1, 1]}')
                   FROM fixtures_forecast.air$$, '22023', 'option "seasonal_order" needs "order"',
                 'seasonal_order alone is refused');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"method": "arima", "order": [1, 3, 0]}')
                   FROM fixtures_forecast.air$$, '22023', 'ARIMA d out of range', 'd above 2 is refused');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"method": "arima", "order": [1, 0, 0], "include_drift": true}')
                   FROM fixtures_forecast.air$$, '22023', 'drift needs exactly one difference',
                 'drift without a difference is refused');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3,
                   '{"method": "arima", "order": [0, 0, 1], "seasonal_order": [0, 1, 1], "season": 12}')
                   FROM fixtures_forecast.air WHERE month < '1950-07-01'$$, '22000',
                 'series too short for ARIMA(0,0,1)(0,1,1)[12]', 'seasonal differencing on 18 months is refused');
SELECT throws_ok($$SELECT supplyml.forecast(month, passengers, 3, '{"method": "arima", "order": [3, 1, 3]}')
                   FROM fixtures_forecast.air WHERE month < '1949-07-01'$$, '22000',
                 'series too short for ARIMA(3,1,3)', 'series too short for the orders');

SELECT * FROM finish();
ROLLBACK;
