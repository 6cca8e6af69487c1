-- AlterTable
ALTER TABLE "OidcSigningKey" ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'current';


-- A key retired before states existed is retired.
UPDATE "OidcSigningKey" SET "state" = 'retired' WHERE "retiredAt" IS NOT NULL;
