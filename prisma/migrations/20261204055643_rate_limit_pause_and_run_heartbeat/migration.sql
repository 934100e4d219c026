-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "heartbeatAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "rateLimitedUntil" TIMESTAMPTZ(3);

