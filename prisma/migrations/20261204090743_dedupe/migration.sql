-- Duplicate detection (issue 14, lib/quality): settings and progress per dataset, clusters, and per-record signatures.
-- CreateTable
CREATE TABLE "DedupeState" (
    "datasetId" UUID NOT NULL,
    "fields" TEXT[],
    "threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "bands" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DedupeState_pkey" PRIMARY KEY ("datasetId")
);

-- CreateTable
CREATE TABLE "DuplicateCluster" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "size" INTEGER NOT NULL,
    "exact" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuplicateCluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordSignature" (
    "recordId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "exactKey" TEXT NOT NULL,
    "bands" INTEGER[],
    "clusterId" UUID,

    CONSTRAINT "RecordSignature_pkey" PRIMARY KEY ("recordId")
);

-- CreateIndex
CREATE INDEX "DuplicateCluster_datasetId_idx" ON "DuplicateCluster"("datasetId");

-- CreateIndex
CREATE INDEX "RecordSignature_datasetId_exactKey_idx" ON "RecordSignature"("datasetId", "exactKey");

-- CreateIndex
CREATE INDEX "RecordSignature_clusterId_idx" ON "RecordSignature"("clusterId");

-- AddForeignKey
ALTER TABLE "DedupeState" ADD CONSTRAINT "DedupeState_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuplicateCluster" ADD CONSTRAINT "DuplicateCluster_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordSignature" ADD CONSTRAINT "RecordSignature_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordSignature" ADD CONSTRAINT "RecordSignature_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "DuplicateCluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Contamination check (records sharing a 13-gram with a reference set)
-- CreateTable
CREATE TABLE "ContaminationMatch" (
    "recordId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "overlap" INTEGER NOT NULL,

    CONSTRAINT "ContaminationMatch_pkey" PRIMARY KEY ("recordId")
);

-- CreateIndex
CREATE INDEX "ContaminationMatch_datasetId_idx" ON "ContaminationMatch"("datasetId");

-- AddForeignKey
ALTER TABLE "ContaminationMatch" ADD CONSTRAINT "ContaminationMatch_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContaminationMatch" ADD CONSTRAINT "ContaminationMatch_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Candidates of a new record: any stored record sharing one of its LSH band hashes
-- (`bands && $1`). Written by hand: Prisma cannot declare a GIN index on an array here.
-- fastupdate stays on: a full pass COPYs a dataset's rows, and entries gathered in the
-- pending list are merged in sorted bulk, far cheaper than 17 random index inserts per row;
-- the pass then merges the list at once (gin_clean_pending_list) so lookups stay fast.
CREATE INDEX "manual_RecordSignature_bands" ON "RecordSignature" USING gin ("bands");
