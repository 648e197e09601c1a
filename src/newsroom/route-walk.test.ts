// Walks EVERY newsroom and admin-API route (whoever registered it) for every role and for an
// anonymous visitor, and expects exactly what docs/roles.md says. A new route is covered by
// registering it: it must declare `config: { permission }`, and then it is walked here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { ADMIN_API_PREFIX, SESSION_COOKIE } from '../accounts/http.ts';
import { isPermission, PERMISSIONS, ROLES, type Permission, type Role } from './permissions.ts';
import { projectFile } from '../platform/paths.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { libraryImage, seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { Browser, staff } from '../../test/helpers/newsroom.ts';

/** The matrix as docs/roles.md writes it: permission → the roles (and 'anonymous') marked yes. */
function documentedMatrix(): Map<string, Set<string>> {
  const lines = fs.readFileSync(projectFile('docs/roles.md'), 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('| Permission |'))!.split('|').map((c) => c.trim());
  const matrix = new Map<string, Set<string>>();
  for (const line of lines.filter((l) => /^\| `\w+` \|/.test(l))) {
    const cells = line.split('|').map((c) => c.trim());
    const name = cells[1]!.replace(/`/g, '');
    matrix.set(name, new Set(header.filter((h, i) => cells[i] === 'yes').map((h) => h)));
  }
  return matrix;
}

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  // An admin-API route, so the Bearer side of the gate is walked even before the API lands.
  t.app.get(`${ADMIN_API_PREFIX}/walk-probe`, { config: { permission: 'canPublish' } }, async () => ({ ok: true }));
});
after(() => t.close());

test('docs/roles.md lists exactly the permissions and grants in permissions.ts', () => {
  const documented = documentedMatrix();
  assert.deepEqual([...documented.keys()].sort(), Object.keys(PERMISSIONS).sort());
  for (const [name, predicate] of Object.entries(PERMISSIONS)) {
    const expected = new Set<string>(ROLES.filter((role) => predicate({ kind: 'user', id: 1, role, name: role })));
    if (predicate(undefined)) expected.add('anonymous');
    assert.deepEqual(documented.get(name), expected, name);
  }
});

test('every newsroom and admin-API route declares its permission', async () => {
  await t.app.ready();
  assert.ok(t.app.staffRoutes.length > 20);
  const undeclared = t.app.staffRoutes.filter((r) => r.access !== 'public' && !isPermission(r.access));
  assert.deepEqual(undeclared, [], 'declare config: { permission } on these routes');
});

test('every route × every role and anonymous: allowed or refused exactly as docs/roles.md says', async () => {
  await t.app.ready();
  const matrix = documentedMatrix();
  const people = new Map<Role, number>();
  for (const role of ROLES) people.set(role, (await staff(t, role)).id);
  // A fresh session or token for every request: a walked route may sign people out or revoke tokens.
  const tokenFor = async (role: Role) => (await t.services.tokens.create('cli', { name: `walk ${role}`, role })).token;
  const walked: string[] = [];
  for (const route of t.app.staffRoutes) {
    if (route.access === 'public') continue;
    const permission = route.access as Permission;
    const url = route.url.replace(/:\w+/g, '1').replace(/\*/g, 'x');
    for (const who of [...ROLES, 'anonymous' as const]) {
      const allowed = matrix.get(permission)!.has(who);
      const label = `${route.method} ${route.url} as ${who}`;
      let status: number;
      let location = '';
      if (route.url.startsWith(ADMIN_API_PREFIX)) {
        const headers: Record<string, string> = who === 'anonymous' ? {} : { authorization: `Bearer ${await tokenFor(who)}` };
        const res = await t.app.inject({ method: route.method as 'GET', url, headers, payload: route.method === 'GET' ? undefined : {} });
        status = res.statusCode;
        if (!allowed) assert.equal(status, who === 'anonymous' ? 401 : 403, label);
      } else {
        const b = new Browser(t);
        await b.get('/newsroom/sign-in'); // the CSRF token a real form would carry
        if (who !== 'anonymous') b.cookies.set(SESSION_COOKIE, await t.services.accounts.sessionFor(people.get(who)!));
        const res = route.method === 'GET' ? await b.get(url) : route.method === 'POST' ? await b.post(url) : await b.send(route.method as 'PATCH', url);
        status = res.statusCode;
        location = String(res.headers.location ?? '');
        // Browser code asking for JSON (a PATCH, a DELETE) is told 401 rather than sent to the sign-in page.
        if (!allowed && who === 'anonymous' && route.method !== 'GET' && route.method !== 'POST') assert.equal(status, 401, label);
        else if (!allowed && who === 'anonymous') assert.match(location, /^\/newsroom\/sign-in\?next=/, label);
        else if (!allowed) assert.equal(status, 403, label);
      }
      if (allowed) {
        assert.ok(status !== 401 && status !== 403 && !location.startsWith('/newsroom/sign-in?next='), `${label}: expected allowed, got ${status} ${location}`);
        assert.ok(status < 500, `${label}: ${status}`);
      }
      walked.push(label);
    }
  }
  assert.ok(walked.some((w) => w.startsWith('GET /api/admin/v1/walk-probe')));
  assert.ok(walked.length >= (t.app.staffRoutes.length - 9) * 6);
});

test('the text of an image readers see: both routes that change it, every role, allowed exactly with canPublish', async () => {
  await seedBasics(t.services);
  const image = await libraryImage(t, 'walked.jpg');
  await t.services.images.updateMeta(image.id, { alt: 'A walked image' });
  await t.services.articles.save(storyInput({ headline: 'Walked story', leadImage: { imageId: image.id, url: '', alt: '', caption: '', credit: '' } }));
  const matrix = documentedMatrix();
  for (const role of ROLES) {
    const mayUpload = matrix.get('canUploadMedia')!.has(role);
    const mayChange = mayUpload && matrix.get('canPublish')!.has(role);
    const caption = `Captioned by ${role}`;
    const { token } = await t.services.tokens.create('cli', { name: `image walk ${role}`, role });
    const api = await t.app.inject({ method: 'PATCH', url: `${ADMIN_API_PREFIX}/media/images/${image.id}`, headers: { authorization: `Bearer ${token}` }, payload: { caption } });
    assert.equal(api.statusCode, mayChange ? 200 : 403, `PATCH as ${role}`);
    const person = await staff(t, role);
    await person.browser.get('/newsroom');
    const form = await person.browser.post(`/newsroom/media/${image.id}`, { alt: 'A walked image', caption: `${caption} (form)`, credit: '' });
    assert.equal(form.statusCode, mayChange ? 303 : 403, `form as ${role}`);
    const stored = (await t.services.images.get(image.id)).caption;
    if (mayChange) assert.equal(stored, `${caption} (form)`);
    else assert.notEqual(stored.replace(/ \(form\)$/, ''), caption);
  }
});
