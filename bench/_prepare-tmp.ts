import { benchSite } from './_harness.ts';
await benchSite(100_000);
