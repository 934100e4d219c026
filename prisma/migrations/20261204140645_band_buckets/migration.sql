-- AlterTable
-- The band hashes move to RecordBand (buckets of hashes and records written by one COPY);
-- dropping the column drops its GIN index, most of a full pass's write (bench/README.md).
ALTER TABLE "RecordSignature" DROP COLUMN "bands";

-- CreateTable
CREATE TABLE "RecordBand" (
    "datasetId" UUID NOT NULL,
    "bucket" INTEGER NOT NULL,
    "hashes" INTEGER[],
    "records" UUID[],

    CONSTRAINT "RecordBand_pkey" PRIMARY KEY ("datasetId","bucket")
);


-- A dataset's band buckets go with it. Not a foreign key: its check per row doubled the
-- time of a full pass's COPY into RecordBand (bench/README.md, "Duplicate detection").
CREATE FUNCTION "manual_dataset_record_bands"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RecordBand" WHERE "datasetId" = OLD.id;
  RETURN OLD;
END $$;
CREATE TRIGGER "manual_dataset_record_bands" AFTER DELETE ON "Dataset"
  FOR EACH ROW EXECUTE FUNCTION "manual_dataset_record_bands"();
