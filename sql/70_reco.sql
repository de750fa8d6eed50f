-- Recommendations by matrix factorization (implicit and explicit ALS): training
-- into the model registry, top-k per user, similar items, scores, evaluation.
-- User and item ids may be integers or text; results return them as text
-- (integers in decimal). See docs/recommendations.md.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION supplyml.mf_train(
    model text, source text,
    factors integer DEFAULT 64, iterations integer DEFAULT 15,
    regularization float8 DEFAULT 0.01, feedback text DEFAULT 'implicit',
    alpha float8 DEFAULT 1, seed bigint DEFAULT 42, options jsonb DEFAULT '{}',
    OUT model text, OUT version integer, OUT users bigint, OUT items bigint,
    OUT interactions bigint, OUT final_loss float8, OUT seconds float8, OUT device text)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_mf_train'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.mf_train(text, text, integer, integer, float8, text, float8, bigint, jsonb) IS
  'Trains an ALS matrix factorization on a query returning (user, item, weight) and publishes it '
  'as a new version of the named model; options: solver (cg|cholesky), cg_steps, scaling (linear|log), '
  'epsilon, verbose, promote (false: stored but not made current until model_promote), '
  'precision (fp32|fp16: factor storage on the GPU).';

CREATE FUNCTION supplyml.recommend(
    model text, user_id bigint, k integer DEFAULT 10, exclude_seen boolean DEFAULT true,
    version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.recommend(
    model text, user_id text, k integer DEFAULT 10, exclude_seen boolean DEFAULT true,
    version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.recommend(text, bigint, integer, boolean, integer) IS
  'Top k items for a user (reason personal); a user the model does not know gets the most popular items (reason popular, score NULL). version: a stored version instead of the current one.';
COMMENT ON FUNCTION supplyml.recommend(text, text, integer, boolean, integer) IS
  'Top k items for a user (reason personal); a user the model does not know gets the most popular items (reason popular, score NULL). version: a stored version instead of the current one.';

CREATE FUNCTION supplyml.recommend_all(
    model text, k integer DEFAULT 10, users text DEFAULT NULL, version integer DEFAULT NULL,
    OUT user_id text, OUT item_id text, OUT score float8, OUT rank integer, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_recommend_all'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.recommend_all(text, integer, text, integer) IS
  'Top k unseen items for every user of the model, or for the users a query returns (reason personal; '
  'unknown users get the most popular items, reason popular, score NULL).';

CREATE FUNCTION supplyml.similar_items(
    model text, item_id bigint, k integer DEFAULT 10, version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_similar_items'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.similar_items(
    model text, item_id text, k integer DEFAULT 10, version integer DEFAULT NULL,
    OUT item_id text, OUT score float8, OUT rank integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_similar_items'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.similar_items(text, bigint, integer, integer) IS
  'The k items whose factors have the highest cosine similarity to the given item''s.';
COMMENT ON FUNCTION supplyml.similar_items(text, text, integer, integer) IS
  'The k items whose factors have the highest cosine similarity to the given item''s.';

CREATE FUNCTION supplyml.mf_score(model text, user_id bigint, item_id bigint, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id bigint, item_id text, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id text, item_id bigint, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_score(model text, user_id text, item_id text, version integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'sml_mf_score' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.mf_score(text, bigint, bigint, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, bigint, text, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, text, bigint, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';
COMMENT ON FUNCTION supplyml.mf_score(text, text, text, integer) IS
  'Predicted preference x_u . y_i (implicit) or rating mu + b_u + b_i + x_u . y_i (explicit).';

CREATE FUNCTION supplyml.mf_evaluate(
    model text, test text, k integer DEFAULT 10, version integer DEFAULT NULL,
    OUT metric text, OUT model float8, OUT popularity float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'sml_mf_evaluate'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION supplyml.mf_evaluate(text, text, integer, integer) IS
  'Ranking metrics at k (precision, recall, MAP, NDCG, AUC, coverage; RMSE and MAE for explicit models) '
  'on held-out (user, item[, rating]) rows, for the model and the popularity baseline side by side.';

-- Training as an aggregate over any query, and publishing its result.
CREATE DOMAIN supplyml.mf_model AS bytea;
COMMENT ON DOMAIN supplyml.mf_model IS
  'A fitted matrix factorization model as a value: the encoded registry payload (factors, keys and '
  'their types, training parameters and loss, behind a checksum) that mf_fit returns and mf_publish registers.';

CREATE FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8, jsonb) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_combinefn(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_combinefn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_serialfn(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'sml_mf_fit_serialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_deserialfn(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'sml_mf_fit_deserialfn' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION supplyml.mf_fit_finalfn(internal) RETURNS supplyml.mf_model
AS 'MODULE_PATHNAME', 'sml_mf_fit_finalfn' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8) IS 'Transition function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_transfn(internal, "any", "any", float8, jsonb) IS 'Transition function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_combinefn(internal, internal) IS 'Combine function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_serialfn(internal) IS 'Serial function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_deserialfn(bytea, internal) IS 'Deserial function of mf_fit.';
COMMENT ON FUNCTION supplyml.mf_fit_finalfn(internal) IS 'Final function of mf_fit: trains and returns the model value.';

CREATE AGGREGATE supplyml.mf_fit("any", "any", float8) (
  SFUNC = supplyml.mf_fit_transfn, STYPE = internal, SSPACE = 1048576,
  COMBINEFUNC = supplyml.mf_fit_combinefn,
  SERIALFUNC = supplyml.mf_fit_serialfn, DESERIALFUNC = supplyml.mf_fit_deserialfn,
  FINALFUNC = supplyml.mf_fit_finalfn, FINALFUNC_MODIFY = READ_WRITE,
  PARALLEL = SAFE);
CREATE AGGREGATE supplyml.mf_fit("any", "any", float8, jsonb) (
  SFUNC = supplyml.mf_fit_transfn, STYPE = internal, SSPACE = 1048576,
  COMBINEFUNC = supplyml.mf_fit_combinefn,
  SERIALFUNC = supplyml.mf_fit_serialfn, DESERIALFUNC = supplyml.mf_fit_deserialfn,
  FINALFUNC = supplyml.mf_fit_finalfn, FINALFUNC_MODIFY = READ_WRITE,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE supplyml.mf_fit("any", "any", float8) IS
  'Fits an ALS matrix factorization on (user id, item id, weight) rows (ids integer or text; duplicate '
  'pairs summed) and returns the model value; publish it with mf_publish.';
COMMENT ON AGGREGATE supplyml.mf_fit("any", "any", float8, jsonb) IS
  'Fits an ALS matrix factorization on (user id, item id, weight) rows; options: factors, iterations, '
  'regularization, feedback, alpha, seed, solver, cg_steps, scaling, epsilon, verbose, precision.';

CREATE FUNCTION supplyml.mf_publish(
    model text, value supplyml.mf_model, promote boolean DEFAULT true,
    OUT model text, OUT version integer, OUT users bigint, OUT items bigint,
    OUT interactions bigint, OUT final_loss float8, OUT seconds float8, OUT device text)
RETURNS record
AS 'MODULE_PATHNAME', 'sml_mf_publish'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION supplyml.mf_publish(text, supplyml.mf_model, boolean) IS
  'Registers a model value from mf_fit as the next version of the named model (current unless promote is false); '
  'returns the same summary as mf_train.';
