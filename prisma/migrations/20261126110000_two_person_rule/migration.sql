-- AlterTable
ALTER TABLE "User" ADD COLUMN "createdBy" TEXT;
ALTER TABLE "User" ADD COLUMN "managerSetBy" TEXT;

-- AlterTable
ALTER TABLE "StaffRole" ADD COLUMN "approvedBy" TEXT;

-- CreateTable
CREATE TABLE "RoleRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'pending',
    CONSTRAINT "RoleRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoleRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RoleRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Passkey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "publicKey" BLOB NOT NULL,
    "counter" INTEGER NOT NULL DEFAULT 0,
    "transports" TEXT NOT NULL DEFAULT '[]',
    "aaguid" TEXT NOT NULL,
    "deviceType" TEXT NOT NULL,
    "backedUp" BOOLEAN NOT NULL,
    "name" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "bridgeTokenId" TEXT,
    CONSTRAINT "Passkey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Passkey_bridgeTokenId_fkey" FOREIGN KEY ("bridgeTokenId") REFERENCES "BridgeToken" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Passkey" ("aaguid", "backedUp", "counter", "createdAt", "credentialId", "deviceType", "id", "lastUsedAt", "name", "publicKey", "revokedAt", "revokedReason", "transports", "userId") SELECT "aaguid", "backedUp", "counter", "createdAt", "credentialId", "deviceType", "id", "lastUsedAt", "name", "publicKey", "revokedAt", "revokedReason", "transports", "userId" FROM "Passkey";
DROP TABLE "Passkey";
ALTER TABLE "new_Passkey" RENAME TO "Passkey";
CREATE UNIQUE INDEX "Passkey_credentialId_key" ON "Passkey"("credentialId");
CREATE INDEX "Passkey_userId_revokedAt_idx" ON "Passkey"("userId", "revokedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RoleRequest_userId_status_idx" ON "RoleRequest"("userId", "status");

-- CreateIndex
CREATE INDEX "RoleRequest_status_createdAt_idx" ON "RoleRequest"("status", "createdAt");


-- Provenance of existing rows, from what was already recorded: who added each person (their
-- `hire_added` audit event), who set their manager (the same actor: only adding a person or an HR
-- event set it), and the link each passkey was registered through (its enrollment session ended at
-- the passkey's creation instant, in the same transaction).
UPDATE "User" SET "createdBy" = (
    SELECT CASE WHEN a."actorType" = 'user' THEN 'user:' || a."actorId" ELSE a."actorType" END
    FROM "AuditEvent" a WHERE a."action" = 'hire_added' AND a."subjectId" = "User"."id" ORDER BY a."seq" LIMIT 1
);
UPDATE "User" SET "managerSetBy" = "createdBy" WHERE "managerId" IS NOT NULL;
UPDATE "Passkey" SET "bridgeTokenId" = (
    SELECT s."bridgeTokenId" FROM "EnrollmentSession" s
    WHERE s."userId" = "Passkey"."userId" AND s."endedAt" = "Passkey"."createdAt" LIMIT 1
);
