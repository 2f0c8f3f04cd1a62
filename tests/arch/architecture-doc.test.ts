// docs/architecture.md draws the workspaces and who imports whom; this keeps the drawing true.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';
import { APPS, WORKSPACES } from './workspaces';

const DOC = readFileSync(path.join(REPO_ROOT, 'docs/architecture.md'), 'utf8');
const GRAPH = /```mermaid\ngraph LR\n([\s\S]*?)```/.exec(DOC)?.[1] ?? '';
const folders = (parent: string) => readdirSync(path.join(REPO_ROOT, parent)).sort();

/** The nodes inside each `subgraph ... end` block. */
function subgraphs(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of text.matchAll(/subgraph ([^\n]+)\n([\s\S]*?)\n\s*end/g))
    out.set(
      m[1].trim(),
      m[2]
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  return out;
}

/** `a --> b & c` lines as "a->b" edges. */
function edges(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^\s*([\w-]+)\s*-->\s*(.+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .flatMap((m) => m[2].split('&').map((to) => `${m[1]}->${to.trim()}`))
    .sort();
}

const short = (name: string) => name.replace('@tracequest/', '');

describe('docs/architecture.md', () => {
  it('when its dependency graph is read, then it has exactly the folders of services/ and packages/, and the apps', () => {
    const groups = subgraphs(GRAPH);
    assert.deepEqual([...(groups.get('services') ?? [])].sort(), folders('services'));
    const packages = [...(groups.get('runtime packages') ?? []), ...(groups.get('developer tooling') ?? [])].sort();
    assert.deepEqual(packages, folders('packages'));
    assert.deepEqual([...(groups.get('apps') ?? [])].sort(), APPS);
  });

  it('when its arrows are read, then they are exactly the workspace dependencies between those folders', () => {
    const drawn = edges(GRAPH);
    assert.ok(drawn.length > 20, `found ${drawn.length} arrows`);
    const actual = WORKSPACES.filter((w) => /^(packages|services)\//.test(w.dir) || APPS.includes(w.dir))
      .flatMap((w) => w.dependencies.filter((d) => d.startsWith('@tracequest/')).map((d) => `${path.basename(w.dir)}->${short(d)}`))
      .sort();
    assert.deepEqual(drawn, actual);
  });

  it('when a package is listed, then the table says what it holds', () => {
    for (const p of folders('packages')) assert.match(DOC, new RegExp(`\\| \`packages/${p}\` \\|`), `packages/${p} in the table`);
    for (const s of folders('services')) assert.match(DOC, new RegExp(`\\| \`${s}\` \\|`), `${s} in the services table`);
    for (const a of APPS) assert.match(DOC, new RegExp(`\\| \`${a}/\` \\|`), `${a} in the table`);
  });
});
