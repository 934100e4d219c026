-- CreateTable
CREATE TABLE "RunBatch" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "positions" INTEGER[],
    "requests" INTEGER NOT NULL,
    "inputFileId" TEXT,
    "providerBatchId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'preparing',
    "requestCounts" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RunBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunBatchAnswer" (
    "runId" UUID NOT NULL,
    "customId" TEXT NOT NULL,
    "answer" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RunBatchAnswer_pkey" PRIMARY KEY ("runId","customId")
);

-- CreateIndex
CREATE INDEX "RunBatch_runId_createdAt_idx" ON "RunBatch"("runId", "createdAt");

-- AddForeignKey
ALTER TABLE "RunBatch" ADD CONSTRAINT "RunBatch_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunBatchAnswer" ADD CONSTRAINT "RunBatchAnswer_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

