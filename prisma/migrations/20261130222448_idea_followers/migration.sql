-- CreateTable
CREATE TABLE "IdeaFollower" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "followedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdeaFollower_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdeaFollower_personId_idx" ON "IdeaFollower"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "IdeaFollower_itemId_personId_key" ON "IdeaFollower"("itemId", "personId");

-- AddForeignKey
ALTER TABLE "IdeaFollower" ADD CONSTRAINT "IdeaFollower_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "FeedbackItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdeaFollower" ADD CONSTRAINT "IdeaFollower_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
