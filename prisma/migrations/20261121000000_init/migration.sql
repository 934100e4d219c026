-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'paused', 'cancelled', 'completed', 'failed', 'partial');

-- CreateEnum
CREATE TYPE "RecordStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('unreviewed', 'accepted', 'rejected');

-- CreateTable
CREATE TABLE "Project" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "draft" JSONB NOT NULL,
    "draftRevision" INTEGER NOT NULL DEFAULT 0,
    "previewSeed" INTEGER NOT NULL DEFAULT 1,
    "labelSchema" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BlueprintVersion" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "blueprint" JSONB NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BlueprintVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeedTable" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "columns" TEXT[],
    "rowCount" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeedTable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeedRow" (
    "seedTableId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "SeedRow_pkey" PRIMARY KEY ("seedTableId","index")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "blueprintVersionId" UUID NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "requested" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "stopReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Record" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "runId" UUID,
    "index" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'generated',
    "status" "RecordStatus" NOT NULL DEFAULT 'pending',
    "values" JSONB NOT NULL DEFAULT '{}',
    "provenance" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "tokensIn" INTEGER NOT NULL DEFAULT 0,
    "tokensOut" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "reviewState" "ReviewState" NOT NULL DEFAULT 'unreviewed',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "edits" JSONB NOT NULL DEFAULT '{}',
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Record_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Dataset_projectId_idx" ON "Dataset"("projectId");

-- CreateIndex
CREATE INDEX "BlueprintVersion_datasetId_hash_idx" ON "BlueprintVersion"("datasetId", "hash");

-- CreateIndex
CREATE UNIQUE INDEX "BlueprintVersion_datasetId_version_key" ON "BlueprintVersion"("datasetId", "version");

-- CreateIndex
CREATE INDEX "SeedTable_datasetId_idx" ON "SeedTable"("datasetId");

-- CreateIndex
CREATE INDEX "Run_datasetId_createdAt_idx" ON "Run"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "Record_datasetId_reviewState_idx" ON "Record"("datasetId", "reviewState");

-- CreateIndex
CREATE INDEX "Record_datasetId_status_idx" ON "Record"("datasetId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Record_runId_index_key" ON "Record"("runId", "index");

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlueprintVersion" ADD CONSTRAINT "BlueprintVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeedTable" ADD CONSTRAINT "SeedTable_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeedRow" ADD CONSTRAINT "SeedRow_seedTableId_fkey" FOREIGN KEY ("seedTableId") REFERENCES "SeedTable"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_blueprintVersionId_fkey" FOREIGN KEY ("blueprintVersionId") REFERENCES "BlueprintVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Record" ADD CONSTRAINT "Record_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Record" ADD CONSTRAINT "Record_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

