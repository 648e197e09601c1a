// The initials avatar beside each comment: drawn from the name alone (no outside service, no
// email hash), its colour one of eight chosen by the name, so the same person keeps the same one.

export function initials(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  const first = (w: string | undefined) => (w ? [...w.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '' : '');
  const letters = words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : first(words[0]);
  return letters.toUpperCase() || '?';
}

export const AVATAR_HUES = 8;

export function avatarHue(name: string): number {
  let h = 0;
  for (const ch of name.trim().toLowerCase()) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h % AVATAR_HUES;
}
