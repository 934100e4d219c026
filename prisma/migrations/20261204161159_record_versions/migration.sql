-- CreateTable
CREATE TABLE "RecordVersion" (
    "id" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "runId" UUID,
    "kind" TEXT NOT NULL,
    "values" JSONB NOT NULL DEFAULT '{}',
    "edits" JSONB NOT NULL DEFAULT '{}',
    "sources" JSONB NOT NULL DEFAULT '{}',
    "llm" JSONB NOT NULL DEFAULT '{}',
    "checks" JSONB,
    "reviewState" "ReviewState" NOT NULL,
    "by" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecordVersion_recordId_createdAt_idx" ON "RecordVersion"("recordId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecordVersion_runId_recordId_key" ON "RecordVersion"("runId", "recordId");

-- AddForeignKey
ALTER TABLE "RecordVersion" ADD CONSTRAINT "RecordVersion_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

