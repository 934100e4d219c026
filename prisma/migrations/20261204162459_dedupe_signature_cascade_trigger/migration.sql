-- A full pass's COPY into "RecordSignature" checked its foreign key to "Record" per row,
-- locking every record row (FOR KEY SHARE): about half of the COPY's time at 100,000
-- records (bench/README.md, "Duplicate detection"). The key goes; the trigger below does
-- its cascade.
-- DropForeignKey
ALTER TABLE "RecordSignature" DROP CONSTRAINT "RecordSignature_recordId_fkey";

-- Most records are in no cluster: the cluster index holds only those that are, so a full
-- pass's COPY does not insert a million nulls into it. Lookups by cluster (its members,
-- the cluster foreign key's SET NULL) all ask for a non-null cluster.
-- DropIndex
DROP INDEX "RecordSignature_clusterId_idx";
CREATE INDEX "manual_RecordSignature_clusterId" ON "RecordSignature" ("clusterId") WHERE "clusterId" IS NOT NULL;

-- checkLandedRecords requests that found a pass running; the pass checks them after it commits.
-- AlterTable
ALTER TABLE "DedupeState" ADD COLUMN     "landedDuringPass" JSONB NOT NULL DEFAULT '[]';

-- The cascade the foreign key did, once per statement (a transition table), so deleting a
-- run's 100,000 records stays one statement with one join: deleted records (a run or an
-- import undone, a dataset deleted, whose records cascade) take their fingerprints along.
CREATE FUNCTION "manual_record_signatures"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RecordSignature" s USING old o WHERE s."recordId" = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER "manual_record_signatures" AFTER DELETE ON "Record" REFERENCING OLD TABLE AS old
  FOR EACH STATEMENT EXECUTE FUNCTION "manual_record_signatures"();

-- A bucket row holds ~100-130 entries (2.5-3.5 KB: random hashes and UUIDs, which do not
-- compress): above the default 2 KB target PostgreSQL tried to compress its arrays, failed,
-- and moved them to TOAST, an extra row and index entry per bucket for a pass's COPY and an
-- extra fetch per band for a landed record's lookup. Rows up to a page now stay inline.
ALTER TABLE "RecordBand" SET (toast_tuple_target = 8160);
