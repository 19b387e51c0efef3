-- AlterTable
ALTER TABLE "MemberCheck" DROP COLUMN "askedByRole";
