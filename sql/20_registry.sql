-- The model registry: named, versioned models with their fitted arrays stored
-- beside them in chunks (so no model is limited by the 1 GB value size).
-- A name's current version is the one made live last: publishing makes the new
-- version live unless asked not to, and model_promote makes any stored version
-- live again (a rollback is one call). Publishing is part of the caller's
-- transaction, so readers see the old model or the new one.
-- Each name has an owner, the role that first published it: only members of
-- that role (and superusers) may publish more versions of it or drop them.
-- Row-level security enforces this on the tables themselves, so it holds for
-- direct DML as well as for the functions, none of which is SECURITY DEFINER.
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
    owner           name        NOT NULL DEFAULT current_user,
    live_since      timestamptz,
    UNIQUE (name, version)
);
COMMENT ON TABLE supplyml.model IS
  'One row per published model version; the fitted arrays are in supplyml.model_chunk.';
COMMENT ON COLUMN supplyml.model.owner IS
  'The role that first published the name; its members may publish, drop and prune versions.';
COMMENT ON COLUMN supplyml.model.live_since IS
  'When this version was last made current (published live or promoted); NULL if never. '
  'The current version of a name is the one with the latest live_since (the highest version if none has one).';

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

-- Whether the current role may act as `role`: a member of it, or a superuser.
-- Unlike pg_has_role, false (not an error) for a role that has been dropped,
-- so a model whose owner was dropped stays readable, and changeable by superusers.
CREATE FUNCTION supplyml.is_member_of(role name)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
               WHERE r.rolname = is_member_of.role AND pg_catalog.pg_has_role(r.oid, 'MEMBER'))
    OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false);
COMMENT ON FUNCTION supplyml.is_member_of(name) IS
  'True when the current role is a member of the given role, or a superuser; false for a dropped role.';

-- The owner of a model name, or NULL for a name not yet published. A function,
-- not a subquery, so that the policies below may consult the table they guard.
CREATE FUNCTION supplyml.model_owner(model text)
RETURNS name
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT m.owner FROM supplyml.model m WHERE m.name = model_owner.model
        ORDER BY m.version LIMIT 1);
COMMENT ON FUNCTION supplyml.model_owner(text) IS
  'The role owning a model name (the one that first published it), or NULL if the name is unused.';

-- The current version of a model name, or NULL for a name not published:
-- the version made live last, or the highest when none was ever made live.
CREATE FUNCTION supplyml.model_current_version(model text)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT m.version FROM supplyml.model m WHERE m.name = model_current_version.model
        ORDER BY m.live_since DESC NULLS LAST, m.version DESC LIMIT 1);
COMMENT ON FUNCTION supplyml.model_current_version(text) IS
  'The version of a model that serving calls use when given no version: the one made live last '
  '(published or promoted), or the highest if none was; NULL for an unknown name.';

ALTER TABLE supplyml.model ENABLE ROW LEVEL SECURITY;
CREATE POLICY model_read ON supplyml.model FOR SELECT USING (true);
CREATE POLICY model_publish ON supplyml.model FOR INSERT
    WITH CHECK (supplyml.is_member_of(owner)
                AND coalesce(supplyml.model_owner(name) = owner, true));
CREATE POLICY model_change ON supplyml.model FOR UPDATE
    USING (supplyml.is_member_of(owner))
    WITH CHECK (supplyml.is_member_of(owner)
                AND coalesce(supplyml.model_owner(name) = owner, true));
CREATE POLICY model_drop ON supplyml.model FOR DELETE
    USING (supplyml.is_member_of(owner));

-- Whether the current role may change the stored chunks of a model version.
CREATE FUNCTION supplyml.model_chunk_writable(model_id bigint)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN coalesce((SELECT supplyml.is_member_of(m.owner) FROM supplyml.model m
                 WHERE m.model_id = model_chunk_writable.model_id), false);
COMMENT ON FUNCTION supplyml.model_chunk_writable(bigint) IS
  'True when the current role is a member of the owner of the model version with this id.';

ALTER TABLE supplyml.model_chunk ENABLE ROW LEVEL SECURITY;
CREATE POLICY chunk_read ON supplyml.model_chunk FOR SELECT USING (true);
CREATE POLICY chunk_write ON supplyml.model_chunk FOR ALL
    USING (supplyml.model_chunk_writable(model_id))
    WITH CHECK (supplyml.model_chunk_writable(model_id));

-- User models are data: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('supplyml.model', '');
SELECT pg_catalog.pg_extension_config_dump('supplyml.model_chunk', '');

CREATE VIEW supplyml.model_versions AS
SELECT m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       m.version = first_value(m.version) OVER (PARTITION BY m.name
                                                ORDER BY m.live_since DESC NULLS LAST, m.version DESC) AS is_current,
       m.owner, m.live_since
FROM supplyml.model m;
COMMENT ON VIEW supplyml.model_versions IS 'Every stored version of every model.';

CREATE VIEW supplyml.models AS
SELECT DISTINCT ON (m.name)
       m.name, m.version, m.kind, m.params, m.metrics, m.device, m.rows_used,
       m.trained_at, m.trained_by, m.payload_bytes,
       count(*) OVER (PARTITION BY m.name) AS versions,
       m.owner, m.live_since,
       max(m.version) OVER (PARTITION BY m.name) AS latest_version
FROM supplyml.model m
ORDER BY m.name, m.live_since DESC NULLS LAST, m.version DESC;
COMMENT ON VIEW supplyml.models IS
  'One row per model name: its current version (the one serving calls use) and how many versions are stored.';

-- Column comments of both views, from one list.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('name', 'The model name, as given to mf_train or mf_publish.'),
        ('version', 'The version number, from 1, one higher for each publish of the name (in models: the current version).'),
        ('kind', 'What the model is for (mf: matrix factorization for recommend, similar_items, mf_score).'),
        ('params', 'The training parameters, as jsonb.'),
        ('metrics', 'Figures of the training run (sizes, loss per iteration, seconds), as jsonb.'),
        ('device', 'The device that trained it (cpu, or gpu with its index).'),
        ('rows_used', 'Source rows the training read.'),
        ('trained_at', 'When the version was published.'),
        ('trained_by', 'The role that published the version.'),
        ('payload_bytes', 'Size of the stored fitted arrays in bytes.'),
        ('is_current', 'True for the version serving calls use when given no version.'),
        ('versions', 'How many versions of the name are stored.'),
        ('owner', 'The role owning the name (its first publisher); its members may publish, promote, drop and prune.'),
        ('live_since', 'When the version was last made current (published live or promoted); NULL if never.'),
        ('latest_version', 'The highest stored version, which may differ from the current one after a rollback '
                           'or a publish with promote false.')) AS t(col, text)
    LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = 'supplyml.model_versions'::pg_catalog.regclass AND a.attname = c.col) THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN supplyml.model_versions.%I IS %L', c.col, c.text);
        END IF;
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = 'supplyml.models'::pg_catalog.regclass AND a.attname = c.col) THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN supplyml.models.%I IS %L', c.col, c.text);
        END IF;
    END LOOP;
END
$$;

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
              HINT = 'List the stored models with SELECT * FROM supplyml.models, or train one first.';
END
$$;
COMMENT ON FUNCTION supplyml.raise_unknown_model(text, integer) IS
  'Raises the error for a model (version) the registry does not hold; every function uses this one.';

-- The one error for changing a model the current role does not own.
CREATE FUNCTION supplyml.raise_not_model_owner(model text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'must be a member of role "%" to change model "%"',
                    supplyml.model_owner(model), model
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = format('Model "%s" belongs to role "%s", the role that first published it; '
                              'role "%s" is not a member of it.', model, supplyml.model_owner(model), current_user),
              HINT = 'Publish under another model name, or ask the owner to grant you its role.';
END
$$;
COMMENT ON FUNCTION supplyml.raise_not_model_owner(text) IS
  'Raises the error for publishing, dropping or pruning a model owned by a role the caller is not a member of.';

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

CREATE FUNCTION supplyml.model_drop(model text, version integer DEFAULT NULL,
                                    if_exists boolean DEFAULT false)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
    owned_by name := supplyml.model_owner(model);
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'model_drop drops versions of one named model.',
                  HINT = 'Pass a name listed by SELECT name FROM supplyml.models.';
    END IF;
    IF owned_by IS NOT NULL AND NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model);
    END IF;
    DELETE FROM supplyml.model m
    WHERE m.name = model_drop.model
      AND (model_drop.version IS NULL OR m.version = model_drop.version);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    IF dropped = 0 THEN
        IF coalesce(if_exists, false) THEN
            RAISE NOTICE 'model "%"% does not exist, skipping', model,
                  CASE WHEN version IS NULL THEN '' ELSE format(' version %s', version) END;
        ELSE
            PERFORM supplyml.raise_unknown_model(model, version);
        END IF;
    END IF;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_drop(text, integer, boolean) IS
  'Drops one version of a model, or every version when version is NULL; returns how many. Dropping the '
  'current version makes the version made live before it current. With if_exists, a missing model is a NOTICE.';

CREATE FUNCTION supplyml.model_prune(model text, keep integer DEFAULT 1)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dropped integer;
    owned_by name := supplyml.model_owner(model);
BEGIN
    IF keep IS NULL OR keep < 1 THEN
        RAISE EXCEPTION 'keep must be at least 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('keep is %s; model_prune always keeps the current version.',
                                  coalesce(keep::text, 'NULL')),
                  HINT = 'Drop every version with supplyml.model_drop instead.';
    END IF;
    IF owned_by IS NULL THEN
        PERFORM supplyml.raise_unknown_model(model, NULL);
    END IF;
    IF NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model);
    END IF;
    DELETE FROM supplyml.model m
    WHERE m.name = model_prune.model
      AND m.version IS DISTINCT FROM supplyml.model_current_version(model_prune.model)
      AND m.version NOT IN (SELECT k.version FROM supplyml.model k WHERE k.name = model_prune.model
                            ORDER BY k.version DESC LIMIT model_prune.keep);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION supplyml.model_prune(text, integer) IS
  'Drops all but the newest keep versions of a model, never the current one; returns how many were dropped.';

CREATE FUNCTION supplyml.model_promote(model text, version integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    owned_by name := supplyml.model_owner(model_promote.model);
    previous_version integer;
BEGIN
    IF model_promote.version IS NULL THEN
        RAISE EXCEPTION 'version must not be NULL'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'model_promote makes one stored version current.',
                  HINT = 'Pass a version listed by SELECT * FROM supplyml.model_versions.';
    END IF;
    IF owned_by IS NULL THEN
        PERFORM supplyml.raise_unknown_model(model_promote.model, NULL);
    END IF;
    IF NOT supplyml.is_member_of(owned_by) THEN
        PERFORM supplyml.raise_not_model_owner(model_promote.model);
    END IF;
    previous_version := supplyml.model_current_version(model_promote.model);
    UPDATE supplyml.model m SET live_since = pg_catalog.clock_timestamp()
    WHERE m.name = model_promote.model AND m.version = model_promote.version;
    IF NOT FOUND THEN
        PERFORM supplyml.raise_unknown_model(model_promote.model, model_promote.version);
    END IF;
    RETURN previous_version;
END
$$;
COMMENT ON FUNCTION supplyml.model_promote(text, integer) IS
  'Makes a stored version of a model the current one, which serving calls use when given no version '
  '(a rollback is one call); returns the version that was current before, to undo it with.';

CREATE FUNCTION supplyml.model_verify(model text, version integer DEFAULT NULL)
RETURNS TABLE (name text, version integer, payload_bytes bigint, sections integer)
AS 'MODULE_PATHNAME', 'sml_model_verify'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION supplyml.model_verify(text, integer) IS
  'Reads a model version back, checks its format and checksum and decodes every array; '
  'raises data_corrupted if the stored bytes are damaged.';
