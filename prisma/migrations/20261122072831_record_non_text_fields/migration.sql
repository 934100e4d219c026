-- Which fields of a record's values may be something other than a JSON string (see
-- schema.prisma). No default and no backfill: existing records read null, "not known", and
-- exports keep asking each of their values' types, as before.
-- AlterTable
ALTER TABLE "Record" ADD COLUMN     "nonTextFields" TEXT[];
