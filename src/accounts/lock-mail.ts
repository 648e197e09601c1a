// The mail that tells a person their newsroom account was locked by failed sign-ins: the owner
// hears of it at once, without the sign-in form ever saying so to whoever is trying passwords.
import type { Mailer } from '../platform/mailer.ts';

export type LockNotifier = (user: { email: string; name: string }, minutes: number) => void;

export function lockMail(mailer: Mailer, site: { siteUrl: string; siteName: () => Promise<string> }, onError: (error: unknown) => void = () => {}): LockNotifier {
  const host = new URL(site.siteUrl).hostname;
  // Not awaited by the sign-in: a known address must take no longer to refuse than an unknown one.
  return (user, minutes) =>
    void (async () => {
      const siteName = await site.siteName();
      const text = [
        `Hello ${user.name},`,
        '',
        `Your ${siteName} newsroom account (${user.email}) was locked for ${minutes} minutes after repeated failed sign-in attempts.`,
        '',
        'If that was you, wait and sign in again. If it was not, someone may be guessing your password:',
        'ask an administrator for a new password link, and turn on two-factor sign-in under My account.',
        '',
        `${site.siteUrl}/newsroom/account/two-factor`,
      ].join('\n');
      await mailer.send({
        to: user.email,
        subject: `Your ${siteName} newsroom account was locked`,
        text,
        html: `<!doctype html><p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
        messageId: `<lock-${Date.now()}-${Math.random().toString(36).slice(2)}@${host}>`,
      });
    })().catch(onError);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
