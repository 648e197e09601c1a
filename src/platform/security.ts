// Security headers every response carries, cached pages included.
import { createHash } from 'node:crypto';

/** The CSP source for one inline <style> or <script> body. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
}

/** Powerful browser features no page of ours uses: refused to every page and anything it embeds. */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

/**
 * `https`: the site is served over TLS (SITE_URL starts with https:), so browsers are told to use it
 * for a year (Strict-Transport-Security); off otherwise, since a plain-HTTP site would lock itself out.
 */
export function securityHeaders(options: { inlineStyleHashes: string[]; https?: boolean }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "img-src 'self' data: https:",
    // The video player (hls.js) feeds the <video> through Media Source Extensions, a blob: URL.
    "media-src 'self' blob:",
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
    'permissions-policy': PERMISSIONS_POLICY,
    ...(options.https && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  };
}
