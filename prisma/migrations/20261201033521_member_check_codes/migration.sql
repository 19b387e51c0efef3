-- AlterTable
ALTER TABLE "CodeAssignment" ADD COLUMN     "checkResponseId" TEXT;

-- CreateIndex
CREATE INDEX "CodeAssignment_checkResponseId_idx" ON "CodeAssignment"("checkResponseId");

-- AddForeignKey
ALTER TABLE "CodeAssignment" ADD CONSTRAINT "CodeAssignment_checkResponseId_fkey" FOREIGN KEY ("checkResponseId") REFERENCES "MemberCheckResponse"("id") ON DELETE CASCADE ON UPDATE CASCADE;
