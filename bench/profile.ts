// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the CPU went during one time window:
// the top functions by self time and the same grouped by package / source file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

/** The main thread's profile: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile, thread 0 (a module loader's worker, as tsx's, is another). */
export function mainThreadProfile(dir: string): string | null {
  const file = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  return file ? join(dir, file) : null;
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  // The compiled portal's frames name dist/ files: dist/auth/… is src/auth/… compiled.
  const src = /\/(src\/.+|dist\/.+|bench\/.+)$/.exec(url);
  return src ? src[1]! : url;
}

/** node_modules/<package>/…, or the path inside the checkout (src/…, dist/…): packages have dist/ folders too. */
function shortPath(url: string): string {
  const pkg = url.lastIndexOf('node_modules/');
  return pkg >= 0 ? url.slice(pkg) : url.replace(/^.*?\/(src|dist|bench)\//, '$1/');
}

/** Top `n` functions and areas by self time between `fromS` and `toS` seconds after the profile began. */
export function summarizeProfile(file: string, fromS: number, toS: number, n = 12): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((node) => [node.id, node.callFrame]));
  const fn = new Map<string, number>();
  const areas = new Map<string, number>();
  let t = 0;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromS * 1e6 || t > toS * 1e6) continue;
    const cf = byId.get(p.samples[i]!);
    if (!cf || cf.functionName === '(idle)') continue;
    total += dt;
    const file = shortPath(cf.url);
    const key = `${cf.functionName || '(anonymous)'}  ${file ? `${file}:${cf.lineNumber + 1}` : ''}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const a = area(cf.url, cf.functionName);
    areas.set(a, (areas.get(a) ?? 0) + dt);
  }
  const pct = (v: number) => `${((v / total) * 100).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]).slice(0, n).map(([k, v]) => `  ${pct(v)}  ${k}`);
  return [
    `busy CPU in window: ${(total / 1e6).toFixed(1)} s of ${(toS - fromS).toFixed(1)} s (main thread only; argon2 runs on libuv threads)`,
    'by package / file (self time):', ...top(areas),
    'by function (self time):', ...top(fn),
  ];
}
