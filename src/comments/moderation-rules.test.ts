import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, spamPatterns, type CommentSignals } from './moderation-rules.ts';
import { DEFAULT_SETTINGS } from './comment-settings.ts';
import { checkPendingViewHash, checkToken, issueToken, MAX_AGE_MS, MIN_AGE_MS, pendingViewHash } from './form-token.ts';
import { features, readable, spamProbability } from './classifier.ts';
import { seedModel } from './spam-model.ts';

const base: CommentSignals = {
  text: 'Thanks for the report.',
  authorName: 'Ann',
  email: 'ann@example.com',
  url: '',
  ip: '198.51.100.1',
  links: 0,
  returning: false,
  approvedCount: 0,
  rejectedCount: 0,
  recentFromIp: 0,
  duplicate: false,
  spamProbability: 0.1,
};
const settings = { ...DEFAULT_SETTINGS, moderationWords: ['idiot'], blocklist: ['casino', 'bad@example.com', '192.0.2.66'] };

test('WordPress defaults: a first comment is held, a returning commenter is approved', () => {
  assert.deepEqual(decide(base, settings), { status: 'pending', reasons: ['first comment'] });
  assert.deepEqual(decide({ ...base, returning: true, approvedCount: 1 }, settings), { status: 'approved', reasons: ['returning commenter'] });
});

test('two links, a moderation word, shouting, a flood or an unreliable history hold even a returning commenter', () => {
  const returning = { ...base, returning: true, approvedCount: 1 };
  assert.deepEqual(decide({ ...returning, links: 2 }, settings).reasons, ['2 links']);
  assert.deepEqual(decide({ ...returning, text: 'You idiot.' }, settings), { status: 'pending', reasons: ['moderation word: idiot'] });
  assert.equal(decide({ ...returning, text: 'THIS IS A DISGRACE AND EVERYONE KNOWS IT' }, settings).reasons[0], 'all caps');
  assert.deepEqual(decide({ ...returning, recentFromIp: 3 }, settings).reasons, ['flood']);
  assert.deepEqual(decide({ ...returning, rejectedCount: 2 }, settings).reasons, ['unreliable commenter']);
});

test('the blocklist (words, emails, addresses), duplicates, link markup and the classifier send to spam', () => {
  assert.deepEqual(decide({ ...base, text: 'Best Casino!' }, settings), { status: 'spam', reasons: ['blocklisted word: casino'] });
  assert.deepEqual(decide({ ...base, email: 'BAD@example.com' }, settings).reasons, ['blocklisted email']);
  assert.deepEqual(decide({ ...base, ip: '192.0.2.66' }, settings).reasons, ['blocklisted address']);
  assert.deepEqual(decide({ ...base, duplicate: true, returning: true }, settings).reasons, ['duplicate']);
  assert.deepEqual(decide({ ...base, text: '[url=http://x.example]x[/url]' }, settings).reasons, ['spam pattern: link markup']);
  assert.deepEqual(decide({ ...base, spamProbability: 0.97, returning: true, url: 'https://x.example' }, settings), { status: 'spam', reasons: ['classifier 0.97'] });
  assert.deepEqual(decide({ ...base, spamProbability: 0.97, returning: true }, settings), { status: 'pending', reasons: ['classifier 0.97'] }, 'alone short of certainty, a remark that sends readers nowhere is held');
  assert.deepEqual(decide({ ...base, spamProbability: 0.99 }, settings), { status: 'spam', reasons: ['classifier 0.99'] });
  assert.equal(decide({ ...base, spamProbability: 0.75, links: 2 }, settings).status, 'spam');
  assert.equal(decide({ ...base, spamProbability: 0.75 }, settings).status, 'pending');
});

test('a trusted commenter skips the queue; the classifier learnt from the seed tells spam from news talk', () => {
  assert.deepEqual(decide({ ...base, returning: true, approvedCount: 3 }, settings).reasons, ['trusted commenter']);
  const model = seedModel();
  assert.ok(spamProbability(model, features('Cheap viagra pills online, order now http://rx.example.ru')) > 0.9);
  assert.ok(spamProbability(model, features('The council vote on the flood barrier was closer than expected.')) < 0.3);
  assert.equal(spamProbability(model, features('zzqx')), 0.5, 'unknown words say nothing');
});

test('form tokens: signed, for one story, good between the minimum and maximum age', () => {
  const now = 1_800_000_000_000;
  const token = issueToken('secret', 7, now);
  assert.equal(checkToken('secret', token, 7, now + MIN_AGE_MS).ok, true);
  assert.deepEqual(checkToken('secret', token, 7, now + 10), { ok: false, problem: 'too_fast' });
  assert.deepEqual(checkToken('secret', token, 7, now + MAX_AGE_MS + 1), { ok: false, problem: 'expired' });
  assert.deepEqual(checkToken('secret', token, 8, now + MIN_AGE_MS), { ok: false, problem: 'other_story' });
  assert.deepEqual(checkToken('other', token, 7, now + MIN_AGE_MS), { ok: false, problem: 'forged' });
  assert.deepEqual(checkToken('secret', undefined, 7, now), { ok: false, problem: 'missing' });
  const hash = pendingViewHash('secret', 5, now + 1000);
  assert.equal(checkPendingViewHash('secret', 5, hash, now), true);
  assert.equal(checkPendingViewHash('secret', 6, hash, now), false);
  assert.equal(checkPendingViewHash('secret', 5, hash, now + 2000), false);
});

test('disguised letters are read as plain ones and count against a comment; other scripts alone do not', () => {
  assert.deepEqual(readable('Вuу сhеар vіаgrа'), { text: 'buy cheap viagra', obfuscated: true });
  assert.equal(readable('𝗘𝗮𝗿𝗻 $𝟱𝟬𝟬').text, 'earn $500');
  assert.equal(readable('v.i.a.g.r.a and c-i-a-l-i-s').text, 'viagra and cialis');
  assert.equal(readable('B\u200Bitcoin').obfuscated, true);
  assert.deepEqual(readable('Спасибо за статью'), { text: 'спасибо за статью', obfuscated: false });
  assert.equal(readable('U.S. and e-mail').obfuscated, false);
  assert.equal(decide({ ...base, text: 'Вuу сhеар vіаgrа оnlіnе' }, settings).status, 'spam');
  assert.deepEqual(decide({ ...base, text: 'Спасибо за статью, очень интересно.' }, settings).reasons, ['first comment']);
});

test('repeated characters, praise with a link, shorteners and two kinds of spam; news words stay news', () => {
  assert.deepEqual(decide({ ...base, text: '!'.repeat(80) }, settings).reasons, ['spam pattern: repeated characters']);
  assert.deepEqual(decide({ ...base, text: 'lol '.repeat(20) }, settings).reasons, ['spam pattern: repeated characters']);
  assert.equal(decide({ ...base, text: 'WHY IS NOBODY TALKING ABOUT THE SEWAGE???' }, settings).status, 'pending');
  assert.equal(decide({ ...base, text: 'Nice post!', url: 'https://x.example' }, settings).status, 'spam');
  assert.equal(decide({ ...base, text: 'Nice post!' }, settings).status, 'pending', 'praise alone sends nobody anywhere');
  assert.equal(decide({ ...base, text: 'Nice post!', url: 'https://x.example', returning: true, approvedCount: 2 }, settings).status, 'approved');
  assert.ok(spamPatterns('see https://bit.ly/3xYz').includes('link shortener'));
  assert.deepEqual(spamPatterns('Closing the only pharmacy in the village is a disgrace.'), []);
  assert.deepEqual(spamPatterns('Our street WhatsApp group talks of nothing else.'), []);
  assert.equal(decide({ ...base, text: 'Won big at poker, rank higher with our seo services', links: 1 }, settings).status, 'spam');
});
