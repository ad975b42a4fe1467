// Types for build/check-cycles.mjs, for the tests that run it.
/** Source file (absolute path) → the source files it imports. */
export function importGraph(root: string): Map<string, string[]>;
/** Each import cycle as its files (absolute paths, sorted). */
export function findCycles(graph: Map<string, string[]>): string[][];
