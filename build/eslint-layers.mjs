// A tiny local ESLint plugin: `layers/imports` checks every relative import
// against the layer table in eslint.config.js. It resolves the specifier to
// a path from the repository root first, so `../relay/x.js` from
// electron/main.ts (the relay) and from electron/settings/ (electron/relay/)
// are told apart, which a pattern over the written specifier cannot do.
import path from 'node:path';

/**
 * A layer rule: files under any of `from` (and not under `exceptFrom`) may not
 * import a module under any of `forbid` unless it is under `allow`. Entries
 * are repository paths without extension: a folder ends in `/`, else it is
 * one module (`relay/service`).
 * @typedef {{ name: string, from: string[], exceptFrom?: string[], forbid: string[], allow?: string[], message: string }} LayerRule
 */

const within = (target, entries) => entries.some((e) => (e.endsWith('/') ? target.startsWith(e) : target === e));
const moduleId = (p) => p.split(path.sep).join('/').replace(/\.(d\.)?(ts|tsx|mts|js|mjs|jsx)$/, '').replace(/\/index$/, '');

/** The layer rules a file at `file` (repository path) breaks by importing `target`. */
export function brokenLayerRules(rules, file, target) {
  const from = moduleId(file);
  const to = moduleId(target);
  return rules.filter((r) => within(from, r.from) && !within(from, r.exceptFrom ?? [])
    && within(to, r.forbid) && !within(to, r.allow ?? []));
}

/** @param {{ root: string, rules: LayerRule[] }} opts */
export function layersPlugin({ root, rules }) {
  return {
    rules: {
      imports: {
        meta: { type: 'problem', schema: [], messages: { broken: '{{name}}: {{message}} ({{target}})' } },
        create(context) {
          const file = path.relative(root, context.filename);
          if (file.startsWith('..')) return {};
          const check = (node, source) => {
            if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
            const target = path.relative(root, path.resolve(path.dirname(context.filename), source.value));
            for (const r of brokenLayerRules(rules, file, target)) {
              context.report({ node, messageId: 'broken', data: { name: r.name, message: r.message, target: moduleId(target) } });
            }
          };
          return {
            ImportDeclaration: (node) => check(node, node.source),
            ExportNamedDeclaration: (node) => check(node, node.source),
            ExportAllDeclaration: (node) => check(node, node.source),
            ImportExpression: (node) => check(node, node.source),
          };
        },
      },
    },
  };
}
