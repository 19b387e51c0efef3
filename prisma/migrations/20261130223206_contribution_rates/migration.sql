-- CreateTable
CREATE TABLE "ContributionRate" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "pencePerHour" INTEGER NOT NULL DEFAULT 0,
    "pencePerActivity" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContributionRate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContributionRate_programmeId_role_key" ON "ContributionRate"("programmeId", "role");

-- AddForeignKey
ALTER TABLE "ContributionRate" ADD CONSTRAINT "ContributionRate_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;
