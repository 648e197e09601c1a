// WEB_PROCESSES=N: N web processes serving one port through node:cluster (the primary accepts and
// hands out connections), each with its own page cache. The caches stay exact as across nodes:
// PostgreSQL's NOTIFY on PostgreSQL; on one SQLite file, each process hands its committed changes
// to this primary, which passes them on to the others at once (no database round trip, and no
// wait for the change-log poll, which still catches changes from outside: the CLI, a restart).
// The first process keeps NODE_ROLE (with NODE_ROLE=all it runs the jobs); the others serve only.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './platform/config.ts';
import { relayBetweenWorkers } from './platform/change-notices.ts';

const RESTART_MS = 1000;

export function runWebCluster(config: Config): void {
  relayBetweenWorkers();
  const slots: (Worker | undefined)[] = [];
  let stopping = false;

  const fork = (slot: number) => {
    const role = slot === 0 ? config.nodeRole : 'web';
    const worker = cluster.fork({ NODE_ROLE: role });
    slots[slot] = worker;
    worker.once('exit', (code, signal) => {
      if (slots[slot] === worker) slots[slot] = undefined;
      if (stopping) return void (slots.every((w) => !w) && process.exit(0));
      // A process that died on its own is started again; its page cache starts cold.
      console.error(`web process ${slot + 1} exited (${signal ?? code}); starting it again`);
      setTimeout(() => !stopping && fork(slot), RESTART_MS).unref();
    });
  };
  for (let slot = 0; slot < config.webProcesses; slot++) fork(slot);

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping ${config.webProcesses} web processes.`);
    // Each process stops gracefully on its own signal; the primary waits for all of them.
    for (const worker of slots) worker?.process.kill('SIGTERM');
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 10_000);
    force.unref();
    if (slots.every((w) => !w)) process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
