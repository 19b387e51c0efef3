-- CreateTable
CREATE TABLE "InboxItem" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "interaction" JSONB NOT NULL,
    "followUp" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reply" JSONB,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "claimToken" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InboxItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InboxItem_status_receivedAt_idx" ON "InboxItem"("status", "receivedAt");
