// The admin API's search and social fields: seoTitle, seoDescription, socialImageId on create,
// patch and read, with the same limits and image checks as the newsroom.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sampleImage } from '../media/image-test-samples.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody } from '../../test/helpers/fixtures.ts';

let t: TestApp;
let token = '';

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  token = (await t.services.tokens.create('cli', { name: 'editor bot', role: 'editor' })).token;
});
after(() => t.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/admin/v1${url}`, payload: payload as object, headers: { authorization: `Bearer ${token}` } });

const newStory = { headline: 'Ferry service resumes', section: 'national', body: storyBody(4) };
type StoryJson = { id: number; version: number; seoTitle: string; seoDescription: string; socialImageId: number | null };

test('create, read and patch carry the fields; a patch that leaves them out keeps them', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 1300, 700), filename: 'ferry.jpg' });
  const created = await api('POST', '/articles', { ...newStory, seoTitle: 'Ferries are back', seoDescription: 'Crossings restart Monday.', socialImageId: image.id });
  assert.equal(created.statusCode, 201, created.body);
  const story = created.json().article as StoryJson;
  assert.deepEqual([story.seoTitle, story.seoDescription, story.socialImageId], ['Ferries are back', 'Crossings restart Monday.', image.id]);

  const patched = await api('PATCH', `/articles/${story.id}`, { dek: 'A new dek.' });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal((patched.json().article as StoryJson).seoTitle, 'Ferries are back');

  const cleared = await api('PATCH', `/articles/${story.id}`, { seoTitle: '', socialImageId: null });
  const after = cleared.json().article as StoryJson;
  assert.equal(after.seoTitle, '');
  assert.equal(after.socialImageId, null);
  assert.equal(after.seoDescription, 'Crossings restart Monday.');
  const read = (await api('GET', `/articles/${story.id}`)).json().article as StoryJson;
  assert.deepEqual([read.seoTitle, read.seoDescription, read.socialImageId], ['', 'Crossings restart Monday.', null]);
});

test('too long, unknown image, wrong type: 400 with a message per problem, nothing written', async () => {
  const cases: [unknown, RegExp][] = [
    [{ ...newStory, seoTitle: 'x'.repeat(111) }, /seoTitle/],
    [{ ...newStory, seoDescription: 'y'.repeat(301) }, /seoDescription/],
    [{ ...newStory, socialImageId: 999_999 }, /social image does not exist/],
    [{ ...newStory, socialImageId: 'three' }, /socialImageId/],
  ];
  const before = (await t.services.articles.listForNewsroom({})).length;
  for (const [payload, message] of cases) {
    const res = await api('POST', '/articles', payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
    const { errors } = res.json() as { errors: { field?: string; message: string }[] };
    assert.ok(errors.some((e) => message.test(`${e.field} ${e.message}`)), JSON.stringify(errors));
  }
  assert.equal((await t.services.articles.listForNewsroom({})).length, before);
});

test('publishing is refused while the social image has no alt text', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 1300, 700), filename: 'quay.jpg' });
  const story = (await api('POST', '/articles', { ...newStory, headline: 'Quay repairs', socialImageId: image.id })).json().article as StoryJson;
  const refused = await api('POST', `/articles/${story.id}/publish`, { version: story.version });
  assert.equal(refused.statusCode, 400);
  assert.ok((refused.json().errors as { field: string; message: string }[]).some((e) => e.field === 'socialImage' && /alt text/.test(e.message)));
  await t.services.images.updateMeta(image.id, { alt: 'Scaffolding along the quay' });
  assert.equal((await api('POST', `/articles/${story.id}/publish`, { version: story.version })).statusCode, 200);
});

test('the OpenAPI description names the fields', async () => {
  const spec = (await t.app.inject('/api/docs/json')).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
  const properties = spec.paths['/api/admin/v1/articles']!.post!.requestBody!.content['application/json']!.schema.properties;
  for (const name of ['seoTitle', 'seoDescription', 'socialImageId']) assert.ok(name in properties, name);
});
