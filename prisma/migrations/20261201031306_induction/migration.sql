-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "inductionOn" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "InductionStep" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InductionStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InductionStep_programmeId_idx" ON "InductionStep"("programmeId");

-- CreateIndex
CREATE UNIQUE INDEX "InductionStep_personId_programmeId_step_key" ON "InductionStep"("personId", "programmeId", "step");

-- CreateIndex
CREATE INDEX "Membership_joinedAt_idx" ON "Membership"("joinedAt");

-- AddForeignKey
ALTER TABLE "InductionStep" ADD CONSTRAINT "InductionStep_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InductionStep" ADD CONSTRAINT "InductionStep_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;
