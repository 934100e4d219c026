-- CreateEnum
CREATE TYPE "TargetMark" AS ENUM ('good', 'over');

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "good" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Record" ADD COLUMN     "target" "TargetMark";

