-- AlterTable
ALTER TABLE "PromptOccurrence" ADD COLUMN     "sealedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PromptResponse" ALTER COLUMN "role" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "PromptOccurrence_sealedAt_closesAt_idx" ON "PromptOccurrence"("sealedAt", "closesAt");

-- The answer secret now lives outside the database (WESAID_ANSWER_SECRET or a file beside the data).
-- The old one, kept here, would let anyone with a copy of the database re-link anonymous answers.
DELETE FROM "Setting" WHERE "key" = 'response_key_secret';
