// What every feed format says, once: the feed and its entries as plain data. The RSS, Atom and
// JSON Feed writers each turn this into their own document, so the three never disagree about a
// story's dates, authors or picture.
import type { ShareImage } from '../media/share-image.ts';

export interface FeedPerson {
  name: string;
  /** Their page on the site (absolute), when they have one. */
  url?: string;
}

/** A lead picture as the share variant describes it, its address made absolute. */
export type FeedImage = ShareImage;

export interface FeedEntry {
  /** Never changes for the story, even when its address does (a tag: URI, RFC 4151). */
  id: string;
  url: string;
  title: string;
  /** Plain text: the dek, else the opening of the body. */
  summary: string;
  /** The whole story as HTML with absolute links, when the site sends full text. */
  contentHtml?: string;
  publishedAt: string;
  /** The last change readers would see: an update or a correction; never before publishedAt. */
  updatedAt: string;
  /** At least one: the byline, else the agencies, else the site. */
  authors: FeedPerson[];
  contributors: FeedPerson[];
  /** The section first, then the topics. */
  categories: { term: string; label: string; scheme?: string }[];
  image?: FeedImage;
  /** The lead clip as one file (its progressive MP4), once it is ready: the item's enclosure. */
  clip?: FeedClip;
}

export interface FeedClip {
  url: string;
  bytes: number;
  type: 'video/mp4';
}

/** Where each format of a feed lives (absolute): every document names its own address as `self`. */
export interface FeedAddresses {
  rss: string;
  atom: string;
  json: string;
}

export interface FeedDocument {
  title: string;
  description: string;
  /** The page this feed follows (absolute). */
  homeUrl: string;
  addresses: FeedAddresses;
  language: string;
  /** The newest entry's change, or the time it was drawn when there are none. */
  updatedAt: string;
  /** Absolute URL of the site's icon. */
  icon: string;
  siteName: string;
  entries: FeedEntry[];
}

/** A story's id in every feed: `tag:<host>,<day it was created>:story:<id>`. */
export function storyTagUri(siteUrl: string, createdAt: string, id: number): string {
  return `tag:${new URL(siteUrl).hostname},${createdAt.slice(0, 10)}:story:${id}`;
}

/** The later of two ISO instants. */
export function later(a: string, b: string): string {
  return a > b ? a : b;
}
