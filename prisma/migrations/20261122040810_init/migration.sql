-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('commissioner', 'expert_by_experience', 'professional', 'facilitator', 'evaluator', 'admin');

-- CreateEnum
CREATE TYPE "ConsentKind" AS ENUM ('participation', 'quotation');

-- CreateEnum
CREATE TYPE "FeedbackStatus" AS ENUM ('received', 'considering', 'agreed', 'done', 'not_possible');

-- CreateTable
CREATE TABLE "Programme" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgrammeChannel" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "address" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgrammeChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erasedAt" TIMESTAMP(3),

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlatformIdentity" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "tenantId" TEXT,
    "address" JSONB,
    "reachable" BOOLEAN NOT NULL DEFAULT true,
    "unreachableReason" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leftAt" TIMESTAMP(3),
    "welcomedAt" TIMESTAMP(3),

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "kind" "ConsentKind" NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Preference" (
    "personId" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/London',
    "quietStart" INTEGER NOT NULL DEFAULT 1260,
    "quietEnd" INTEGER NOT NULL DEFAULT 480,
    "reminderLimit" INTEGER NOT NULL DEFAULT 2,
    "pausedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Preference_pkey" PRIMARY KEY ("personId")
);

-- CreateTable
CREATE TABLE "PromptSeries" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "intro" TEXT NOT NULL DEFAULT '',
    "templateKey" TEXT,
    "audienceRoles" "Role"[],
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "reminderAfterHours" INTEGER NOT NULL DEFAULT 48,
    "maxReminders" INTEGER NOT NULL DEFAULT 1,
    "closeAfterHours" INTEGER NOT NULL DEFAULT 168,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "nextOccurrenceAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromptSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromptQuestion" (
    "id" TEXT NOT NULL,
    "seriesId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "help" TEXT NOT NULL DEFAULT '',
    "options" TEXT[],
    "scaleMin" INTEGER NOT NULL DEFAULT 0,
    "scaleMax" INTEGER NOT NULL DEFAULT 10,
    "minLabel" TEXT NOT NULL DEFAULT '',
    "maxLabel" TEXT NOT NULL DEFAULT '',
    "required" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "PromptQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromptOccurrence" (
    "id" TEXT NOT NULL,
    "seriesId" TEXT NOT NULL,
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromptOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromptDelivery" (
    "id" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "skippedReason" TEXT,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "nextReminderAt" TIMESTAMP(3),
    "messageRef" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromptDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromptResponse" (
    "id" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "personId" TEXT,
    "role" "Role" NOT NULL,
    "responseKey" TEXT NOT NULL,
    "text" TEXT,
    "number" INTEGER,
    "choices" TEXT[],
    "answeredAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromptResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackItem" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "raisedById" TEXT,
    "raisedByRole" "Role" NOT NULL,
    "text" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'direct',
    "sourceRef" TEXT,
    "ownerId" TEXT,
    "dueAt" TIMESTAMP(3),
    "status" "FeedbackStatus" NOT NULL DEFAULT 'received',
    "statusReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstRespondedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "nextNudgeAt" TIMESTAMP(3),
    "nudgesSent" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FeedbackItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackStatusChange" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "from" "FeedbackStatus",
    "to" "FeedbackStatus" NOT NULL,
    "reason" TEXT,
    "changedById" TEXT,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeedbackStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackUpdate" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "authorId" TEXT,
    "authorRole" "Role" NOT NULL,
    "text" TEXT NOT NULL,
    "postedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeedbackUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackUpdateItem" (
    "updateId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,

    CONSTRAINT "FeedbackUpdateItem_pkey" PRIMARY KEY ("updateId","itemId")
);

-- CreateTable
CREATE TABLE "FeedbackReaction" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "personId" TEXT,
    "answered" TEXT NOT NULL,
    "comment" TEXT,
    "reactedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeedbackReaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CoOwnedAction" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "itemId" TEXT,
    "title" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "CoOwnedAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CoOwner" (
    "actionId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,

    CONSTRAINT "CoOwner_pkey" PRIMARY KEY ("actionId","personId")
);

-- CreateTable
CREATE TABLE "Taster" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "whatToExpect" TEXT NOT NULL,
    "audienceRoles" "Role"[],
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "location" TEXT,
    "onlineUrl" TEXT,
    "accessibility" TEXT NOT NULL DEFAULT '',
    "capacity" INTEGER NOT NULL,
    "offerHoldHours" INTEGER NOT NULL DEFAULT 24,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" TIMESTAMP(3),
    "reminderDueAt" TIMESTAMP(3),
    "followUpDueAt" TIMESTAMP(3),
    "postRef" JSONB,

    CONSTRAINT "Taster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TasterSignup" (
    "id" TEXT NOT NULL,
    "tasterId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "status" TEXT NOT NULL,
    "queuedAt" TIMESTAMP(3) NOT NULL,
    "offeredAt" TIMESTAMP(3),
    "offerExpiresAt" TIMESTAMP(3),
    "attended" BOOLEAN,
    "expectationsMet" TEXT,
    "wouldTakePart" TEXT,
    "followUpComment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TasterSignup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Panel" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "prepPrompt" TEXT,
    "prepDueAt" TIMESTAMP(3),
    "debriefDueAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Panel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PanelMember" (
    "panelId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "attended" BOOLEAN,

    CONSTRAINT "PanelMember_pkey" PRIMARY KEY ("panelId","personId")
);

-- CreateTable
CREATE TABLE "DebriefResponse" (
    "id" TEXT NOT NULL,
    "panelId" TEXT NOT NULL,
    "personId" TEXT,
    "role" "Role" NOT NULL,
    "wentWell" TEXT NOT NULL DEFAULT '',
    "couldImprove" TEXT NOT NULL DEFAULT '',
    "listenedTo" TEXT NOT NULL,
    "changeNextTime" TEXT NOT NULL DEFAULT '',
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DebriefResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Digest" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "weekStart" TIMESTAMP(3) NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "Digest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contribution" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "sourceRef" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "personId" TEXT,
    "channelId" TEXT,
    "programmeId" TEXT,
    "replaceRef" JSONB,
    "message" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "resultRef" JSONB,
    "lastError" TEXT,
    "reportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "key" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ProgrammeChannel_programmeId_idx" ON "ProgrammeChannel"("programmeId");

-- CreateIndex
CREATE UNIQUE INDEX "ProgrammeChannel_platform_externalId_key" ON "ProgrammeChannel"("platform", "externalId");

-- CreateIndex
CREATE INDEX "PlatformIdentity_personId_idx" ON "PlatformIdentity"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PlatformIdentity_platform_externalId_key" ON "PlatformIdentity"("platform", "externalId");

-- CreateIndex
CREATE INDEX "Membership_personId_idx" ON "Membership"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_programmeId_personId_key" ON "Membership"("programmeId", "personId");

-- CreateIndex
CREATE INDEX "ConsentRecord_personId_programmeId_kind_recordedAt_idx" ON "ConsentRecord"("personId", "programmeId", "kind", "recordedAt");

-- CreateIndex
CREATE INDEX "PromptSeries_active_nextOccurrenceAt_idx" ON "PromptSeries"("active", "nextOccurrenceAt");

-- CreateIndex
CREATE UNIQUE INDEX "PromptQuestion_seriesId_position_key" ON "PromptQuestion"("seriesId", "position");

-- CreateIndex
CREATE INDEX "PromptOccurrence_closesAt_idx" ON "PromptOccurrence"("closesAt");

-- CreateIndex
CREATE UNIQUE INDEX "PromptOccurrence_seriesId_scheduledFor_key" ON "PromptOccurrence"("seriesId", "scheduledFor");

-- CreateIndex
CREATE INDEX "PromptDelivery_status_notBefore_idx" ON "PromptDelivery"("status", "notBefore");

-- CreateIndex
CREATE INDEX "PromptDelivery_status_nextReminderAt_idx" ON "PromptDelivery"("status", "nextReminderAt");

-- CreateIndex
CREATE INDEX "PromptDelivery_personId_idx" ON "PromptDelivery"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PromptDelivery_occurrenceId_personId_key" ON "PromptDelivery"("occurrenceId", "personId");

-- CreateIndex
CREATE INDEX "PromptResponse_occurrenceId_idx" ON "PromptResponse"("occurrenceId");

-- CreateIndex
CREATE INDEX "PromptResponse_personId_idx" ON "PromptResponse"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PromptResponse_responseKey_questionId_key" ON "PromptResponse"("responseKey", "questionId");

-- CreateIndex
CREATE INDEX "FeedbackItem_nextNudgeAt_idx" ON "FeedbackItem"("nextNudgeAt");

-- CreateIndex
CREATE INDEX "FeedbackItem_raisedById_idx" ON "FeedbackItem"("raisedById");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackItem_programmeId_number_key" ON "FeedbackItem"("programmeId", "number");

-- CreateIndex
CREATE INDEX "FeedbackStatusChange_itemId_idx" ON "FeedbackStatusChange"("itemId");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackReaction_updateId_itemId_personId_key" ON "FeedbackReaction"("updateId", "itemId", "personId");

-- CreateIndex
CREATE INDEX "Taster_reminderDueAt_idx" ON "Taster"("reminderDueAt");

-- CreateIndex
CREATE INDEX "Taster_followUpDueAt_idx" ON "Taster"("followUpDueAt");

-- CreateIndex
CREATE INDEX "TasterSignup_status_offerExpiresAt_idx" ON "TasterSignup"("status", "offerExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "TasterSignup_tasterId_personId_key" ON "TasterSignup"("tasterId", "personId");

-- CreateIndex
CREATE INDEX "Panel_prepDueAt_idx" ON "Panel"("prepDueAt");

-- CreateIndex
CREATE INDEX "Panel_debriefDueAt_idx" ON "Panel"("debriefDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "DebriefResponse_panelId_personId_key" ON "DebriefResponse"("panelId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Digest_programmeId_weekStart_key" ON "Digest"("programmeId", "weekStart");

-- CreateIndex
CREATE UNIQUE INDEX "Contribution_personId_kind_sourceRef_key" ON "Contribution"("personId", "kind", "sourceRef");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_personId_idx" ON "OutboxMessage"("personId");

-- CreateIndex
CREATE INDEX "AuditEntry_entity_entityId_idx" ON "AuditEntry"("entity", "entityId");

-- AddForeignKey
ALTER TABLE "ProgrammeChannel" ADD CONSTRAINT "ProgrammeChannel_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlatformIdentity" ADD CONSTRAINT "PlatformIdentity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Preference" ADD CONSTRAINT "Preference_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromptSeries" ADD CONSTRAINT "PromptSeries_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromptQuestion" ADD CONSTRAINT "PromptQuestion_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "PromptSeries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromptOccurrence" ADD CONSTRAINT "PromptOccurrence_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "PromptSeries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromptDelivery" ADD CONSTRAINT "PromptDelivery_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "PromptOccurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromptResponse" ADD CONSTRAINT "PromptResponse_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "PromptOccurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackItem" ADD CONSTRAINT "FeedbackItem_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackStatusChange" ADD CONSTRAINT "FeedbackStatusChange_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "FeedbackItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackUpdate" ADD CONSTRAINT "FeedbackUpdate_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackUpdateItem" ADD CONSTRAINT "FeedbackUpdateItem_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "FeedbackUpdate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackUpdateItem" ADD CONSTRAINT "FeedbackUpdateItem_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "FeedbackItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackReaction" ADD CONSTRAINT "FeedbackReaction_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "FeedbackUpdate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackReaction" ADD CONSTRAINT "FeedbackReaction_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "FeedbackItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoOwnedAction" ADD CONSTRAINT "CoOwnedAction_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoOwnedAction" ADD CONSTRAINT "CoOwnedAction_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "FeedbackItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoOwner" ADD CONSTRAINT "CoOwner_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "CoOwnedAction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Taster" ADD CONSTRAINT "Taster_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TasterSignup" ADD CONSTRAINT "TasterSignup_tasterId_fkey" FOREIGN KEY ("tasterId") REFERENCES "Taster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Panel" ADD CONSTRAINT "Panel_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PanelMember" ADD CONSTRAINT "PanelMember_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DebriefResponse" ADD CONSTRAINT "DebriefResponse_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Digest" ADD CONSTRAINT "Digest_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contribution" ADD CONSTRAINT "Contribution_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contribution" ADD CONSTRAINT "Contribution_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;
