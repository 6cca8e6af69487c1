-- CreateTable
CREATE TABLE "MdmInboundEvent" (
    "webhookId" TEXT NOT NULL,
    "employeeId" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "result" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "MdmInboundEvent_pkey" PRIMARY KEY ("webhookId")
);

-- CreateIndex
CREATE INDEX "MdmInboundEvent_employeeId_occurredAt_idx" ON "MdmInboundEvent"("employeeId", "occurredAt");

