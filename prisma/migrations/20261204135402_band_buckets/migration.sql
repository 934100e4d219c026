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

-- AddForeignKey
ALTER TABLE "RecordBand" ADD CONSTRAINT "RecordBand_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

