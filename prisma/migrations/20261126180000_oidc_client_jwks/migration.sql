-- AlterTable
ALTER TABLE "OidcClient" ADD COLUMN "jwks" TEXT;

