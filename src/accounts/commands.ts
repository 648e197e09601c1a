// `bulletin user …` and `bulletin token …`: staff invitations, password resets and API tokens
// from the command line (for the first administrator on a headless box, and for scripts).
import type { Writable } from 'node:stream';
import type { AccountService } from './account-service.ts';
import type { TokenService } from './token-service.ts';
import { AppError } from '../platform/errors.ts';

export const ACCOUNT_USAGE = `  user add EMAIL --role ROLE [--name NAME]
                                add a staff member; prints a one-time link to set a password
  user reset EMAIL              print a one-time password-reset link
  token add NAME --role ROLE [--expires DAYS]
                                create an admin-API token (printed once; lasts until revoked
                                unless it expires after DAYS days)
  token revoke ID               revoke an admin-API token`;

export interface AccountCommandDeps {
  services(): Promise<{ accounts: AccountService; tokens: TokenService; close(): Promise<void> }>;
  out: Writable;
  err: Writable;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

export async function runAccountCommand(command: 'user' | 'token', args: string[], deps: AccountCommandDeps): Promise<number> {
  const [action, subject] = args;
  const usage = () => {
    deps.err.write(`usage:\n${ACCOUNT_USAGE}\n`);
    return 2;
  };
  const known = command === 'user' ? ['add', 'reset'] : ['add', 'revoke'];
  if (!action || !known.includes(action) || !subject || subject.startsWith('--')) return usage();
  const { accounts, tokens, close } = await deps.services();
  try {
    if (command === 'user' && action === 'add') {
      const { link } = await accounts.addUser('cli', { email: subject, role: option(args, '--role'), name: option(args, '--name') });
      deps.out.write(`Added ${subject.trim().toLowerCase()}. Send them this one-time link to set a password (valid 24 hours):\n${link}\n`);
    } else if (command === 'user') {
      deps.out.write(`One-time password-reset link for ${subject} (valid 24 hours):\n${await accounts.issuePasswordLink('cli', subject)}\n`);
    } else if (action === 'add') {
      const { token } = await tokens.create('cli', { name: subject, role: option(args, '--role'), expires: option(args, '--expires') });
      deps.out.write(`Token "${subject}" (shown once; keep it secret):\n${token}\n`);
    } else {
      const id = Number(subject);
      if (!Number.isInteger(id) || id < 1) return usage();
      await tokens.revoke('cli', id);
      deps.out.write(`Token ${id} revoked.\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      deps.err.write(`error: ${error.details.map((d) => d.message).join(' ')}\n`);
      return 1;
    }
    throw error;
  } finally {
    await close();
  }
}
