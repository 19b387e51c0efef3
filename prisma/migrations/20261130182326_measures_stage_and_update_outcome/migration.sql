-- AlterTable
ALTER TABLE "PromptSeries" ADD COLUMN     "stage" TEXT;

-- AlterTable
ALTER TABLE "FeedbackUpdateItem" ADD COLUMN     "outcome" TEXT NOT NULL DEFAULT 'done';
