// The repo's workspaces and what their sources import, read from disk, for the architecture tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';

export interface Workspace {
  dir: string;
  name: string;
  dependencies: string[];
  devDependencies: string[];
  /** Package names imported by files outside test folders, and by test files. */
  srcImports: Map<string, string[]>;
  testImports: Map<string, string[]>;
  /** Package names imported by browser code (`web/`): bundled at build time, so dev dependencies do. */
  bundleImports: Map<string, string[]>;
  /** Source files outside test folders. */
  srcFiles: string[];
}

/** Runtime code: what runs in a service process. It may never depend on developer tooling. */
export const RUNTIME_PACKAGES = ['contracts', 'telemetry', 'service-kit', 'faults', 'messaging'].map((p) => `packages/${p}`);
export const TOOLING = [
  '@tracequest/stack',
  '@tracequest/testkit',
  '@tracequest/lab',
  '@tracequest/load',
  '@tracequest/console',
  '@tracequest/bench',
  '@tracequest/tests',
];
/** Workspaces at the top level that are apps of their own (not shared packages, not services). */
export const APPS = ['console'];

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');
const dirsOf = (parent: string) =>
  readdirSync(path.join(REPO_ROOT, parent))
    .map((d) => `${parent}/${d}`)
    .filter((d) => statSync(path.join(REPO_ROOT, d)).isDirectory());

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory() && !['node_modules', 'dist'].includes(entry.name)) walk(child);
      else if (entry.isFile() && /\.m?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(dir);
  return out;
}

/** The package a module specifier names (`@scope/name/deep` -> `@scope/name`), or undefined for relative and built-in ones. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string): string[] {
  const text = read(file).replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const isTest = (file: string) => /(^|\/)(test|tests)\//.test(file) || file.startsWith('tests/');

export const WORKSPACE_DIRS = [...dirsOf('packages'), ...dirsOf('services'), ...APPS, 'tests', 'bench'].filter((d) => {
  try {
    return statSync(path.join(REPO_ROOT, d, 'package.json')).isFile();
  } catch {
    return false;
  }
});

export function workspace(dir: string): Workspace {
  const pkg = JSON.parse(read(`${dir}/package.json`));
  const srcImports = new Map<string, string[]>();
  const testImports = new Map<string, string[]>();
  const bundleImports = new Map<string, string[]>();
  const srcFiles: string[] = [];
  for (const file of sourceFiles(dir)) {
    const test = isTest(file.slice(dir.length + 1)) || dir === 'tests';
    const bundled = file.startsWith(`${dir}/web/`);
    if (!test && !bundled) srcFiles.push(file);
    const into = test ? testImports : bundled ? bundleImports : srcImports;
    for (const spec of importsOf(file)) {
      const name = packageOf(spec);
      if (name) into.set(name, [...(into.get(name) ?? []), file]);
    }
  }
  return {
    dir,
    name: pkg.name,
    dependencies: Object.keys(pkg.dependencies ?? {}),
    devDependencies: Object.keys(pkg.devDependencies ?? {}),
    srcImports,
    testImports,
    bundleImports,
    srcFiles,
  };
}

export const WORKSPACES = WORKSPACE_DIRS.map(workspace);
export const byName = new Map(WORKSPACES.map((w) => [w.name, w]));
