-- AlterTable
ALTER TABLE "PromptSeries" ADD COLUMN     "once" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "weekInterval" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "PromptDraft" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "intro" TEXT NOT NULL DEFAULT '',
    "templateKey" TEXT,
    "questions" JSONB NOT NULL DEFAULT '[]',
    "schedule" JSONB,
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/London',
    "audienceRoles" "Role"[],
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromptDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PromptDraft_programmeId_idx" ON "PromptDraft"("programmeId");

-- AddForeignKey
ALTER TABLE "PromptDraft" ADD CONSTRAINT "PromptDraft_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;
