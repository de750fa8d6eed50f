-- sMAPE and MASE as in the M4 competition: per series over the horizon, then
-- averaged over the series of each frequency.
SELECT source, freq, count(*) AS series,
       round(avg(smape)::numeric, 3) AS smape, round(avg(mase)::numeric, 3) AS mase
FROM (SELECT f.source, f.freq, f.id,
             avg(200 * abs(a.value - f.point) / (abs(a.value) + abs(f.point))) AS smape,
             avg(abs(a.value - f.point)) / min(s.scale) AS mase
      FROM m4.fc f JOIN m4.test a USING (freq, id, step) JOIN m4.scale s USING (freq, id)
      GROUP BY f.source, f.freq, f.id) per_series
GROUP BY source, freq ORDER BY freq DESC, source;
