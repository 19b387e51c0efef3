-- AlterTable
ALTER TABLE "LearningSet" ADD COLUMN     "endedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "LearningSetPlace" ADD COLUMN     "offerExpiresAt" TIMESTAMP(3),
ADD COLUMN     "offeredAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "LearningSetPlace_status_offerExpiresAt_idx" ON "LearningSetPlace"("status", "offerExpiresAt");
