-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "guidelines" TEXT NOT NULL DEFAULT '';

