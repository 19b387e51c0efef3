-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "retentionCheckAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "retentionMonths" INTEGER;

-- CreateIndex
CREATE INDEX "Programme_retentionCheckAt_idx" ON "Programme"("retentionCheckAt");
