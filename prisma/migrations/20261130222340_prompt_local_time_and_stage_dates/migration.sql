-- AlterTable
ALTER TABLE "PromptSeries" ADD COLUMN     "baselineAt" TIMESTAMP(3),
ADD COLUMN     "endAt" TIMESTAMP(3),
ADD COLUMN     "localTime" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "midpointAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PromptOccurrence" ADD COLUMN     "stage" TEXT;
