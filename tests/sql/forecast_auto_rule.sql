-- How auto decides for a smooth series, derived again in SQL from the
-- definitions in docs/forecasting.md (the docs' example series: 182 days,
-- horizon 14, daily season 7): every member refitted on all but the last
-- 14 days scores its reported holdout MAE there; the best member has the
-- smallest; a member is dropped exactly when its paired absolute-error
-- differences to the best exceed 3.5 standard errors on average; and the
-- forecast is the mean of the kept members' forecasts of the whole series
-- (here automatic ETS alone: the series is a trend and a smooth wave).
BEGIN;
SELECT plan(5);

CREATE TEMP TABLE ex AS
  SELECT d, 100 + 10 * sin(extract(doy FROM d) / 7.0) + extract(doy FROM d) / 10.0 AS y
  FROM generate_series('2024-01-01'::date, '2024-06-30', '1 day') d;
CREATE TEMP TABLE fc AS SELECT supplyml.forecast(d, y, 14) AS r FROM ex;

-- The members with options that fit each as auto does: automatic ETS's
-- form on the whole series, refitted; the benchmarks by name.
CREATE TEMP TABLE ets_form AS
  SELECT regexp_match((supplyml.forecast(d, y, 14, '{"method": "ets"}')).method,
                      '^ETS\(([AM]),([AN])(d?),([AMN])\)$') AS m FROM ex;
CREATE TEMP TABLE member AS
  SELECT 'ets' AS name, jsonb_build_object('method', 'ets', 'model', m[1] || m[2] || m[4], 'damped', m[3] = 'd') AS opts
  FROM ets_form
  UNION ALL SELECT x, jsonb_build_object('method', x) FROM unnest(ARRAY['theta', 'damped', 'ses', 'snaive']) x;

-- Holdout: the last 14 of the 182 days (min(horizon, n / 4)).
CREATE TEMP TABLE err AS
  SELECT m.name, r.step, abs(a.y - r.point) AS e
  FROM member m,
       LATERAL (SELECT supplyml.forecast(d, y, 14, m.opts) AS f FROM ex WHERE d < '2024-06-17') h,
       LATERAL supplyml.forecast_rows(h.f) r JOIN ex a ON a.d = r.ts;
CREATE TEMP TABLE mae AS SELECT name, avg(e) AS mae FROM err GROUP BY name;

SELECT is((SELECT count(*) FROM mae, fc
           WHERE abs(((r).params->>('holdout_mae_' || name))::float8 - mae) <= 1e-9 * mae),
          5::bigint, 'each member''s reported holdout MAE is its error on the last 14 days');
SELECT is((SELECT (r).params->'best' FROM fc),
          (SELECT jsonb_build_array(name) FROM mae ORDER BY mae LIMIT 1), 'best: the smallest holdout MAE');

-- The pool rule: d_t = |e_member,t| - |e_best,t|, dropped when
-- mean(d) > 3.5 * sd(d) / sqrt(14).
CREATE TEMP TABLE verdict AS
  SELECT o.name, avg(o.e - b.e) > 3.5 * stddev_samp(o.e - b.e) / sqrt(14) AS dropped
  FROM err o JOIN err b ON b.step = o.step
  WHERE b.name = (SELECT name FROM mae ORDER BY mae LIMIT 1)
  GROUP BY o.name;
SELECT is((SELECT array_agg(x ORDER BY x) FROM fc, jsonb_array_elements_text((r).params->'dropped') x),
          (SELECT array_agg(name ORDER BY name) FROM verdict WHERE dropped),
          'dropped: the members clearly worse than the best');
SELECT ok((SELECT CASE jsonb_array_length((r).params->'combined')
                     WHEN 1 THEN (r).method = (r).params->'combined'->>0 AND (r).note LIKE '%lowest holdout MAE of 5 candidates%'
                     ELSE (r).method LIKE 'mean(%' END
                   AND jsonb_array_length((r).params->'combined') = (SELECT count(*) FROM verdict WHERE NOT dropped)
           FROM fc),
          'method and note name what was kept');

-- The forecast: the mean of the kept members' whole-series forecasts.
CREATE TEMP TABLE whole AS
  SELECT r.step, avg(r.point) AS point
  FROM member m JOIN verdict v ON v.name = m.name AND NOT v.dropped,
       LATERAL (SELECT supplyml.forecast(d, y, 14, m.opts) AS f FROM ex) w,
       LATERAL supplyml.forecast_rows(w.f) r
  GROUP BY r.step;
SELECT ok((SELECT bool_and(abs(w.point - r.point) <= 1e-9 * abs(w.point)) AND count(*) = 14
           FROM fc, supplyml.forecast_rows(fc.r) r JOIN whole w USING (step)),
          'point forecast: the mean of the kept members'' forecasts');

SELECT * FROM finish();
ROLLBACK;
