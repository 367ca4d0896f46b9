/**
 * CPU time and resident memory of a server process and everything it forked
 * (GATEWAY_PROCESSES > 1 forks gateway processes), read from /proc. Linux only:
 * the bench exists to measure the production target, and that is Linux.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

/** USER_HZ: /proc reports CPU time in these ticks (100 on every common Linux, but ask). */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The fields after "(comm)": comm may hold spaces and parentheses, so split after the last ')'. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** The root and all its live descendants, found through the ppid of every process. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const ppid = Number(fields[1]); // field 4 of stat; index 1 after state
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  // Bounded: a pid is visited once, and /proc lists finitely many.
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * CPU milliseconds of the tree: utime + stime of each live process, plus
 * cutime + cstime (children already reaped). A gateway process that exits and
 * is reaped between two readings moves its time into its parent's cutime, so
 * the difference of two readings still counts it once.
 */
export function treeCpuMs(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    const fields = statFields(pid);
    if (!fields) continue;
    // stat fields 14-17 (utime, stime, cutime, cstime) are indexes 11-14 here.
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / clockTicksPerSecond();
}

export interface RssReading {
  processes: number;
  totalMb: number;
}

/** VmRSS summed over the tree (each gateway process holds its own heap). */
export function treeRss(rootPid: number): RssReading {
  let kb = 0;
  let processes = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) {
        kb += Number(match[1]);
        processes++;
      }
    } catch {
      // ended meanwhile
    }
  }
  return { processes, totalMb: kb / 1024 };
}
