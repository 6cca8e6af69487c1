-- CreateTable
CREATE TABLE "MdmInboundEvent" (
    "webhookId" TEXT NOT NULL PRIMARY KEY,
    "employeeId" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "occurredAt" DATETIME NOT NULL,
    "result" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE INDEX "MdmInboundEvent_employeeId_occurredAt_idx" ON "MdmInboundEvent"("employeeId", "occurredAt");

