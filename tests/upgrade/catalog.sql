-- A description of everything the supplyml extension puts in a database, one
-- object property a line, sorted, without OIDs: scripts/upgrade-test.sh
-- compares it between a fresh install and an install of the previous release
-- brought forward with ALTER EXTENSION supplyml UPDATE. Run with psql -At.
WITH ext AS (
    SELECT e.oid, e.extversion, e.extnamespace, e.extconfig, e.extcondition
    FROM pg_catalog.pg_extension e WHERE e.extname = 'supplyml'
), member AS (
    SELECT d.classid, d.objid, d.objsubid FROM pg_catalog.pg_depend d, ext
    WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
      AND d.refobjid = ext.oid AND d.deptype = 'e'
), fn AS (
    SELECT p.*, p.oid::pg_catalog.regprocedure::text AS sig
    FROM pg_catalog.pg_proc p, ext WHERE p.pronamespace = ext.extnamespace
), rel AS (
    SELECT c.*, c.oid::pg_catalog.regclass::text AS name
    FROM pg_catalog.pg_class c, ext WHERE c.relnamespace = ext.extnamespace
), typ AS (
    SELECT t.*, t.oid::pg_catalog.regtype::text AS name
    FROM pg_catalog.pg_type t, ext
    WHERE t.typnamespace = ext.extnamespace
      AND t.typelem = 0  -- array types come with their element type
      AND NOT EXISTS (SELECT 1 FROM rel WHERE rel.reltype = t.oid AND rel.relkind <> 'c')
)
-- One line a property: multi-line texts (function bodies, views) are folded.
SELECT pg_catalog.regexp_replace(line, '\s*\n\s*', ' ', 'g') FROM (
-- Members of the extension, whatever their kind or schema.
SELECT 'member ' || pg_catalog.pg_describe_object(classid, objid, objsubid) FROM member
UNION ALL
SELECT 'schema ' || n.nspname || ' owner-is-superuser=' || r.rolsuper || ' acl=' || coalesce(n.nspacl::text, '-')
       || ' comment=' || coalesce(pg_catalog.obj_description(n.oid, 'pg_namespace'), '-')
FROM pg_catalog.pg_namespace n JOIN ext ON n.oid = ext.extnamespace
JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
UNION ALL
-- Functions, procedures and aggregates with everything CREATE FUNCTION sets.
SELECT 'function ' || sig || ' kind=' || prokind::text || ' returns=' || pg_catalog.pg_get_function_result(oid)
       || ' args=' || pg_catalog.pg_get_function_arguments(oid)
       || ' lang=' || (SELECT lanname FROM pg_catalog.pg_language l WHERE l.oid = prolang)
       || ' volatile=' || provolatile::text || ' strict=' || proisstrict || ' parallel=' || proparallel::text
       || ' secdef=' || prosecdef || ' leakproof=' || proleakproof || ' retset=' || proretset
       || ' cost=' || procost || ' rows=' || prorows
       || ' config=' || coalesce(proconfig::text, '-') || ' acl=' || coalesce(proacl::text, '-')
       || ' bin=' || coalesce(probin, '-') || ' src=' || coalesce(prosrc, '-')
       || ' sqlbody=' || coalesce(pg_catalog.pg_get_function_sqlbody(oid), '-')
FROM fn
UNION ALL
SELECT 'comment function ' || sig || ' = ' || pg_catalog.obj_description(oid, 'pg_proc')
FROM fn WHERE pg_catalog.obj_description(oid, 'pg_proc') IS NOT NULL
UNION ALL
SELECT 'aggregate ' || a.aggfnoid::pg_catalog.regprocedure::text || ' kind=' || a.aggkind::text
       || ' trans=' || a.aggtransfn::pg_catalog.regproc::text || ' final=' || a.aggfinalfn::pg_catalog.regproc::text
       || ' combine=' || a.aggcombinefn::pg_catalog.regproc::text || ' serial=' || a.aggserialfn::pg_catalog.regproc::text
       || ' deserial=' || a.aggdeserialfn::pg_catalog.regproc::text
       || ' mtrans=' || a.aggmtransfn::pg_catalog.regproc::text || ' minvtrans=' || a.aggminvtransfn::pg_catalog.regproc::text
       || ' mfinal=' || a.aggmfinalfn::pg_catalog.regproc::text
       || ' finalextra=' || a.aggfinalextra || ' finalmodify=' || a.aggfinalmodify::text
       || ' sortop=' || a.aggsortop::pg_catalog.regoperator::text
       || ' stype=' || a.aggtranstype::pg_catalog.regtype::text || ' sspace=' || a.aggtransspace
       || ' initval=' || coalesce(a.agginitval, '-') || ' numdirect=' || a.aggnumdirectargs
FROM pg_catalog.pg_aggregate a JOIN fn ON fn.oid = a.aggfnoid
UNION ALL
-- Types: composites with their attributes, domains with their base and checks, enums.
SELECT 'type ' || name || ' kind=' || typtype::text || ' base=' || typbasetype::pg_catalog.regtype::text
       || ' notnull=' || typnotnull || ' default=' || coalesce(typdefault, '-')
       || ' comment=' || coalesce(pg_catalog.obj_description(oid, 'pg_type'), '-')
FROM typ
UNION ALL
SELECT 'type ' || t.name || ' check ' || c.conname || ' ' || pg_catalog.pg_get_constraintdef(c.oid)
FROM typ t JOIN pg_catalog.pg_constraint c ON c.contypid = t.oid
UNION ALL
SELECT 'type ' || t.name || ' label ' || e.enumsortorder || ' ' || e.enumlabel
FROM typ t JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
UNION ALL
-- Relations (tables, views, sequences, indexes, composite types' rows) and their columns.
SELECT 'relation ' || name || ' kind=' || relkind::text || ' persistence=' || relpersistence::text
       || ' options=' || coalesce(reloptions::text, '-') || ' acl=' || coalesce(relacl::text, '-')
       || ' rowsecurity=' || relrowsecurity
       || ' comment=' || coalesce(pg_catalog.obj_description(oid, 'pg_class'), '-')
FROM rel
UNION ALL
SELECT 'relation ' || r.name || ' column ' || a.attnum || ' ' || a.attname
       || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
       || ' default=' || coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '-')
       || ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text
       || ' storage=' || a.attstorage::text || ' collation=' || coalesce(a.attcollation::pg_catalog.regcollation::text, '-')
       || ' acl=' || coalesce(a.attacl::text, '-')
       || ' comment=' || coalesce(pg_catalog.col_description(r.oid, a.attnum), '-')
FROM rel r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
UNION ALL
SELECT 'relation ' || r.name || ' constraint ' || c.conname || ' ' || pg_catalog.pg_get_constraintdef(c.oid)
FROM rel r JOIN pg_catalog.pg_constraint c ON c.conrelid = r.oid
UNION ALL
SELECT 'relation ' || r.name || ' index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
FROM rel r JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
UNION ALL
SELECT 'relation ' || r.name || ' trigger ' || pg_catalog.pg_get_triggerdef(t.oid)
FROM rel r JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
UNION ALL
SELECT 'relation ' || r.name || ' policy ' || p.polname || ' ' || p.polcmd::text || ' '
       || coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '-')
FROM rel r JOIN pg_catalog.pg_policy p ON p.polrelid = r.oid
UNION ALL
SELECT 'relation ' || name || ' view ' || pg_catalog.pg_get_viewdef(oid)
FROM rel WHERE relkind IN ('v', 'm')
UNION ALL
SELECT 'relation ' || r.name || ' sequence ' || s.seqtypid::pg_catalog.regtype::text || ' ' || s.seqstart
       || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcycle
FROM rel r JOIN pg_catalog.pg_sequence s ON s.seqrelid = r.oid
UNION ALL
-- What pg_dump keeps of the configuration tables, and the rows they ship with.
SELECT 'config ' || c.cfg::pg_catalog.regclass::text || ' condition=' || coalesce(ext.extcondition[c.k], '-')
FROM ext, unnest(ext.extconfig) WITH ORDINALITY AS c(cfg, k)
UNION ALL
SELECT 'relation ' || name || ' rows ' || (pg_catalog.xpath('/row/c/text()', pg_catalog.query_to_xml(
           pg_catalog.format('SELECT count(*) || '' '' || coalesce(md5(string_agg(t::text, '','' ORDER BY t::text)), ''-'') AS c FROM %s t', name),
           false, true, '')))[1]::text
FROM rel WHERE relkind IN ('r', 'p')
) AS lines(line)
ORDER BY 1;
