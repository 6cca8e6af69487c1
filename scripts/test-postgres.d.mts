// Types of scripts/test-postgres.mjs for the TypeScript tests that use it (e2e/topology/).
export function fail(message: string): never;
export function freePort(): Promise<number>;
export function answers(url: string): Promise<boolean>;
export function dropRunDatabases(url: string, runId: string): Promise<void>;
export function testPostgresServer(): Promise<{ url: string; stop(): void }>;
