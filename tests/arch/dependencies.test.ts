// Dependencies point one way: runtime code never depends on developer tooling, services never on
// each other, and every package declares exactly what it imports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';
import { RUNTIME_PACKAGES, TOOLING, WORKSPACES } from './workspaces';

const runtime = WORKSPACES.filter((w) => RUNTIME_PACKAGES.includes(w.dir) || w.dir.startsWith('services/'));
const services = new Set(WORKSPACES.filter((w) => w.dir.startsWith('services/')).map((w) => w.name));
// Used without an import: type packages, and the tools npm scripts run.
const USED_WITHOUT_IMPORT = /^(@types\/|typescript$|@biomejs\/biome$)/;

describe('dependencies between the workspaces', () => {
  it('when a runtime package or service is read, then neither its dependencies nor its sources name developer tooling', () => {
    assert.ok(runtime.length >= 11, `found ${runtime.length} runtime workspaces`);
    const problems: string[] = [];
    for (const w of runtime) {
      for (const dep of w.dependencies) if (TOOLING.includes(dep)) problems.push(`${w.name} depends on ${dep}`);
      for (const [name, files] of w.srcImports) if (TOOLING.includes(name)) problems.push(`${files[0]} imports ${name}`);
    }
    assert.deepEqual(problems, []);
  });

  it('when a service is read, then it imports no other service', () => {
    const problems: string[] = [];
    for (const w of WORKSPACES.filter((x) => services.has(x.name)))
      for (const [name, files] of [...w.srcImports, ...w.testImports])
        if (services.has(name) && name !== w.name) problems.push(`${files[0]} imports the service ${name}`);
    assert.deepEqual(problems, []);
  });

  it('when a source file imports a package, then its workspace declares it (tests and bundled browser code may use dev dependencies)', () => {
    const problems: string[] = [];
    for (const w of WORKSPACES) {
      for (const [name, files] of w.srcImports)
        if (!w.dependencies.includes(name)) problems.push(`${files[0]} imports ${name}: not in ${w.dir}/package.json dependencies`);
      for (const [name, files] of [...w.testImports, ...w.bundleImports])
        if (!w.dependencies.includes(name) && !w.devDependencies.includes(name))
          problems.push(`${files[0]} imports ${name}: not declared in ${w.dir}/package.json`);
    }
    assert.deepEqual(problems, []);
  });

  it('when a workspace declares a dependency, then something in it imports it', () => {
    const problems: string[] = [];
    for (const w of WORKSPACES) {
      for (const dep of [...w.dependencies, ...w.devDependencies])
        if (!w.srcImports.has(dep) && !w.testImports.has(dep) && !w.bundleImports.has(dep) && !USED_WITHOUT_IMPORT.test(dep))
          problems.push(`${w.dir} declares ${dep} but never imports it`);
      // (The tests workspace is all tests: its dependencies are what its tests use.)
      if (w.dir !== 'tests')
        for (const dep of w.dependencies)
          if (!w.srcImports.has(dep) && w.testImports.has(dep)) problems.push(`${w.dir}: ${dep} is only used by tests (a dev dependency)`);
    }
    assert.deepEqual(problems, []);
  });

  it('when TypeScript builds a workspace, then its project references are exactly its workspace dependencies', () => {
    const dirs = new Map(WORKSPACES.map((w) => [w.name, w.dir]));
    const problems: string[] = [];
    for (const w of WORKSPACES) {
      const tsconfig = JSON.parse(readFileSync(path.join(REPO_ROOT, w.dir, 'tsconfig.json'), 'utf8'));
      const refs = (tsconfig.references ?? []).map((r: { path: string }) => path.join(w.dir, r.path)).sort();
      const deps = [...w.dependencies, ...w.devDependencies]
        .filter((d) => dirs.has(d))
        .map((d) => dirs.get(d)!)
        .sort();
      if (refs.join() !== deps.join())
        problems.push(`${w.dir}/tsconfig.json references [${refs}], its workspace dependencies are [${deps}]`);
    }
    assert.deepEqual(problems, []);
  });

  it('when runtime code reads the environment, then it is only in a config schema (or the telemetry preload)', () => {
    const problems = runtime
      .flatMap((w) => w.srcFiles)
      .filter((file) => /process\.env/.test(readFileSync(path.join(REPO_ROOT, file), 'utf8')))
      .filter((file) => !/\/src\/(config|register)\.ts$/.test(file));
    assert.deepEqual(problems, []);
  });
});
