// Topic suggestions through the real app: the seed page's people and places, variants of a name
// as one topic with its aliases kept, accepting and rejecting in the story form, and who may not
// read them (Admin API), on SQLite (or PostgreSQL with TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { paragraph } from '../articles/body.ts';
import { toFormValues } from '../articles/story-fields.ts';
import { asInput } from '../articles/workflow.ts';
import { CaptureImporter } from '../importers/capture-import.ts';
import { projectFile } from '../platform/paths.ts';

let t: TestApp;
const token: Record<string, string> = {};
let seedId = 0;

async function drain(): Promise<void> {
  for (let round = 0; round < 20; round++) if ((await t.jobs.runDue()).length === 0) return;
}

before(async () => {
  t = await buildTestApp();
  await seedDemo(t.services);
  for (const role of ['administrator', 'editor', 'author', 'contributor', 'moderator']) token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  const importer = new CaptureImporter({ articles: t.services.articles, videos: t.services.videos });
  seedId = (await importer.importText(fs.readFileSync(projectFile('test/fixtures/related/seed-trump-putin-missiles.txt'), 'utf8'), { fileName: 'seed.txt', publish: false })).articleId;
  await drain();
});
after(() => t.close());

type Suggestions = { suggestions: { name: string; kind: string; score: number }[] };
const suggestionsOf = async (id: number, role: string | null = 'editor') => t.app.inject({ url: `/api/admin/v1/articles/${id}/topic-suggestions`, headers: role ? { authorization: `Bearer ${token[role]}` } : {} });

test("the seed's suggestions name Donald Trump, Vladimir Putin and Volodymyr Zelenskyy (people), Ukraine and Russia (places), best first", async () => {
  const res = await suggestionsOf(seedId);
  assert.equal(res.statusCode, 200, res.body);
  const { suggestions } = res.json() as Suggestions;
  assert.ok(suggestions.length <= 10);
  const kindOf = new Map(suggestions.map((s) => [s.name, s.kind]));
  for (const name of ['Donald Trump', 'Vladimir Putin', 'Volodymyr Zelenskyy']) assert.equal(kindOf.get(name), 'person', `${name} in ${[...kindOf.keys()].join(', ')}`);
  for (const name of ['Ukraine', 'Russia']) assert.equal(kindOf.get(name), 'place', name);
  assert.equal(suggestions[0]!.score, 1);
  assert.deepEqual(suggestions.map((s) => s.score), suggestions.map((s) => s.score).sort((a, b) => b - a));
  assert.ok(!kindOf.has('Trump') && !kindOf.has('Zelensky') && !kindOf.has('Russian'), 'a surname, a variant and a demonym are not suggestions of their own');
});

test('a variant in the text ("Zelensky") is the existing topic; accepted in the story form, the spelling becomes its alias', async () => {
  const body = (text: string) => ({ type: 'doc', content: [paragraph(text)] });
  await t.services.articles.save({ headline: 'Volodymyr Zelenskyy addresses parliament', sectionSlug: 'world', status: 'published', topicNames: ['Volodymyr Zelenskyy'], body: body('Volodymyr Zelenskyy spoke to parliament in Kyiv about the war.') });
  const story = await t.services.articles.save({ headline: 'Zelensky asks allies for air defence', sectionSlug: 'world', status: 'draft', body: body('Zelensky asked allies for more air defence. Zelensky said Russian strikes on power stations would continue.') });
  await drain();
  const { suggestions } = (await suggestionsOf(story.id)).json() as Suggestions;
  assert.ok(suggestions.some((s) => s.name === 'Volodymyr Zelenskyy'), suggestions.map((s) => s.name).join());
  assert.ok(!suggestions.some((s) => s.name === 'Zelensky'));

  const { browser } = await staff(t, 'editor');
  const edit = await browser.get(`/newsroom/stories/${story.id}/edit`);
  assert.match(edit.body, /<legend>Suggested topics<\/legend>/);
  assert.match(edit.body, /name="suggested-topic:Volodymyr Zelenskyy" value="add"/);
  const current = (await t.services.articles.findById(story.id))!;
  const fields = { ...toFormValues(asInput(current, { status: current.status, publishedAt: current.publishedAt })), expectedVersion: String(current.version), 'suggested-topic:Volodymyr Zelenskyy': 'add', 'suggested-kind:Volodymyr Zelenskyy': 'person', 'suggested-variants:Volodymyr Zelenskyy': 'Zelensky', 'suggested-topic:Russia': 'reject' };
  const saved = await browser.post(`/newsroom/stories/${story.id}/edit`, fields as Record<string, string>);
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  const after = (await t.services.articles.findById(story.id))!;
  assert.deepEqual(after.topics.map((x) => x.name), ['Volodymyr Zelenskyy']);
  const topic = (await t.services.topics.bySlug('volodymyr-zelenskyy'))!;
  assert.deepEqual(topic.aliases, ['Zelensky']);
  assert.equal(topic.kind, 'person');
  // The alias now names the topic: a story saved with "Zelensky" or "ZELENSKYY" gets the same one.
  const other = await t.services.articles.save({ headline: 'Zelensky visits the front', sectionSlug: 'world', status: 'draft', topicNames: ['Zelensky', 'ZELENSKYY'], body: body('A visit.') });
  assert.deepEqual(other.topics.map((x) => x.id), [topic.id]);
  const again = ((await suggestionsOf(story.id)).json() as Suggestions).suggestions.map((s) => s.name);
  assert.ok(!again.includes('Volodymyr Zelenskyy'), 'on the story now');
  assert.ok(!again.includes('Russia'), 'rejected for this story');
  const seed = ((await suggestionsOf(seedId)).json() as Suggestions).suggestions.map((s) => s.name);
  assert.ok(seed.includes('Russia'), 'rejected for that story only');
});

test('bad form choices are ignored, not saved: unknown choices, names with commas, over-long names', async () => {
  const { browser } = await staff(t, 'editor');
  const current = (await t.services.articles.findById(seedId))!;
  const fields = { ...toFormValues(asInput(current, { status: current.status, publishedAt: current.publishedAt })), expectedVersion: String(current.version), 'suggested-topic:Ukraine': 'maybe', 'suggested-topic:A, B': 'add', [`suggested-topic:${'x'.repeat(90)}`]: 'add', 'suggested-kind:Donald Trump': 'planet', 'suggested-topic:Donald Trump': 'add' };
  await browser.get(`/newsroom/stories/${seedId}/edit`);
  const saved = await browser.post(`/newsroom/stories/${seedId}/edit`, fields as Record<string, string>);
  assert.equal(saved.statusCode, 303);
  const after = (await t.services.articles.findById(seedId))!;
  assert.deepEqual(after.topics.map((x) => x.name), ['Donald Trump']);
  assert.equal((await t.services.topics.bySlug('donald-trump'))!.kind, 'subject', 'an unknown kind is not taken');
});

test('who may not: no token, a moderator; a contributor sees no one else’s story; ids that name nothing', async () => {
  assert.equal((await suggestionsOf(seedId, null)).statusCode, 401);
  assert.equal((await suggestionsOf(seedId, 'moderator')).statusCode, 403);
  assert.equal((await suggestionsOf(seedId, 'contributor')).statusCode, 404);
  assert.equal((await suggestionsOf(seedId, 'author')).statusCode, 404, 'an author edits only their own stories');
  for (const id of ['999999', '0', '9999999999', 'abc']) assert.equal((await suggestionsOf(id as unknown as number)).statusCode, 404, id);
  const res = await suggestionsOf(999999);
  assert.ok(Array.isArray((res.json() as { errors: unknown[] }).errors));
});
