// Link-preview images drawn for what has no picture of its own: a story without a lead or social
// image (the site's name, its section and the headline on the site's colours), the site's other
// pages (its name and tagline), and the publisher logo search engines ask for when the settings
// have none. Drawn once with sharp into DATA_DIR/social-cards/, named by a hash of what is on
// them, so a new headline is a new file at a new address (served immutable) and the old one is
// simply no longer linked. A page names its card at once and the drawing happens beside it (about
// 50 ms for a story's three, longer under load: a new story's first view would wait for it); what
// to draw is written first in a small `<name>.json`, so the card's address can draw it on request
// if it is asked for before the drawing is done, or after a restart cut it short.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp, { type OverlayOptions } from 'sharp';
import { notFound } from '../platform/errors.ts';

/** The crops search engines and previews ask for (Google: 16:9, 4:3 and 1:1, at least 1,200 px wide). */
export const CARD_SHAPES = [
  { name: '16x9', width: 1200, height: 675 },
  { name: '4x3', width: 1200, height: 900 },
  { name: '1x1', width: 1200, height: 1200 },
] as const;
const LOGO = { width: 600, height: 60 };
const BRAND = '#0b3d5c';
const INK = '#ffffff';
const MUTED = '#b9d3e3';
const MARGIN = 80;
/** Bump when the drawing changes, so every card is drawn again under a new name. */
const DESIGN = 1;
export const CARD_PATH = '/social-cards';
const FILE = /^[a-f0-9]{20}\.png$/;

export interface CardImage {
  /** Site-relative. */
  url: string;
  width: number;
  height: number;
  alt: string;
}

interface CardSpec {
  width: number;
  height: number;
  kicker: string;
  title: string;
  logo?: boolean;
}

const pango = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class SocialCards {
  private readonly inFlight = new Map<string, Promise<void>>();

  /** Where a drawing that failed is told (the server's log, once it has one); its address draws it again on request. */
  onError: (error: unknown) => void = () => undefined;

  constructor(private readonly dir: string) {}

  /** A story's cards, every shape, the 16:9 one first (the one previews show). */
  story(siteName: string, section: string, headline: string): CardImage[] {
    return CARD_SHAPES.map((shape) => this.draw({ ...shape, kicker: `${siteName} · ${section}`, title: headline, alt: `${siteName}: ${headline}` }));
  }

  /** The site's card, for pages that show no one picture (the front, sections, authors, topics). */
  site(siteName: string, tagline: string): CardImage {
    return this.draw({ ...CARD_SHAPES[0], kicker: tagline, title: siteName, alt: siteName });
  }

  /** The publisher logo (600×60, the site's name), when the settings have no logo. */
  logo(siteName: string): CardImage {
    return this.draw({ ...LOGO, kicker: '', title: siteName, alt: siteName, logo: true });
  }

  /** The file behind a card's address, drawn now if a page named it and it is not drawn yet; undefined for any other name. */
  async file(name: string): Promise<string | undefined> {
    if (!FILE.test(name)) return undefined;
    const file = path.join(this.dir, name);
    if (fs.existsSync(file)) return file;
    const running = this.inFlight.get(name);
    if (running) return running.then(() => file);
    let spec: CardSpec;
    try {
      spec = JSON.parse(fs.readFileSync(this.specFile(name), 'utf8')) as CardSpec;
    } catch {
      return undefined;
    }
    await this.drawing(name, spec);
    return file;
  }

  /** The card's address at once; its file is drawn beside the page that names it. */
  private draw(card: CardSpec & { alt: string }): CardImage {
    const spec: CardSpec = { width: card.width, height: card.height, kicker: card.kicker, title: card.title, logo: !!card.logo };
    const name = createHash('sha1').update(JSON.stringify([DESIGN, card.width, card.height, card.kicker, card.title, !!card.logo])).digest('hex').slice(0, 20) + '.png';
    const image = { url: `${CARD_PATH}/${name}`, width: card.width, height: card.height, alt: card.alt };
    if (!fs.existsSync(path.join(this.dir, name)) && !this.inFlight.has(name)) {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(this.specFile(name), JSON.stringify(spec));
      this.drawing(name, spec).catch((error: unknown) => this.onError(error));
    }
    return image;
  }

  private drawing(name: string, spec: CardSpec): Promise<void> {
    let running = this.inFlight.get(name);
    if (!running) {
      running = this.render(spec, path.join(this.dir, name)).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, running);
    }
    return running;
  }

  private specFile(name: string): string {
    return path.join(this.dir, name.replace(/\.png$/, '.json'));
  }

  private async render(card: CardSpec, file: string): Promise<void> {
    const layers: OverlayOptions[] = [];
    const inner = card.width - 2 * MARGIN;
    if (card.logo) {
      const title = await text(card.title, 'DejaVu Serif Bold', 30, card.width - 40, INK, card.height - 10);
      layers.push({ input: title.data, left: 20, top: Math.max(0, Math.round((card.height - title.height) / 2)) });
    } else {
      const kicker = card.kicker ? await text(card.kicker, 'DejaVu Sans Bold', 32, inner, MUTED, 120) : undefined;
      const room = card.height - 2 * MARGIN - (kicker ? kicker.height + 40 : 0);
      const title = await text(card.title, 'DejaVu Serif Bold', card.width > card.height ? 64 : 72, inner, INK, room);
      if (kicker) layers.push({ input: kicker.data, left: MARGIN, top: MARGIN });
      layers.push({ input: title.data, left: MARGIN, top: card.height - MARGIN - title.height });
    }
    const png = await sharp({ create: { width: card.width, height: card.height, channels: 3, background: BRAND } }).composite(layers).png({ compressionLevel: 9 }).toBuffer();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written under a temporary name and renamed: a half-written card is never served.
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, png);
    fs.renameSync(temporary, file);
  }
}

/** Wrapped text that fits `maxHeight`: the size steps down for a long headline, and it is cut at a word past the smallest. */
async function text(value: string, font: string, size: number, width: number, colour: string, maxHeight: number): Promise<{ data: Buffer; height: number }> {
  let words = value.trim();
  for (let points = size; ; points = Math.max(24, Math.round(points * 0.85))) {
    const { data, info } = await sharp({ text: { text: `<span foreground="${colour}">${pango(words)}</span>`, font: `${font} ${points}`, width, rgba: true, wrap: 'word' } })
      .png()
      .toBuffer({ resolveWithObject: true });
    if (info.height <= maxHeight) return { data, height: info.height };
    if (points === 24) words = words.replace(/\s+\S+…?$/, '…');
    if (!words.replace('…', '').trim()) return { data, height: Math.min(info.height, maxHeight) };
  }
}

/** The drawn cards at their addresses: immutable (a new text is a new name); anything else is 404. */
export function registerSocialCardRoutes(app: FastifyInstance, cards: SocialCards): void {
  cards.onError = (error) => app.log.error({ err: error }, 'drawing a social card failed; its address will draw it when asked');
  app.get(`${CARD_PATH}/:file`, async (request, reply) => {
    const file = await cards.file((request.params as { file: string }).file);
    if (!file) throw notFound();
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type('image/png').send(fs.readFileSync(file));
  });
}
