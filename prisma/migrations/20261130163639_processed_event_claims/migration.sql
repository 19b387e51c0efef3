-- AlterTable
ALTER TABLE "ProcessedEvent" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'done';

-- CreateIndex
CREATE INDEX "ProcessedEvent_processedAt_idx" ON "ProcessedEvent"("processedAt");
