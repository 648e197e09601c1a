import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allows, isRole, mayEditStory, type Actor, type Role } from './permissions.ts';

const person = (role: Role, id = 7): Actor => ({ kind: 'user', id, role, name: role });

test('anonymous has no permission at all', () => {
  assert.equal(allows(undefined, 'canUseNewsroom'), false);
  assert.equal(mayEditStory(undefined, { ownerUserId: null, status: 'draft' }), false);
});

test('who may edit one story', () => {
  const draft = { ownerUserId: 7, status: 'draft' };
  const ready = { ownerUserId: 7, status: 'ready' };
  const published = { ownerUserId: 7, status: 'published' };
  const someoneElses = { ownerUserId: 8, status: 'draft' };
  assert.equal(mayEditStory(person('editor'), someoneElses), true);
  assert.equal(mayEditStory(person('administrator'), published), true);
  assert.equal(mayEditStory(person('author'), ready), true);
  assert.equal(mayEditStory(person('author'), published), false);
  assert.equal(mayEditStory(person('author'), someoneElses), false);
  assert.equal(mayEditStory(person('contributor'), draft), true);
  assert.equal(mayEditStory(person('contributor'), ready), false);
  assert.equal(mayEditStory(person('moderator'), draft), false);
  assert.equal(mayEditStory({ kind: 'token', id: 7, role: 'author', name: 'bot' }, draft), false, 'a token owns no stories');
});

test('roles are only the five named ones', () => {
  assert.equal(isRole('editor'), true);
  assert.equal(isRole('Editor'), false);
  assert.equal(isRole('root'), false);
  assert.equal(isRole(undefined), false);
});
