-- AlterTable
ALTER TABLE "LearningSet" ADD COLUMN     "location" TEXT,
ADD COLUMN     "offerHoldHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "onlineUrl" TEXT;
