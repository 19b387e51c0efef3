-- AlterTable
ALTER TABLE "Membership" DROP COLUMN "leftAt";
