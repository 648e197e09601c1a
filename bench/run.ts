// `npm run bench -- <name> [options]`: runs bench/<name>.ts. Each benchmark measures against a
// baseline in the same run and prints a ratio, because absolute numbers on shared machines drift.
import fs from 'node:fs';

const [name, ...args] = process.argv.slice(2);
const available = fs
  .readdirSync(new URL('./', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !['run.ts'].includes(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(name ? 2 : 0);
}
const bench = (await import(`./${name}.ts`)) as { main(args: string[]): Promise<void> };
await bench.main(args);
