-- AlterTable
ALTER TABLE "Preference" ADD COLUMN     "detectedFrom" TEXT,
ADD COLUMN     "detectedTimeZone" TEXT,
ADD COLUMN     "timeZoneChosen" BOOLEAN NOT NULL DEFAULT false;

-- Anyone already on a zone other than the default picked it themselves.
UPDATE "Preference" SET "timeZoneChosen" = true WHERE "timeZone" <> 'Europe/London';
