-- Text as a jsonb string, declared IMMUTABLE so it may appear in index expressions.
-- to_jsonb() is STABLE because some of the types it takes print differently by time
-- zone or locale; for text it depends on nothing. Used by the key the grid sorts and
-- filters record values by (lib/records/server/value-key.ts) to cut long text to a
-- prefix that fits in a btree entry.
CREATE FUNCTION datawright_jsonb_text(t text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN to_jsonb(t);
