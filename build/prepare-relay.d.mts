// Types for build/prepare-relay.mjs, for the tests that call it.
export function rendererStaleReason(): string | null;
export function relayStaleReason(options?: { outfile?: string }): string | null;
export function buildRenderer(): Promise<void>;
export function buildRelay(options?: { outfile?: string }): Promise<string>;
export function prepareRelay(say?: (line: string) => void): Promise<void>;
