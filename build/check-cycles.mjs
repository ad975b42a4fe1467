#!/usr/bin/env node
// Import cycles fail the lint: a cycle means two modules cannot be understood,
// tested or moved one without the other (the layer rules in eslint.config.js
// say which way imports go; this says they never come back). Type-only
// imports count too: they tie the files together for a reader just the same.
// No dependency beyond the TypeScript compiler the project already has.
//
//   node build/check-cycles.mjs [root]   exit 1 and list the cycles, if any
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import ts from 'typescript';

const SOURCE_DIRS = ['relay', 'electron', 'renderer', 'test', 'bench', 'build'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'artifacts', 'results']);
const SOURCE_EXT = /\.(ts|tsx|mts|mjs|js)$/;

function listSources(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : listSources(p);
    return SOURCE_EXT.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.d.mts') ? [p] : [];
  });
}

/** The source file a relative specifier names (`./x.js` is `./x.ts` in NodeNext), or null. */
function resolve(from, spec, known) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(js|mjs|jsx)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.mjs`, `${stem}.js`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')];
  return candidates.find((c) => known.has(c)) ?? null;
}

/** file → files it imports (static, dynamic, type-only and re-exports alike). */
export function importGraph(root) {
  const files = SOURCE_DIRS.flatMap((d) => listSources(path.join(root, d)));
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => resolve(file, f.fileName, known)).filter((t) => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
export function findCycles(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    // Iterative, so a deep import chain cannot overflow the call stack.
    const work = [{ v, i: 0 }];
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    while (work.length) {
      const top = work[work.length - 1];
      const next = graph.get(top.v) ?? [];
      if (top.i < next.length) {
        const w = next[top.i++];
        if (!indexOf.has(w)) {
          indexOf.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.v, Math.min(low.get(top.v), indexOf.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent), low.get(top.v)));
      }
      if (low.get(top.v) === indexOf.get(top.v)) {
        const scc = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.v);
        if (scc.length > 1 || (graph.get(top.v) ?? []).includes(top.v)) cycles.push(scc.sort());
      }
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return cycles;
}

/** One concrete loop through a component, for the message: a → b → … → a. */
function loopThrough(scc, graph) {
  const members = new Set(scc);
  const start = scc[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) chain.unshift(p);
        return [...chain, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return scc;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const graph = importGraph(root);
  const cycles = findCycles(graph);
  if (cycles.length === 0) {
    process.stdout.write(`no import cycles among ${graph.size} files\n`);
  } else {
    const rel = (f) => path.relative(root, f);
    for (const scc of cycles) process.stderr.write(`import cycle (${scc.length} files): ${loopThrough(scc, graph).map(rel).join(' → ')}\n`);
    process.stderr.write(`${cycles.length} import cycle(s): break each so imports run one way\n`);
    process.exitCode = 1;
  }
}
