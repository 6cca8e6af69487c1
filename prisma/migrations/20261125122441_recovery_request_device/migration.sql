-- AlterTable
ALTER TABLE "RecoveryRequest" ADD COLUMN "deviceId" TEXT;

