// What a reader follows and whom an alert reaches, as one kind of key: '*' (all breaking news), a
// section's slug, or `topic:<slug>` (a reader following a topic from its page). Subscriptions store
// the keys a reader chose; an alert stores the keys it is for; it reaches every active subscriber
// who holds '*' or one of them. The same rules check a sign-up, a push subscription, a change of
// preferences and an alert, so no key is ever stored that no one can send to or unsubscribe from.
import type { FieldError } from '../platform/errors.ts';

export const ALL_SECTIONS = '*';
const TOPIC = 'topic:';
/** Topics one subscription may follow: enough for a reader, too few to be a way of storing junk. */
export const MAX_TOPICS = 50;

export const topicKey = (slug: string) => `${TOPIC}${slug}`;
export const topicSlugOf = (key: string) => (key.startsWith(TOPIC) ? key.slice(TOPIC.length) : null);

export interface Audiences {
  /** The sections a reader can choose, slug → name. */
  choices(): Promise<Map<string, string>>;
  /** Of these topic slugs, the topics that exist, slug → name. */
  topics(slugs: string[]): Promise<Map<string, string>>;
}

/** Every key's name for people: "All breaking news", "National", "Ukraine"; unknown keys are left out. */
export async function audienceNames(keys: string[], audiences: Audiences): Promise<Map<string, string>> {
  const slugs = keys.map(topicSlugOf).filter((slug): slug is string => slug !== null);
  const [sections, topics] = await Promise.all([audiences.choices(), slugs.length ? audiences.topics(slugs) : new Map<string, string>()]);
  const names = new Map<string, string>();
  for (const key of keys) {
    const slug = topicSlugOf(key);
    const name = key === ALL_SECTIONS ? 'All breaking news' : slug === null ? sections.get(key) : topics.get(slug);
    if (name !== undefined) names.set(key, name);
  }
  return names;
}

/**
 * The keys a form ticked, checked against what exists: ['*'] alone when it is among them, else
 * the keys sorted. `empty` is the message when nothing is ticked; every problem goes to `errors`.
 */
export async function checkAudience(raw: unknown, audiences: Audiences, errors: FieldError[], empty: string): Promise<string[]> {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
  const chosen = [...new Set(list.map((v) => (typeof v === 'string' ? v.trim() : '')))];
  if (chosen.length === 0) {
    errors.push({ field: 'sections', message: empty });
    return [];
  }
  const sections = await audiences.choices();
  const topics = chosen.filter((key) => topicSlugOf(key) !== null);
  if (chosen.length > sections.size + 1 + MAX_TOPICS || topics.length > MAX_TOPICS) {
    errors.push({ field: 'sections', message: 'Choose from the sections and topics listed.' });
    return [];
  }
  const names = await audienceNames(chosen, audiences);
  if (chosen.some((key) => !names.has(key))) {
    errors.push({ field: 'sections', message: topics.some((key) => !names.has(key)) ? 'One of the topics chosen no longer exists; choose from those listed.' : 'Choose from the sections listed.' });
    return [];
  }
  return chosen.includes(ALL_SECTIONS) ? [ALL_SECTIONS] : chosen.sort();
}

/** "all breaking news", "National and World news", "Ukraine and National news": a choice in words. */
export async function describeAudience(keys: string[], audiences: Audiences): Promise<string> {
  if (keys.includes(ALL_SECTIONS)) return 'all breaking news';
  const names = await audienceNames(keys, audiences);
  const list = keys.map((key) => names.get(key) ?? topicSlugOf(key) ?? key);
  return `${list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0]} news`;
}
