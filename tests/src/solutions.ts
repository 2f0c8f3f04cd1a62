// A quest's reference solution, applied to a temporary copy of the code: what the learner's fixed
// code or config runs as, while the repo itself stays as the learner finds it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';

const ANSWERS = path.join(REPO_ROOT, 'docs/quests/answers');
// Under the repo, so the copy finds the workspace's node_modules as the original does.
const SOLUTIONS = path.join(REPO_ROOT, '.run/solutions');

/** A fresh tree holding copies of `files` (repo paths) with the patch applied; returns its root. */
function patchedCopy(patch: string, files: string[]): string {
  const root = path.join(SOLUTIONS, path.basename(patch, '.patch'));
  rmSync(root, { recursive: true, force: true });
  for (const f of files)
    cpSync(path.join(REPO_ROOT, f), path.join(root, f), {
      recursive: true,
      filter: (src) => !/[/\\](dist|node_modules)([/\\]|$)/.test(src),
    });
  // git apply is only the patch tool here: the ceiling keeps it from finding the repo around the
  // copy, inside which it would skip every path outside .run/solutions without a word.
  execFileSync('git', ['apply', '--verbose', path.join(ANSWERS, patch)], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(root) },
  });
  return root;
}

/** A service's folder with the patch applied and compiled; start it with stack.startService(name, env, dir). */
export function patchedService(service: string, patch: string): string {
  const dir = path.join(patchedCopy(patch, [`services/${service}`]), 'services', service);
  // The service's own tsconfig points at the repo by relative paths; the copy gets one by absolute
  // path (the packages it imports are built already).
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: path.join(REPO_ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: '.', outDir: 'dist', composite: false, declaration: false, incremental: false },
      include: ['src'],
    }),
  );
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', dir], { stdio: 'pipe' });
  return dir;
}

/** A Collector config file (infra/otel-collector/<name>) with the patch applied; returns its path. */
export function patchedCollectorConfig(name: string, patch: string): string {
  const file = `infra/otel-collector/${name}`;
  return path.join(patchedCopy(patch, [file]), file);
}
