// Process entry: config → buildApp → (first start: demo content) → listen; graceful shutdown.
import { buildApp } from './app.ts';
import { isEmptySite, seedDemo } from './demo/seed-demo.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';

export async function start(config: Config): Promise<() => Promise<void>> {
  const started = performance.now();
  const bulletin = await buildApp(config);
  const { app, services } = bulletin;
  if (config.demoContent && (await isEmptySite(services))) {
    const { stories } = await seedDemo(services);
    app.log.info(`First start: seeded the demo site with ${stories} stories (DEMO_CONTENT=off skips this).`);
  }
  await app.listen({ host: config.host, port: config.port });
  const where = config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${config.port}` : `http://${config.host}:${config.port}`;
  if (await services.accounts.needsSetup()) {
    // Printed whatever the log level: without it nobody can reach the newsroom of a new site.
    process.stdout.write(`\nNo administrator yet. Create one with this one-time link (valid 24 hours):\n  ${await services.accounts.issueSetupLink()}\n\n`);
  }
  app.log.info(`Bulletin is serving ${where} (${config.database.engine}, ready in ${Math.round(performance.now() - started)} ms)`);
  app.log.info(`Mail (alert sign-ups, alerts, lock notices) goes to ${services.mailer.description}${config.smtpUrl ? '' : '; set SMTP_URL to send it'}.`);
  return () => bulletin.close();
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
  const stop = await start(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: finishing open requests, then stopping.`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
