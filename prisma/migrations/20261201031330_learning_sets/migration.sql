-- AlterTable
ALTER TABLE "Panel" ADD COLUMN     "learningSetId" TEXT,
ADD COLUMN     "meetingNumber" INTEGER;

-- CreateTable
CREATE TABLE "LearningSet" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "schedule" JSONB NOT NULL,
    "meetingMinutes" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "audienceRoles" "Role"[],
    "timeZone" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "plannedMeetings" INTEGER NOT NULL DEFAULT 0,
    "planDueAt" TIMESTAMP(3),

    CONSTRAINT "LearningSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LearningSetPlace" (
    "setId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "status" TEXT NOT NULL,
    "queuedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LearningSetPlace_pkey" PRIMARY KEY ("setId","personId")
);

-- CreateIndex
CREATE INDEX "LearningSet_programmeId_idx" ON "LearningSet"("programmeId");

-- CreateIndex
CREATE INDEX "LearningSet_planDueAt_idx" ON "LearningSet"("planDueAt");

-- CreateIndex
CREATE INDEX "LearningSetPlace_personId_idx" ON "LearningSetPlace"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Panel_learningSetId_meetingNumber_key" ON "Panel"("learningSetId", "meetingNumber");

-- AddForeignKey
ALTER TABLE "Panel" ADD CONSTRAINT "Panel_learningSetId_fkey" FOREIGN KEY ("learningSetId") REFERENCES "LearningSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningSet" ADD CONSTRAINT "LearningSet_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningSetPlace" ADD CONSTRAINT "LearningSetPlace_setId_fkey" FOREIGN KEY ("setId") REFERENCES "LearningSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
