-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "revokedNote" TEXT,
ADD COLUMN     "userId" TEXT;

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;



-- Tokens made before they had owners acted as the studio's owner: they now belong to that
-- person. In a studio with no owner account there is no one for them to act as, so they
-- are revoked, saying why (the API answers with the note).
UPDATE "ApiToken" SET "userId" = (SELECT u.id FROM "user" u WHERE u."studioRole" = 'owner' ORDER BY u."createdAt" LIMIT 1)
WHERE "userId" IS NULL;
UPDATE "ApiToken" SET "revokedAt" = now(), "revokedNote" = 'it was made before tokens belonged to a person, and this studio has no owner account: create an account, then a new token under Settings → API tokens'
WHERE "userId" IS NULL AND "revokedAt" IS NULL;
