// What kind of thing a topic is. Apart from the extractor (topic-extraction.ts), so that the
// screens and services that name the kinds do not load the NLP library it brings.
export type TopicKind = 'person' | 'place' | 'organization' | 'subject';
export const TOPIC_KINDS: readonly TopicKind[] = ['person', 'place', 'organization', 'subject'];
