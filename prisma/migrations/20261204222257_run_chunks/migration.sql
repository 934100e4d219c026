-- CreateTable
CREATE TABLE "RunChunk" (
    "runId" UUID NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "owner" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "done" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "RunChunk_pkey" PRIMARY KEY ("runId","start")
);

-- AddForeignKey
ALTER TABLE "RunChunk" ADD CONSTRAINT "RunChunk_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

