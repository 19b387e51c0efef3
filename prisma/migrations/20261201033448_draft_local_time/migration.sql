-- AlterTable
ALTER TABLE "PromptDraft" ADD COLUMN     "localTime" BOOLEAN NOT NULL DEFAULT false;
