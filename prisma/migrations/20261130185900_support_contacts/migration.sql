-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "supportText" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "PromptSeries" ADD COLUMN     "hardTopic" BOOLEAN NOT NULL DEFAULT false;
