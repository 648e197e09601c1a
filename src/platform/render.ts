// Server rendering of Preact components to HTML documents.
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

export function renderFragment(node: VNode): string {
  return renderToString(node);
}

/** JSON for a <script type="application/ld+json"> body: "<" escaped so no "</script>" can occur. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
