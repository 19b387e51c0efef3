-- CreateTable
CREATE TABLE "ExportToken" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ExportToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExportToken_tokenHash_key" ON "ExportToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ExportToken_personId_programmeId_idx" ON "ExportToken"("personId", "programmeId");

-- AddForeignKey
ALTER TABLE "ExportToken" ADD CONSTRAINT "ExportToken_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportToken" ADD CONSTRAINT "ExportToken_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
