-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "lastItemNumber" INTEGER NOT NULL DEFAULT 0;

-- Existing programmes carry on from their highest idea number.
UPDATE "Programme" AS p SET "lastItemNumber" = COALESCE((SELECT MAX(f."number") FROM "FeedbackItem" AS f WHERE f."programmeId" = p."id"), 0);
