-- DropIndex
DROP INDEX "Record_datasetId_reviewState_idx";

-- CreateTable
CREATE TABLE "RecordComment" (
    "id" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewAction" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "reviewer" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "count" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" TIMESTAMPTZ(3),
    "undoneBy" TEXT,

    CONSTRAINT "ReviewAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewSnapshot" (
    "id" UUID NOT NULL,
    "actionId" UUID NOT NULL,
    "reviewState" "ReviewState" NOT NULL,
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),
    "labels" JSONB,
    "values" JSONB,
    "edits" JSONB,
    "recordIds" UUID[],

    CONSTRAINT "ReviewSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecordComment_recordId_createdAt_idx" ON "RecordComment"("recordId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewAction_datasetId_reviewer_createdAt_idx" ON "ReviewAction"("datasetId", "reviewer", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewSnapshot_actionId_idx" ON "ReviewSnapshot"("actionId");

-- CreateIndex
CREATE INDEX "Record_datasetId_createdAt_index_id_idx" ON "Record"("datasetId", "createdAt", "index", "id");

-- AddForeignKey
ALTER TABLE "RecordComment" ADD CONSTRAINT "RecordComment_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewAction" ADD CONSTRAINT "ReviewAction_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewSnapshot" ADD CONSTRAINT "ReviewSnapshot_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "ReviewAction"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Storage for fast review writes (not expressible in schema.prisma; the drift test compares
-- columns, indexes and constraints, which these do not change). Measured on 100,000 records
-- of ~1 KB values + ~1.5 KB provenance: a bulk accept took 1.9-2.9 s with full-width rows and
-- an index on reviewState, 0.55-0.7 s with these (see lib/review/README.md).
-- * Leave half of each page free so that a review write, which changes no indexed column, is
--   a HOT update: the new row version stays on its page and no index is touched.
-- * Move provenance out of line and keep values compressed in line, so a row version is
--   ~600 bytes instead of ~2.5 KB, while filters and sorts on values need no TOAST lookups.
-- Both apply to rows written from now on.
ALTER TABLE "Record" SET (fillfactor = 50, toast_tuple_target = 128);
ALTER TABLE "Record" ALTER COLUMN "values" SET STORAGE MAIN;
