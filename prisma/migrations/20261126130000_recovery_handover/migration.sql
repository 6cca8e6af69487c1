-- CreateTable
CREATE TABLE "RecoveryHandover" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recoveryRequestId" TEXT NOT NULL,
    "sealedUrl" TEXT NOT NULL,
    "deviceSerial" TEXT NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "RecoveryHandover_recoveryRequestId_fkey" FOREIGN KEY ("recoveryRequestId") REFERENCES "RecoveryRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "RecoveryHandover_recoveryRequestId_key" ON "RecoveryHandover"("recoveryRequestId");

