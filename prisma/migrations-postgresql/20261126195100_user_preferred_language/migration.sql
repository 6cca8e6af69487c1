-- AlterTable
ALTER TABLE "User" ADD COLUMN     "preferredLanguage" TEXT;

