-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "limiter" JSONB;

