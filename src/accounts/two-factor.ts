// TOTP (RFC 6238) codes via otpauth: 6 digits, 30-second steps, SHA-1 — what every authenticator
// app understands. A code is accepted one step either side (clock drift) and never twice.
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secret), period: PERIOD }).toString();
}

/** The step the code belongs to, or null when it is wrong or was already used (step <= lastStep). */
export function checkTotp(secret: string, code: string, lastStep: number, now: Date): number | null {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD });
  const delta = totp.validate({ token: clean, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta;
  return step > lastStep ? step : null;
}

/** The current code (for tests and for showing nothing else: the app never displays codes). */
export function totpCode(secret: string, now: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD }).generate({ timestamp: now.getTime() });
}
