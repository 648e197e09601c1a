// Secrets and passwords. Random tokens are 32 bytes from the OS CSPRNG; the database keeps only
// their SHA-256 (a stolen database yields no usable session, link or API token). Passwords are
// argon2id (@node-rs/argon2 defaults: 19 MiB, 2 passes — the OWASP baseline).
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Checked against when the email is unknown, so a wrong email costs as long as a wrong password.
let decoy: Promise<string> | undefined;

export async function checkPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoy ??= hash(newSecret());
  const target = storedHash ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return ok && storedHash !== null;
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
