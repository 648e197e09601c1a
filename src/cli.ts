// `bulletin` commands. Each reads the same configuration as the server (environment variables),
// so it works on the site's own database, and a running site sees its changes within seconds.
import { accountServices } from './accounts/accounts-feature.ts';
import { auditLog } from './accounts/audit-service.ts';
import { ACCOUNT_USAGE, runAccountCommand } from './accounts/commands.ts';
import { feedbackIntake } from './alerts/alerts-feature.ts';
import { ALERTS_USAGE, runAlertsCommand } from './alerts/feedback/feedback-command.ts';
import { buildServices } from './app.ts';
import { articlesFeature } from './articles/articles-feature.ts';
import { COMMENTS_USAGE, runCommentsCommand } from './comments/check-command.ts';
import { commentServices } from './comments/comments-feature.ts';
import { generateStories } from './demo/generate.ts';
import { isEmptySite, seedDemo } from './demo/seed-demo.ts';
import { CaptureImporter } from './importers/capture-import.ts';
import { runImportCommand } from './importers/import-command.ts';
import { createProgress } from './importers/progress.ts';
import { runWordpressCommand, type WordpressSession } from './importers/wordpress/wordpress-command.ts';
import { WordpressImporter } from './importers/wordpress/wordpress-import.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { migrate, openDatabase } from './platform/db.ts';
import { mediaFeature } from './media/media-feature.ts';
import { BACKUP_USAGE, runBackupCommand } from './operations/backup/backup-command.ts';
import { openPlatform } from './platform/platform.ts';

const USAGE = `usage: bulletin <command> [options]

Commands:
  start                         run the site (same as npm start)
  migrate                       bring the database schema up to date
  import FILE… [--publish] [--dry-run] [--json]
                                import text captures as stories
  import wordpress EXPORT.xml [--uploads DIR] [--dry-run] [--json] [--skip-pages]
                                import a WordPress site (its WXR export)
  seed --articles N             add N generated stories (for benchmarks and load tests)
  seed --demo                   add the demo site to an empty database
${ACCOUNT_USAGE}
${COMMENTS_USAGE}
${ALERTS_USAGE}
${BACKUP_USAGE}
  help                          show this text

Configuration comes from environment variables; see the README.
`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  switch (command) {
    case 'start': {
      const { serve } = await import('./main.ts');
      await serve(config);
      return new Promise<number>(() => undefined); // runs until a signal stops the process
    }
    case 'migrate': {
      const database = await openDatabase(config.database);
      try {
        const applied = await migrate(database);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'import':
      if (rest[0] === 'wordpress') {
        return runWordpressCommand(rest.slice(1), { open: wordpressSession(config), out: process.stdout, err: process.stderr, isTTY: Boolean(process.stderr.isTTY) });
      }
      return runImportCommand(rest, {
        importer: withServices(config),
        out: process.stdout,
        err: process.stderr,
        isTTY: Boolean(process.stderr.isTTY),
      });
    case 'seed':
      return seed(config, rest);
    case 'user':
    case 'token':
      return runAccountCommand(command, rest, {
        // Accounts alone: no reader pages, stylesheets or page cache for a user or token command.
        services: async () => {
          const platform = await openPlatform(config, { watchChanges: false });
          const { accounts, tokens } = accountServices(platform);
          return { accounts, tokens, close: () => platform.close() };
        },
        out: process.stdout,
        err: process.stderr,
      });
    case 'comments':
      return runCommentsCommand(rest, {
        // The comment services alone: the settings and the classifier, read; nothing is written.
        comments: async () => {
          const platform = await openPlatform(config, { watchChanges: false });
          const audit = auditLog(platform);
          const { articles } = articlesFeature(platform, { media: mediaFeature(platform, { audit }).api, audit }).api;
          const { comments } = commentServices(platform, { articles: { articles }, audit, scriptUrl: async () => '' });
          return { comments, close: () => platform.close() };
        },
        out: process.stdout,
        err: process.stderr,
      });
    case 'alerts':
      return runAlertsCommand(rest, {
        intake: async () => {
          const platform = await openPlatform(config, { watchChanges: false });
          return { intake: feedbackIntake(platform), close: () => platform.close() };
        },
        stdin: process.stdin,
        out: process.stdout,
        err: process.stderr,
      });
    case 'backup':
    case 'restore':
      return runBackupCommand(command, rest, config, { out: process.stdout, err: process.stderr });
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`error: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

/** Opens the database only when the importer is first used, so a dry run touches nothing. */
function withServices(config: Config): () => Promise<{ importer: CaptureImporter; close(): Promise<void> }> {
  return async () => {
    const platform = await openPlatform(config, { watchChanges: false });
    const audit = auditLog(platform);
    const media = mediaFeature(platform, { audit }).api;
    const { articles } = articlesFeature(platform, { media, audit }).api;
    return { importer: new CaptureImporter({ articles, videos: media.videos }), close: () => platform.close() };
  };
}

/** The services a WordPress import writes through, opened once its file has been read. */
function wordpressSession(config: Config): () => Promise<WordpressSession> {
  return async () => {
    const platform = await openPlatform(config, { watchChanges: false });
    // Each picture is processed once: libvips's cache of decoded images would only hold memory.
    (await import('sharp')).default.cache(false);
    const audit = auditLog(platform);
    const media = mediaFeature(platform, { audit }).api;
    const { articles, authors } = articlesFeature(platform, { media, audit }).api;
    const { imports: comments } = commentServices(platform, { articles: { articles }, audit, scriptUrl: async () => '' });
    const importer = new WordpressImporter({ articles, authors, videos: media.videos, comments, db: platform.db });
    return { importer, images: media.images, db: platform.db, maxUploadBytes: config.mediaMaxUploadBytes, close: () => platform.close() };
  };
}

async function seed(config: Config, args: string[]): Promise<number> {
  const demo = args.includes('--demo');
  const at = args.indexOf('--articles');
  const count = at >= 0 ? Number(args[at + 1]) : NaN;
  if (!demo && !(Number.isInteger(count) && count > 0 && count <= 1_000_000)) {
    process.stderr.write('error: seed needs --articles N (1 to 1,000,000) or --demo\n');
    return 2;
  }
  const { services, database } = await buildServices(config);
  try {
    if (demo) {
      if (!(await isEmptySite(services))) {
        process.stderr.write('error: the demo site only goes into an empty database (this one has sections already)\n');
        return 1;
      }
      const { stories } = await seedDemo(services);
      process.stdout.write(`seeded the demo site: ${stories} stories\n`);
      return 0;
    }
    const progress = createProgress({ total: count, label: 'seeded', unit: 'stories', out: process.stderr, isTTY: Boolean(process.stderr.isTTY) });
    const started = performance.now();
    await generateStories(services, count, progress);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`added ${count} stories in ${seconds.toFixed(1)} s (${Math.round(count / seconds)}/s)\n`);
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
