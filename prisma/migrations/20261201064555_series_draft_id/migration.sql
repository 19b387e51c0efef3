-- AlterTable
ALTER TABLE "PromptSeries" ADD COLUMN     "draftId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "PromptSeries_draftId_key" ON "PromptSeries"("draftId");
