-- Recommendations: implicit ALS on Online Retail (UCI id 352, Chen, Sain & Guo
-- 2012, CC BY 4.0), trained before 2011-10-01 and checked on what customers
-- bought for the first time afterwards.
\pset footer off
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS demo_reco;
DROP TABLE IF EXISTS demo_reco.lines;
CREATE TABLE demo_reco.lines (invoice text, stock_code text, description text, quantity integer,
  invoice_date timestamp, unit_price numeric, customer_id text, country text);
\set src :data_dir '/online_retail/online_retail.csv.xz'
\set copycmd '\\copy demo_reco.lines FROM PROGRAM ' '''xz -dc ' :src '''' ' WITH (FORMAT csv, HEADER true)'
:copycmd
-- Products only (five-digit stock codes), no cancellations, known customers.
CREATE OR REPLACE VIEW demo_reco.purchases AS
SELECT customer_id::bigint AS customer_id, stock_code, invoice, invoice_date
FROM demo_reco.lines
WHERE customer_id <> '' AND invoice NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0
  AND stock_code ~ '^[0-9]{5}[A-Za-z]*$';

\echo 'Training (customers x products, weight = distinct invoices, before 2011-10-01):'
SELECT model, version, users, items, interactions, round(final_loss::numeric, 5) AS final_loss,
       round(seconds::numeric, 2) AS seconds, device
FROM supplyml.mf_train('retail_reco',
  $$SELECT customer_id, stock_code, count(DISTINCT invoice) FROM demo_reco.purchases
    WHERE invoice_date < '2011-10-01' GROUP BY 1, 2$$,
  factors => 64, iterations => 15, regularization => 0.01, alpha => 1);

\echo 'Top 5 for customer 12347:'
SELECT r.rank, r.item_id, left(p.description, 40) AS description, round(r.score::numeric, 3) AS score, r.reason
FROM supplyml.recommend('retail_reco', 12347, k => 5) r
LEFT JOIN LATERAL (SELECT description FROM demo_reco.lines WHERE stock_code = r.item_id LIMIT 1) p ON true
ORDER BY r.rank;

\echo 'Items like 85123A (WHITE HANGING HEART T-LIGHT HOLDER):'
SELECT s.rank, s.item_id, left(p.description, 40) AS description, round(s.score::numeric, 3) AS cosine
FROM supplyml.similar_items('retail_reco', '85123A', k => 5) s
LEFT JOIN LATERAL (SELECT description FROM demo_reco.lines WHERE stock_code = s.item_id LIMIT 1) p ON true
ORDER BY s.rank;

\echo 'Held-out check (items first bought after 2011-10-01), model vs popularity:'
SELECT metric, round(model::numeric, 4) AS model, round(popularity::numeric, 4) AS popularity,
       round((model / nullif(popularity, 0))::numeric, 2) AS ratio
FROM supplyml.mf_evaluate('retail_reco', $$
  SELECT DISTINCT a.customer_id, a.stock_code FROM demo_reco.purchases a
  WHERE a.invoice_date >= '2011-10-01' AND NOT EXISTS (
    SELECT 1 FROM demo_reco.purchases b WHERE b.customer_id = a.customer_id
      AND b.stock_code = a.stock_code AND b.invoice_date < '2011-10-01')$$, k => 10)
WHERE metric IN ('precision@10', 'ndcg@10', 'map@10', 'coverage@10');

\echo 'The same training as an aggregate inside a query, published by mf_publish:'
SELECT p.model, p.version, p.users, p.items, round(p.final_loss::numeric, 5) AS final_loss
FROM (SELECT supplyml.mf_fit(customer_id, stock_code, n,
        '{"factors": 64, "iterations": 15, "regularization": 0.01, "alpha": 1}') AS m
      FROM (SELECT customer_id, stock_code, count(DISTINCT invoice) AS n FROM demo_reco.purchases
            WHERE invoice_date < '2011-10-01' GROUP BY 1, 2) t) s,
     supplyml.mf_publish('retail_reco_agg', s.m) p;
SELECT (SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('retail_reco_agg', 12347, k => 5))
     = (SELECT array_agg(item_id ORDER BY rank) FROM supplyml.recommend('retail_reco', 12347, k => 5))
       AS same_top5_as_mf_train;

-- The nightly table the storefront reads.
DROP TABLE IF EXISTS demo_reco.recommendations;
CREATE TABLE demo_reco.recommendations AS
SELECT * FROM supplyml.recommend_all('retail_reco', k => 10);
\echo 'demo_reco.recommendations:'
SELECT count(DISTINCT user_id) AS customers, count(*) AS rows FROM demo_reco.recommendations;
