-- The model registry: named, versioned models with their fitted arrays stored
-- beside them in chunks (so no model is limited by the 1 GB value size).
-- A name's current version is its highest; publishing a version is part of the
-- caller's transaction, so readers see the old model or the new one.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE TABLE supplyml.model (
    model_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    version         integer     NOT NULL CHECK (version > 0),
    kind            text        NOT NULL,
    params          jsonb       NOT NULL DEFAULT '{}',
    metrics         jsonb       NOT NULL DEFAULT '{}',
    device          text        NOT NULL,
    rows_used       bigint      NOT NULL,
    trained_at      timestamptz NOT NULL DEFAULT now(),
    trained_by      name        NOT NULL DEFAULT current_user,
    format_version  integer     NOT NULL,
    payload_bytes   bigint      NOT NULL,
    chunks          integer     NOT NULL,
    UNIQUE (name, version)
);
COMMENT ON TABLE supplyml.model IS
  'One row per published model version; the fitted arrays are in supplyml.model_chunk.';

CREATE TABLE supplyml.model_chunk (
    model_id  bigint  NOT NULL REFERENCES supplyml.model ON DELETE CASCADE,
    seq       integer NOT NULL,
    data      bytea   NOT NULL,
    PRIMARY KEY (model_id, seq)
);
-- Fitted arrays are floating point and compress poorly: store them as they are.
ALTER TABLE supplyml.model_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
COMMENT ON TABLE supplyml.model_chunk IS
  'Encoded model payloads (format version and checksum inside), split into chunks in seq order.';

-- User models are data: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('supplyml.model', '');
SELECT pg_catalog.pg_extension_config_dump('supplyml.model_chunk', '');

CREATE VIEW supplyml.model_versions AS
SELECT m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       m.version = max(m.version) OVER (PARTITION BY m.name) AS is_current
FROM supplyml.model m;
COMMENT ON VIEW supplyml.model_versions IS 'Every stored version of every model.';

CREATE VIEW supplyml.models AS
SELECT DISTINCT ON (m.name)
       m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       count(*) OVER (PARTITION BY m.name) AS versions
FROM supplyml.model m
ORDER BY m.name, m.version DESC;
COMMENT ON VIEW supplyml.models IS
  'One row per model name: its current (highest) version and how many versions are stored.';

-- The one error for a model name (and version) that the registry does not hold.
CREATE FUNCTION supplyml.raise_unknown_model(model text, version integer)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'model "%"% does not exist', model,
          CASE WHEN version IS NULL THEN '' ELSE format(' version %s', version) END
        USING ERRCODE = 'undefined_object',
              DETAIL = 'The model registry holds no such model.',
              HINT = 'List the stored models with SELECT * FROM supplyml.models.';
END
$$;

CREATE FUNCTION supplyml.model_describe(model text, version integer DEFAULT NULL)
RETURNS SETOF supplyml.model_versions
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT v.* FROM supplyml.model_versions v
    WHERE v.name = model_describe.model
      AND (model_describe.version IS NULL AND v.is_current OR v.version = model_describe.version);
    IF NOT FOUND THEN
        PERFORM supplyml.raise_unknown_model(model, version);
    END IF;
END
$$;
COMMENT ON FUNCTION supplyml.model_describe(text, integer) IS
  'Metadata of a model version (the current one when version is NULL).';

CREATE FUNCTION supplyml.model_drop(model text, version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
BEGIN
    DELETE FROM supplyml.model m
    WHERE m.name = model_drop.model
      AND (model_drop.version IS NULL OR m.version = model_drop.version);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    IF dropped = 0 THEN
        PERFORM supplyml.raise_unknown_model(model, version);
    END IF;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_drop(text, integer) IS
  'Drops one version of a model, or every version when version is NULL; returns how many.';

CREATE FUNCTION supplyml.model_verify(model text, version integer DEFAULT NULL)
RETURNS TABLE (name text, version integer, payload_bytes bigint, sections integer)
AS 'MODULE_PATHNAME', 'sml_model_verify'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.model_verify(text, integer) IS
  'Reads a model version back, checks its format and checksum and decodes every array; '
  'raises data_corrupted if the stored bytes are damaged.';
