-- CreateTable
CREATE TABLE "PasskeyPolicy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "aaguidMode" TEXT NOT NULL DEFAULT 'any',
    "aaguids" TEXT NOT NULL DEFAULT '[]',
    "deviceBoundOnly" BOOLEAN NOT NULL DEFAULT false,
    "attestationRequired" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "MetadataBlob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "no" INTEGER NOT NULL,
    "nextUpdate" TEXT NOT NULL,
    "entries" INTEGER NOT NULL,
    "importedAt" DATETIME NOT NULL,
    "importedBy" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "MetadataEntry" (
    "aaguid" TEXT NOT NULL PRIMARY KEY,
    "description" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "statusReports" TEXT NOT NULL,
    "timeOfLastStatusChange" TEXT
);

