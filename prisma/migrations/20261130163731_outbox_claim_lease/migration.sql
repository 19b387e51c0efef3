-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "OutboxMessage_status_leaseUntil_idx" ON "OutboxMessage"("status", "leaseUntil");

-- Rows a sender was working on before the upgrade keep the five minutes their claim used to last.
UPDATE "OutboxMessage" SET "claimToken" = 'before-leases', "leaseUntil" = "claimedAt" + interval '5 minutes' WHERE "status" = 'sending';
