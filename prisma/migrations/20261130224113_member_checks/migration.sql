-- CreateTable
CREATE TABLE "MemberCheck" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "closesAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "askedByRole" JSONB,

    CONSTRAINT "MemberCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberCheckResponse" (
    "id" TEXT NOT NULL,
    "memberCheckId" TEXT NOT NULL,
    "personId" TEXT,
    "role" "Role" NOT NULL,
    "verdict" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "answeredAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberCheckResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemberCheck_programmeId_createdAt_idx" ON "MemberCheck"("programmeId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MemberCheckResponse_memberCheckId_personId_key" ON "MemberCheckResponse"("memberCheckId", "personId");

-- AddForeignKey
ALTER TABLE "MemberCheck" ADD CONSTRAINT "MemberCheck_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberCheckResponse" ADD CONSTRAINT "MemberCheckResponse_memberCheckId_fkey" FOREIGN KEY ("memberCheckId") REFERENCES "MemberCheck"("id") ON DELETE CASCADE ON UPDATE CASCADE;
