import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc shows it; `start` (clock ticks since boot) tells a pid from a later reuse of it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  start: string;
  /** R, S, D … Z for a zombie: exited, not yet reaped. */
  state: string;
  cmdline: string;
}

function readProcess(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name in parentheses may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), state: fields[0] ?? '?', start: fields[19] ?? '', cmdline };
  } catch {
    return undefined; // gone while we looked
  }
}

/** Every process below `root` (children, their children …), whatever process group they moved to. */
export function descendants(root: number): ProcessEntry[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessEntry => p !== undefined);
  const found: ProcessEntry[] = [];
  let parents = new Set([root]);
  while (parents.size > 0) {
    const children = all.filter((p) => parents.has(p.ppid));
    found.push(...children);
    parents = new Set(children.map((p) => p.pid));
  }
  return found;
}

/** Whether this very process (not a later one with its pid) is still running; a zombie has ended. */
export function stillRunning(entry: ProcessEntry): boolean {
  const now = readProcess(entry.pid);
  return now !== undefined && now.start === entry.start && now.state !== 'Z';
}
