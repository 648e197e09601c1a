// `bulletin backup FILE [--verify]`, `bulletin restore FILE [--force | --verify]`.
// A backup is taken while the site runs: the media files are copied, then the database (one
// consistent snapshot), then any media file that appeared meanwhile. Every file a row of that
// snapshot names was in place before the row committed (uploads place their files inside the
// transaction), so it is in the archive; files of later uploads may be too, unnamed and harmless.
// A restore goes onto a stopped site: it checks the whole archive first, refuses a site that
// holds anything unless --force, then writes the media files and the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MIGRATIONS } from '../../../migrations/_all.ts';
import type { MediaStore } from '../../media/store/media-store.ts';
import { openMediaStore } from '../../media/store/open-media-store.ts';
import type { Config } from '../../platform/config.ts';
import { openDatabase } from '../../platform/db.ts';
import { ArchiveWriter, BackupError, FORMAT, FORMAT_VERSION, readArchive, type BackupHeader } from './backup-archive.ts';
import { appliedMigrations, backupSqlite, databaseHoldsData, dropPostgresTables, exportPostgres, importPostgres, placeSqlite, SQLITE_ENTRY, TABLE_PREFIX } from './database-dump.ts';

export const BACKUP_USAGE = `  backup FILE [--verify]        write a backup of the database and media files (the site may keep running)
  restore FILE [--force]        bring a stopped site back to a backup (--force: replace what the site holds)
  restore FILE --verify         check a backup without restoring it`;

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function runBackupCommand(command: 'backup' | 'restore', args: string[], config: Config, io: Io): Promise<number> {
  const files = args.filter((arg) => !arg.startsWith('--'));
  const flags = args.filter((arg) => arg.startsWith('--'));
  const allowed = command === 'backup' ? ['--verify'] : ['--force', '--verify'];
  const unknown = flags.find((flag) => !allowed.includes(flag));
  if (files.length !== 1 || unknown || (flags.includes('--force') && flags.includes('--verify'))) {
    io.err.write(`error: ${unknown ? `unknown option ${unknown}` : `${command} takes one FILE`}\nusage:\n${BACKUP_USAGE}\n`);
    return 2;
  }
  const file = path.resolve(files[0]!);
  try {
    if (command === 'backup') {
      const summary = await backup(config, file);
      io.out.write(`wrote ${file}: ${summary}\n`);
      if (flags.includes('--verify')) io.out.write(`verified: ${describe(await readArchive(file))}\n`);
      return 0;
    }
    if (flags.includes('--verify')) {
      io.out.write(`${file} is a complete Bulletin backup: ${describe(await readArchive(file))}\n`);
      return 0;
    }
    io.out.write(`restored ${file}: ${await restore(config, file, flags.includes('--force'))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      io.err.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function describe({ header, entries }: Awaited<ReturnType<typeof readArchive>>): string {
  const media = entries.filter((entry) => entry.name.startsWith('media/'));
  const bytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  return `made ${header.createdAt} from ${header.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${header.migrations.length} migrations, ${media.length} media files, ${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function backup(config: Config, file: string): Promise<string> {
  if (fs.existsSync(file)) throw new BackupError(`${file} exists already; a backup never overwrites a file.`);
  const database = await openDatabase(config.database);
  const store = openMediaStore(config.mediaStore, config.dataDir);
  const writer = new ArchiveWriter(file);
  try {
    const header: BackupHeader = { format: FORMAT, version: FORMAT_VERSION, createdAt: new Date().toISOString(), engine: database.engine, migrations: await appliedMigrations(database), mediaStore: store.description };
    writer.header(header);
    let media = await copyMedia(store, writer);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-backup-'));
    try {
      if (config.database.engine === 'sqlite') {
        const temp = path.join(work, 'bulletin.sqlite');
        await backupSqlite(config.database.file, temp);
        await writer.add(SQLITE_ENTRY, fs.statSync(temp).size, fs.createReadStream(temp));
      } else {
        await exportPostgres(database, work, (table, file) => writer.add(`${TABLE_PREFIX}${table}.jsonl`, fs.statSync(file).size, fs.createReadStream(file)));
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    media += await copyMedia(store, writer);
    const entries = await writer.finish();
    const bytes = entries.reduce((sum, entry) => sum + entry.size, 0);
    return `the database and ${media} media files, ${(bytes / 1024 / 1024).toFixed(1)} MB before compression`;
  } catch (error) {
    await writer.abort();
    fs.rmSync(file, { force: true });
    throw error;
  } finally {
    await database.close();
  }
}

/** Copies the store's files not yet in the archive; returns how many. */
async function copyMedia(store: MediaStore, writer: ArchiveWriter): Promise<number> {
  let copied = 0;
  for await (const item of store.list('')) {
    const name = `media/${item.key}`;
    if (writer.has(name)) continue;
    const body = await store.open(item.key);
    if (!body) continue; // deleted since it was listed: its row is gone too
    await writer.add(name, item.size, body);
    copied++;
  }
  return copied;
}

async function restore(config: Config, file: string, force: boolean): Promise<string> {
  const { header } = await readArchive(file);
  if (header.engine !== config.database.engine) {
    throw new BackupError(`This backup holds a ${header.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database; this site is configured for ${config.database.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (DATABASE_URL).`);
  }
  const known = Object.keys(MIGRATIONS);
  if (header.migrations.some((name, i) => known[i] !== name)) {
    throw new BackupError('This backup was made by a newer or different version of Bulletin (its schema has migrations this one does not know); restore it with that version.');
  }
  const store = openMediaStore(config.mediaStore, config.dataDir);
  const database = config.database.engine === 'postgres' ? await openDatabase(config.database) : undefined;
  try {
    const hasData = await databaseHoldsData(config.database, database);
    const hasMedia = !(await store.list('')[Symbol.asyncIterator]().next()).done;
    if ((hasData || hasMedia) && !force) {
      throw new BackupError(`This site is not empty (${[hasData && 'its database', hasMedia && 'its media store'].filter(Boolean).join(' and ')} already hold${hasData && hasMedia ? '' : 's'} data). Stop the site and run restore with --force to replace everything in it; nothing was changed.`);
    }
    if (hasMedia) await clearMedia(store);
    if (database && hasData) await dropPostgresTables(database);
    // The database's part is written to local files first and put in place once the whole archive
    // has been read again and found good: SQLite's file beside the configured one (same file
    // system, one rename), PostgreSQL's tables in a temporary folder.
    if (config.database.engine === 'sqlite') fs.mkdirSync(path.dirname(config.database.file), { recursive: true });
    const work = fs.mkdtempSync(path.join(config.database.engine === 'sqlite' ? path.dirname(config.database.file) : os.tmpdir(), '.bulletin-restore-'));
    const tables = new Map<string, string>();
    let sqliteFile: string | null = null;
    let media = 0;
    try {
      await readArchive(file, async (name, body, size) => {
        if (name.startsWith('media/')) {
          await store.put(name.slice('media/'.length), body, size);
          media++;
        } else if (name === SQLITE_ENTRY) {
          sqliteFile = path.join(work, 'bulletin.sqlite');
          await pipeline(body, fs.createWriteStream(sqliteFile));
        } else if (name.startsWith(TABLE_PREFIX)) {
          const table = name.slice(TABLE_PREFIX.length).replace(/\.jsonl$/, '');
          tables.set(table, path.join(work, `${table}.jsonl`));
          await pipeline(body, fs.createWriteStream(tables.get(table)!));
        }
      });
      if (config.database.engine === 'sqlite') {
        if (!sqliteFile) throw new BackupError('This backup holds no SQLite database.');
        placeSqlite(sqliteFile, config.database.file);
      }
      if (database) await importPostgres(database, header.migrations, tables);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    return `the database (${header.createdAt}) and ${media} media files`;
  } finally {
    await database?.close();
  }
}

async function clearMedia(store: MediaStore): Promise<void> {
  const folders = new Set<string>();
  for await (const item of store.list('')) folders.add(item.key.split('/').slice(0, 2).join('/'));
  for (const folder of folders) await store.removeFolder(folder);
}

