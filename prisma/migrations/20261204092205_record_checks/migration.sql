-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "rejected" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Record" ADD COLUMN     "checks" JSONB,
ADD COLUMN     "rejected" BOOLEAN NOT NULL DEFAULT false;

