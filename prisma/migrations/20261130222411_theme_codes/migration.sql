-- CreateTable
CREATE TABLE "Code" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "framework" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "Code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CodeAssignment" (
    "id" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "responseId" TEXT,
    "itemId" TEXT,
    "debriefId" TEXT,
    "codedById" TEXT,
    "codedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CodeAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Code_programmeId_key_key" ON "Code"("programmeId", "key");

-- CreateIndex
CREATE INDEX "CodeAssignment_codeId_idx" ON "CodeAssignment"("codeId");

-- CreateIndex
CREATE INDEX "CodeAssignment_responseId_idx" ON "CodeAssignment"("responseId");

-- CreateIndex
CREATE INDEX "CodeAssignment_itemId_idx" ON "CodeAssignment"("itemId");

-- CreateIndex
CREATE INDEX "CodeAssignment_debriefId_idx" ON "CodeAssignment"("debriefId");

-- CreateIndex
CREATE UNIQUE INDEX "CodeAssignment_targetId_codeId_key" ON "CodeAssignment"("targetId", "codeId");

-- AddForeignKey
ALTER TABLE "Code" ADD CONSTRAINT "Code_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeAssignment" ADD CONSTRAINT "CodeAssignment_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "Code"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeAssignment" ADD CONSTRAINT "CodeAssignment_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "PromptResponse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeAssignment" ADD CONSTRAINT "CodeAssignment_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "FeedbackItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeAssignment" ADD CONSTRAINT "CodeAssignment_debriefId_fkey" FOREIGN KEY ("debriefId") REFERENCES "DebriefResponse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeAssignment" ADD CONSTRAINT "CodeAssignment_codedById_fkey" FOREIGN KEY ("codedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
