-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OidcSigningKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateJwk" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'current',
    "retiredAt" DATETIME
);
INSERT INTO "new_OidcSigningKey" ("alg", "createdAt", "kid", "privateJwk", "publicJwk", "retiredAt") SELECT "alg", "createdAt", "kid", "privateJwk", "publicJwk", "retiredAt" FROM "OidcSigningKey";
DROP TABLE "OidcSigningKey";
ALTER TABLE "new_OidcSigningKey" RENAME TO "OidcSigningKey";
CREATE INDEX "OidcSigningKey_alg_retiredAt_idx" ON "OidcSigningKey"("alg", "retiredAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- A key retired before states existed is retired.
UPDATE "OidcSigningKey" SET "state" = 'retired' WHERE "retiredAt" IS NOT NULL;
