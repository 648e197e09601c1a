// Security headers every response carries, cached pages included.
import { createHash } from 'node:crypto';

/** The CSP source for one inline <style> or <script> body. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
}

export function securityHeaders(options: { inlineStyleHashes: string[] }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "img-src 'self' data: https:",
    `style-src 'self' ${options.inlineStyleHashes.join(' ')}`.trim(),
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'SAMEORIGIN',
    'cross-origin-opener-policy': 'same-origin',
  };
}
