// Prints the size of the console's production bundle, gzipped, and fails above the budget.
// Run after `vite build` (npm run build:console); the tests check the same budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIR } from './page';

export const BUNDLE_BUDGET_BYTES = 150 * 1024;

export interface BundleFile {
  file: string;
  bytes: number;
  gzipped: number;
}

/** Every file the page loads (html, js, css, icons), raw and gzipped. */
export function bundleFiles(dir = WEB_DIR): BundleFile[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((name) => (statSync(path.join(d, name)).isDirectory() ? walk(path.join(d, name)) : [path.join(d, name)]));
  return walk(dir).map((f) => {
    const data = readFileSync(f);
    return { file: path.relative(dir, f), bytes: data.length, gzipped: gzipSync(data, { level: 9 }).length };
  });
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (require.main === module) {
  const files = bundleFiles();
  const total = files.reduce((sum, f) => sum + f.gzipped, 0);
  for (const f of files) console.log(`  ${f.file.padEnd(36)} ${kb(f.bytes).padStart(10)}  ${kb(f.gzipped).padStart(9)} gzipped`);
  console.log(`console bundle: ${kb(total)} gzipped (budget ${kb(BUNDLE_BUDGET_BYTES)})`);
  if (total > BUNDLE_BUDGET_BYTES) {
    console.error('console bundle is over its budget');
    process.exit(1);
  }
}
