-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "consentAskedVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "consentChangedAt" TIMESTAMP(3),
ADD COLUMN     "consentText" TEXT NOT NULL DEFAULT 'We store your answers, ideas and sign-ups so the programme can act on them. The facilitators and commissioners see your name next to your ideas. The evaluation team only sees your role (for example "Carer" or "Clinician"), never your name. Small groups are hidden so nobody can work out who said what.',
ADD COLUMN     "consentVersion" INTEGER NOT NULL DEFAULT 1;
