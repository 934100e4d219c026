-- The key a record value is sorted and matched by (lib/records/server/value-key.ts), as
-- one function of the value. Written inline, the key named `values->'field'` four times,
-- and `values` is stored compressed in the row, so every row an index walk or a filter
-- tested was decompressed and searched four times; here it is read once, by the caller.
-- PL/pgSQL, not SQL: a SQL function this size is not inlined either (STRICT over a CASE,
-- and to_jsonb is STABLE) and its per-call setup cost more than the plpgsql fast path.
-- IMMUTABLE so it may appear in index expressions (to_jsonb of text depends on nothing);
-- STRICT: a missing field has no key, as before. 200 is KEY_CHARS.
CREATE FUNCTION datawright_value_key(v jsonb) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  CASE jsonb_typeof(v)
    WHEN 'string' THEN
      IF length(v #>> '{}') > 200 THEN
        RETURN to_jsonb(left(v #>> '{}', 200));
      END IF;
    WHEN 'array', 'object' THEN
      RETURN to_jsonb(left(v::text, 200));
    ELSE
      NULL;
  END CASE;
  RETURN v;
END
$$;

-- The value indexes and their statistics were built on the inline key; the new ones (named
-- manual_rv2_*, so the two never mix) are built when the dataset's records next land.
DO $$
DECLARE
  o record;
BEGIN
  FOR o IN SELECT relname FROM pg_class WHERE relkind = 'i' AND starts_with(relname, 'manual_rv_') LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I', o.relname);
  END LOOP;
  FOR o IN SELECT stxname FROM pg_statistic_ext WHERE starts_with(stxname, 'manual_rs_') LOOP
    EXECUTE format('DROP STATISTICS IF EXISTS %I', o.stxname);
  END LOOP;
END
$$;

-- Only the inline key used it.
DROP FUNCTION datawright_jsonb_text(text);
