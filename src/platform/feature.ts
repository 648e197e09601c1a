// What a feature folder hands the app: one function per feature (`articlesFeature(platform, deps)`)
// builds its services from the platform and the features it names, and returns this. `src/app.ts`
// lists those calls, and Platform.mount() registers what they return (ADR 005).
import type { FastifyInstance } from 'fastify';
import type { JobBinding } from './jobs.ts';

/** A newsroom navigation entry; `permission` names one of src/accounts/permissions.ts. */
export interface NavEntry {
  href: string;
  label: string;
  permission: string;
  /** Place in the navigation bar, lowest first (features mount in any order). */
  order: number;
  /** A count shown beside the label when above zero, read for each page; `label` says what it counts. */
  badge?: { count: () => Promise<number>; label: string };
}

/** Work a running site repeats on a timer (pruning old rows), never in a request. */
export interface Maintenance {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface Feature<Api = unknown> {
  readonly name: string;
  /** All that other features, the CLI and tests may call. */
  readonly api: Api;
  /** Its HTTP routes: reader side, newsroom screens, Admin API. Called in the order features are mounted; not on a worker node. */
  routes?(app: FastifyInstance): void | Promise<void>;
  /** Routes for operators (health, metrics), served by every NODE_ROLE, the worker's included. */
  operatorRoutes?(app: FastifyInstance): void | Promise<void>;
  /** Its durable jobs, each a job type with the work it does. */
  jobs?: readonly JobBinding[];
  /** Its newsroom screens' navigation entries. */
  nav?: readonly NavEntry[];
  maintenance?: readonly Maintenance[];
}
