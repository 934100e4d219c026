-- Seed-table uploads are staged: rows go in batch by batch while the table is not complete,
-- instead of one transaction held open for as long as the upload takes.
-- AlterTable
ALTER TABLE "SeedTable" ADD COLUMN     "complete" BOOLEAN NOT NULL DEFAULT true;

