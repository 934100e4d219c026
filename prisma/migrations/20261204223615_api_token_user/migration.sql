-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "userId" TEXT;

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tokens made before they had owners acted as the studio's owner: they now belong to that
-- person. In a studio with no account yet they stay without one and act as its one person
-- (single-user mode), then as the owner account once it is created (lib/api/server/tokens.ts).
UPDATE "ApiToken" SET "userId" = (SELECT u.id FROM "user" u WHERE u."studioRole" = 'owner' ORDER BY u."createdAt" LIMIT 1)
WHERE "userId" IS NULL;
