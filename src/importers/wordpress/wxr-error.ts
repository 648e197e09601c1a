// The error of a WordPress export that cannot be read at all (not XML, not WXR, truncated, a
// DOCTYPE). Problems with one item are not errors: they are reported and the item is skipped.

export class WxrError extends Error {
  override readonly name = 'WxrError';
}
