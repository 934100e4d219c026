-- CreateTable
CREATE TABLE "Assignment" (
    "recordId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "datasetId" UUID NOT NULL,
    "assignedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("recordId","userId")
);

-- CreateTable
CREATE TABLE "RecordReview" (
    "recordId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "datasetId" UUID NOT NULL,
    "decision" "ReviewState" NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordReview_pkey" PRIMARY KEY ("recordId","userId")
);

-- CreateTable
CREATE TABLE "Adjudication" (
    "recordId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "userId" TEXT,
    "reviewer" TEXT NOT NULL,
    "decision" "ReviewState" NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Adjudication_pkey" PRIMARY KEY ("recordId")
);

-- CreateIndex
CREATE INDEX "Assignment_datasetId_userId_idx" ON "Assignment"("datasetId", "userId");

-- CreateIndex
CREATE INDEX "RecordReview_datasetId_idx" ON "RecordReview"("datasetId");

-- CreateIndex
CREATE INDEX "Adjudication_datasetId_idx" ON "Adjudication"("datasetId");

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordReview" ADD CONSTRAINT "RecordReview_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordReview" ADD CONSTRAINT "RecordReview_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "Record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

