-- CreateTable
CREATE TABLE "RecoveryHandover" (
    "id" TEXT NOT NULL,
    "recoveryRequestId" TEXT NOT NULL,
    "sealedUrl" TEXT NOT NULL,
    "deviceSerial" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecoveryHandover_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RecoveryHandover_recoveryRequestId_key" ON "RecoveryHandover"("recoveryRequestId");

-- AddForeignKey
ALTER TABLE "RecoveryHandover" ADD CONSTRAINT "RecoveryHandover_recoveryRequestId_fkey" FOREIGN KEY ("recoveryRequestId") REFERENCES "RecoveryRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

