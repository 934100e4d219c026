-- One record numbering per dataset: each run (and import) takes a block of numbers from
-- Dataset.nextRecordIndex, and a record's index is its number in the dataset. Before this,
-- every run numbered its records 0..N-1, so two runs showed the same numbers.
-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "nextRecordIndex" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outputLengths" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "firstIndex" INTEGER NOT NULL DEFAULT 0;

-- Existing data: runs take consecutive blocks in launch order; imported records follow,
-- in the grid's order. A generated record's draw position stays index - firstIndex.
UPDATE "Run" r SET "firstIndex" = b.first
FROM (
  SELECT id, coalesce(sum(requested) OVER (PARTITION BY "datasetId" ORDER BY "createdAt", id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS first
  FROM "Run"
) b
WHERE r.id = b.id AND b.first <> 0;

UPDATE "Record" rec SET index = rec.index + r."firstIndex"
FROM "Run" r
WHERE rec."runId" = r.id AND r."firstIndex" <> 0;

UPDATE "Record" rec SET index = n.num
FROM (
  SELECT rec2.id,
         coalesce((SELECT sum(requested) FROM "Run" r WHERE r."datasetId" = rec2."datasetId"), 0)
           + row_number() OVER (PARTITION BY rec2."datasetId" ORDER BY rec2."createdAt", rec2.index, rec2.id) - 1 AS num
  FROM "Record" rec2
  WHERE rec2."runId" IS NULL
) n
WHERE rec.id = n.id AND rec.index <> n.num;

UPDATE "Dataset" d SET "nextRecordIndex" = greatest(
  coalesce((SELECT sum(requested) FROM "Run" r WHERE r."datasetId" = d.id), 0),
  coalesce((SELECT max(index) + 1 FROM "Record" rec WHERE rec."datasetId" = d.id), 0)
);

-- Cache keys now include the record's identity (v2); v1 entries could answer a different
-- record and can never match again.
DELETE FROM "ResponseCache";
