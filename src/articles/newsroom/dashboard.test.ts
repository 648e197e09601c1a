import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../../test/helpers/fixtures.ts';
import { staff } from '../../../test/helpers/newsroom.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ SITE_TIMEZONE: 'UTC' });
  await seedBasics(t.services);
});
after(() => t.close());

test('the dashboard shows stories ready for edit, scheduled ones with their times, and today’s output', async () => {
  const editor = await staff(t, 'editor');
  const author = await staff(t, 'author');
  const other = await staff(t, 'author');
  const ready = await t.services.articles.save(storyInput({ headline: 'Harbour report ready', status: 'draft', ownerUserId: author.id }));
  await t.services.articles.submitForEdit(ready.id, ready.version);
  await t.services.articles.save(storyInput({ headline: 'Someone else’s piece', status: 'draft', ownerUserId: other.id })).then((s) => t.services.articles.submitForEdit(s.id, s.version));
  const at = new Date(Date.UTC(2030, 0, 15, 9, 30)).toISOString();
  await t.services.articles.save(storyInput({ headline: 'Budget under embargo', status: 'scheduled', publishedAt: at, ownerUserId: author.id }));
  await t.services.articles.save(storyInput({ headline: 'Out this morning' }));

  const desk = (await editor.browser.get('/newsroom')).body;
  assert.match(desk, /Ready for edit \(2\)/);
  assert.match(desk, new RegExp(`href="/newsroom/stories/${ready.id}/edit">Harbour report ready`));
  assert.match(desk, /Scheduled \(1\)/);
  assert.match(desk, /<time class="muted" datetime="2030-01-15T09:30:00.000Z">Tue 15 Jan, 09:30<\/time>/);
  assert.match(desk, /Published today \(1\)/);

  const own = (await author.browser.get('/newsroom')).body;
  assert.match(own, /Ready for edit \(1\)/, 'a writer sees their own stories only');
  assert.doesNotMatch(own, /Someone else’s piece/);
});
