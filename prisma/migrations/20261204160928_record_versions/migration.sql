-- AlterTable
ALTER TABLE "RecordVersion" ADD COLUMN     "checks" JSONB,
ADD COLUMN     "llm" JSONB NOT NULL DEFAULT '{}';

