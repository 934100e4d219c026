-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "poolRounds" JSONB;

