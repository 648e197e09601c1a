// What every feature is built on: configuration, the database (migrated), the clock and the change
// feed; and mount(), which turns a list of features into the running HTTP app with its job worker
// and maintenance timers. The CLI opens a platform and builds only the features a command uses.
import http from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { openMailer, type Mailer } from './mailer.ts';
import { ChangeFeed } from './changes.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { migrate, openDatabase, type Database, type Db } from './db.ts';
import type { Feature, Maintenance, NavEntry } from './feature.ts';
import { JobRunner } from './job-runner.ts';
import { prettyLogStream } from './log-format.ts';
import { installOpenApi } from './openapi.tsx';
import { projectFile } from './paths.ts';
import { installIdParams } from './schemas.ts';
import { listenForChanges, relayThroughPrimary, sendChangeNotices, type NoticeListener } from './change-notices.ts';
import { installHealth } from './health.ts';
import { sendJsonErrors, wantsJson } from './http-errors.ts';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { createRegistry, jobRunObserver } from './metrics.ts';
import { withRequestId } from './request-context.ts';

export interface PlatformOptions {
  clock?: Clock;
  /** Start polling for changes written by other processes (off for one-shot CLI commands). */
  watchChanges?: boolean;
  /** Run the job worker (default: when watching changes and NODE_ROLE is not web); off for a process beside a running site. */
  runJobs?: boolean;
}

/** What answers before routing, and the headers every answer carries: the reader site's. */
export interface FrontDoor {
  /** True when it answered the request itself (a cached page). */
  tryServe(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Security headers for every response that sets none of its own. */
  headers: Readonly<Record<string, string>>;
  /** The stylesheet the API description page borrows. */
  css: string;
  /** The site's error page with this message (for errors answered before any route). */
  errorPage(message: string, status: number): string;
}

export interface MountedApp {
  app: FastifyInstance;
  /** Durable jobs of every feature; started with the change watcher. */
  jobs: JobRunner;
  /**
   * Stops in order: no new connections, requests in flight and running jobs get `graceMs` (jobs
   * not done by then are given back), then the change listener, the mailer and the database.
   */
  close(graceMs?: number): Promise<void>;
}

export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  engine: Database['engine'];
  clock: Clock;
  changes: ChangeFeed;
  /** Outgoing mail (SMTP_URL, or .eml files in DATA_DIR/outbox), for every feature that sends any. */
  mailer: Mailer;
  /** This process's Prometheus registry: features add their figures, /metrics prints them. */
  metrics: Registry;
  /** The newsroom navigation of the mounted features, in bar order (empty until mount). */
  nav: readonly NavEntry[];
  /** Registers every feature's routes, jobs and maintenance on one app, in list order. */
  mount(features: readonly Feature[], front: FrontDoor): Promise<MountedApp>;
  /** Closes the database (for a platform that was never mounted: CLI commands). */
  close(): Promise<void>;
}

/** The API's version is the package's. */
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;

/** A request's address as logs keep it: without the value of any `token` in its query. */
export function withoutSecrets(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1…');
}

/** A whole HTTP/1.1 response, for a socket Node has refused before any request object exists. */
function rawErrorResponse(status: number, headers: Readonly<Record<string, string>>, body: string): string {
  const all = { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

export async function openPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const database = await openDatabase(config.database);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const changes = new ChangeFeed(database.db, config.changePollMs, clock);
  if (config.database.engine === 'postgres') sendChangeNotices(changes, config.database.schema);
  const mailer = openMailer(config);
  const nav: NavEntry[] = [];
  const metrics = createRegistry();

  async function mount(features: readonly Feature[], front: FrontDoor): Promise<MountedApp> {
    const app = Fastify({
      logger:
        config.logLevel === 'silent'
          ? false
          : {
              level: config.logLevel,
              // One-time links (setup, invitations, password resets) carry their secret in the query: logs get the path alone.
              serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: withoutSecrets(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }) },
              ...(config.logFormat === 'pretty' && { stream: prettyLogStream() }),
            },
      logController: new LogController({ disableRequestLogging: !config.logRequests }),
      // Unique across nodes, so a request's id finds its lines (and its jobs') in merged logs; a
      // trusted proxy's X-Request-Id is kept, so the id runs from the edge through to the jobs.
      genReqId: (req) => {
        const given = config.trustProxy !== false ? req.headers['x-request-id'] : undefined;
        return typeof given === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(given) ? given : randomUUID();
      },
      // Behind a reverse proxy (TRUST_PROXY), the client is the one the proxy names.
      // (A hop count is valid too, as Fastify documents; its types list only the other forms.)
      trustProxy: config.trustProxy as boolean | string[],
      // A field a schema does not know is an error to report (a typo in an API call), not to drop silently.
      ajv: { customOptions: { removeAdditional: false } },
      // Errors before routing (a bad percent-encoding, a path segment past 100 characters) get the
      // same answers as every other error: the site's page or {errors}, its headers, no echo of the path.
      frameworkErrors: (error, request, reply) => {
        const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
        const message = status === 414 ? 'That address is too long.' : 'That address is not valid.';
        const answer = reply as unknown as FastifyReply;
        answer.headers(front.headers);
        if (wantsJson(request as unknown as FastifyRequest)) return sendJsonErrors(answer, status, [{ message }]);
        return answer.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(front.errorPage(message, status));
      },
      // Requests Node refuses before Fastify sees them (headers past the limit: 431) too.
      clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
        if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
        const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
        socket.end(rawErrorResponse(status, front.headers, front.errorPage(status === 431 ? 'The request’s headers are too large.' : 'The request could not be read.', status)));
      },
      // Cached pages are answered before routing, straight from memory: the reader hot path.
      serverFactory: (handler) =>
        config.nodeRole === 'worker'
          ? http.createServer(handler)
          : http.createServer((req, res) => {
              if (!front.tryServe(req, res)) handler(req, res);
            }),
    });
    // The request's id follows the work it starts, into the jobs it queues (request-context.ts).
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      withRequestId(request.id, done);
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      for (const [name, value] of Object.entries(front.headers)) if (!reply.hasHeader(name)) reply.header(name, value);
      // An answer that sets a cookie belongs to one person: no cache in front may keep it, whatever its route said.
      if (reply.hasHeader('set-cookie') && !/\bprivate\b/.test(String(reply.getHeader('cache-control') ?? ''))) reply.header('cache-control', 'private, no-store');
      return payload;
    });
    // Before the routes: ids are checked by one schema, and the description is collected from the routes as they register.
    installIdParams(app);
    await installOpenApi(app, { siteUrl: config.siteUrl, version: PACKAGE_VERSION, css: front.css });
    installHealth(app, config.nodeRole);
    for (const feature of features) await feature.operatorRoutes?.(app);
    // A worker serves only what operators ask of it (health, metrics): no pages, no API.
    if (config.nodeRole !== 'worker') for (const feature of features) await feature.routes?.(app);

    nav.push(...features.flatMap((feature) => feature.nav ?? []));
    nav.sort((a, b) => a.order - b.order);

    const jobs = new JobRunner(database.db, database.engine, clock, app.log, { observe: jobRunObserver(metrics) });
    for (const binding of features.flatMap((feature) => feature.jobs ?? [])) jobs.register(binding);
    const watching = options.watchChanges !== false;
    let notices: NoticeListener | undefined;
    if (watching) {
      if (config.database.engine === 'postgres') notices = await listenForChanges(changes, config.database, app.log);
      else relayThroughPrimary(changes);
      await changes.start();
    }
    if (options.runJobs ?? (watching && config.nodeRole !== 'web')) {
      // A committed change may have queued a job that is waited for (a purge): claim it now, not at the next tick.
      changes.onChange(() => jobs.wakeForChange());
      // Scheduled publishing that fell due while down is caught up before listening; every other
      // lane in the background, so a backlog of due jobs does not keep the server from answering.
      const { beforeServing, caughtUp } = jobs.start();
      void caughtUp.catch((err: unknown) => app.log.error({ err }, 'catching up on due jobs failed'));
      await beforeServing.catch((err: unknown) => app.log.error({ err }, 'publishing the schedules that fell due failed'));
    }

    const changeLogPrune: Maintenance = { name: 'changes.prune', everyMs: 3600_000, run: () => changes.prune() };
    const timers = [changeLogPrune, ...features.flatMap((feature) => feature.maintenance ?? [])]
      .map((task) => {
        const timer = setInterval(() => void task.run().catch((err: unknown) => app.log.warn({ err, task: task.name }, 'maintenance failed; tried again next time')), task.everyMs);
        timer.unref();
        return timer;
      });

    return {
      app,
      jobs,
      async close(graceMs = config.shutdownGraceMs) {
        for (const timer of timers) clearInterval(timer);
        changes.stop();
        await Promise.all([jobs.stop(graceMs), app.close()]);
        await notices?.close();
        await mailer.close();
        await database.close();
      },
    };
  }

  const close = async () => {
    await mailer.close();
    await database.close();
  };
  return { config, database, db: database.db, engine: database.engine, clock, changes, mailer, metrics, nav, mount, close };
}
