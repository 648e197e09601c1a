// Process entry: config → buildApp → (first start: demo content) → listen; graceful shutdown.
// With WEB_PROCESSES above 1 this process becomes the cluster's primary (src/web-cluster.ts):
// it does the first-start work once, then runs that many web processes on the one port.
import cluster from 'node:cluster';
import { buildApp, buildServices } from './app.ts';
import { isEmptySite, seedDemo } from './demo/seed-demo.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { runWebCluster } from './web-cluster.ts';

/** Seeds the demo site on an empty database and prints the one-time setup link while nobody can sign in. */
async function firstStart(config: Config, services: Awaited<ReturnType<typeof buildServices>>['services'], log: (message: string) => void): Promise<void> {
  if (config.demoContent && (await isEmptySite(services))) {
    const { stories } = await seedDemo(services);
    log(`First start: seeded the demo site with ${stories} stories (DEMO_CONTENT=off skips this).`);
  }
  if (await services.accounts.needsSetup()) {
    // Printed whatever the log level: without it nobody can reach the newsroom of a new site.
    process.stdout.write(`\nNo administrator yet. Create one with this one-time link (valid 24 hours):\n  ${await services.accounts.issueSetupLink()}\n\n`);
  }
}

/** Starts one serving process; returns its graceful stop. A cluster's web process leaves the first-start work to the primary. */
export async function start(config: Config): Promise<() => Promise<void>> {
  const started = performance.now();
  const bulletin = await buildApp(config);
  const { app, services } = bulletin;
  if (!cluster.isWorker) await firstStart(config, services, (message) => app.log.info(message));
  await app.listen({ host: config.host, port: config.port });
  const where = config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${config.port}` : `http://${config.host}:${config.port}`;
  const role = config.nodeRole === 'all' ? '' : `, NODE_ROLE=${config.nodeRole}`;
  app.log.info(`Bulletin is serving ${where} (${config.database.engine}${role}, ready in ${Math.round(performance.now() - started)} ms)`);
  if (!cluster.isWorker) app.log.info(`Mail (alert sign-ups, alerts, lock notices) goes to ${services.mailer.description}${config.smtpUrl ? '' : '; set SMTP_URL to send it'}.`);
  return () => bulletin.close(config.shutdownGraceMs);
}

/**
 * SIGTERM (an operator's stop, systemd, a deploy) and SIGINT: stop accepting, let requests in
 * flight and running jobs finish within SHUTDOWN_GRACE_SECONDS, give back the jobs that did not,
 * close the database, exit 0. Past the grace and a margin, the process exits anyway (1): a stop
 * must never hang a deploy. A SIGKILL loses nothing either: its job leases run out and another
 * worker takes them.
 */
export function stopOnSignals(stop: () => Promise<void>, graceMs: number): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: finishing open requests and running jobs (up to ${Math.round(graceMs / 1000)} s), then stopping.`);
    const force = setTimeout(() => process.exit(1), graceMs + 5000);
    force.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  await serve(config);
}

/** What `npm start` and `bulletin start` run: one process, or the primary of WEB_PROCESSES, stopping on signals. */
export async function serve(config: Config): Promise<void> {
  if (cluster.isPrimary && config.webProcesses > 1 && config.nodeRole !== 'worker') {
    const { services, database } = await buildServices(config);
    try {
      await firstStart(config, services, (message) => console.error(message));
    } finally {
      await database.close();
    }
    runWebCluster(config);
    return;
  }
  stopOnSignals(await start(config), config.shutdownGraceMs);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
