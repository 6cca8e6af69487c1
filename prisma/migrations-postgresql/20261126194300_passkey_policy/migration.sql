-- CreateTable
CREATE TABLE "PasskeyPolicy" (
    "id" TEXT NOT NULL,
    "aaguidMode" TEXT NOT NULL DEFAULT 'any',
    "aaguids" TEXT NOT NULL DEFAULT '[]',
    "deviceBoundOnly" BOOLEAN NOT NULL DEFAULT false,
    "attestationRequired" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "PasskeyPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetadataBlob" (
    "id" TEXT NOT NULL,
    "no" INTEGER NOT NULL,
    "nextUpdate" TEXT NOT NULL,
    "entries" INTEGER NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL,
    "importedBy" TEXT NOT NULL,

    CONSTRAINT "MetadataBlob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetadataEntry" (
    "aaguid" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "statusReports" TEXT NOT NULL,
    "timeOfLastStatusChange" TEXT,

    CONSTRAINT "MetadataEntry_pkey" PRIMARY KEY ("aaguid")
);

