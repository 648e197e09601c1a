import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAutosave, type SaveState } from './autosave.ts';

/** A server that answers what the test says, recording what it was sent. */
function server(answers: { status: number; body: unknown }[]) {
  const sent: Record<string, unknown>[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)) as Record<string, unknown>);
    const answer = answers.shift() ?? { status: 200, body: { version: 99 } };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  return { sent, fetchImpl };
}

test('a save sends the form with the version it was based on, then moves to the new version', async () => {
  const { sent, fetchImpl } = server([{ status: 200, body: { version: 4 } }, { status: 200, body: { version: 5 } }]);
  const states: SaveState[] = [];
  const autosave = createAutosave({ url: '/x', csrfToken: 't', version: 3, collect: () => ({ headline: 'H' }), onState: (s) => states.push(s), fetchImpl });
  await autosave.flush();
  await autosave.flush();
  assert.deepEqual(sent, [{ headline: 'H', expectedVersion: 3 }, { headline: 'H', expectedVersion: 4 }]);
  assert.equal(autosave.version, 5);
  assert.equal(states.at(-1)?.kind, 'saved');
});

test('a conflict is shown and stops further saves; nothing is overwritten', async () => {
  const { sent, fetchImpl } = server([{ status: 409, body: { errors: [{ message: 'Ada saved this story at 12:03.' }] } }]);
  const states: SaveState[] = [];
  const autosave = createAutosave({ url: '/x', csrfToken: 't', version: 3, collect: () => ({}), onState: (s) => states.push(s), fetchImpl });
  await autosave.flush();
  await autosave.flush();
  assert.equal(sent.length, 1);
  assert.deepEqual(states.at(-1), { kind: 'conflict', message: 'Ada saved this story at 12:03.' });
});

test('a refused save shows the server’s messages and keeps the version', async () => {
  const { fetchImpl } = server([{ status: 400, body: { errors: [{ field: 'headline', message: 'A story needs a headline.' }] } }]);
  const states: SaveState[] = [];
  const autosave = createAutosave({ url: '/x', csrfToken: 't', version: 7, collect: () => ({}), onState: (s) => states.push(s), fetchImpl });
  await autosave.flush();
  assert.deepEqual(states.at(-1), { kind: 'failed', message: 'A story needs a headline.' });
  assert.equal(autosave.version, 7);
});

test('a change made while a save is on its way leaves the status at "unsaved", not "saved"', async () => {
  const answers: ((response: Response) => void)[] = [];
  const fetchImpl = (() => new Promise<Response>((resolve) => answers.push(resolve))) as unknown as typeof fetch;
  const ok = (version: number) => new Response(JSON.stringify({ version }), { status: 200 });
  const states: SaveState[] = [];
  const autosave = createAutosave({ url: '/x', csrfToken: 't', version: 3, collect: () => ({}), onState: (s) => states.push(s), fetchImpl, delayMs: 60_000 });
  const first = autosave.flush();
  autosave.changed();
  answers[0]!(ok(4));
  await first;
  // The new version is reported (the next save must be based on it), then the newer change is unsaved.
  assert.deepEqual(states.slice(-2).map((s) => s.kind), ['saved', 'pending']);
  assert.equal(autosave.version, 4);
  const second = autosave.flush();
  answers[1]!(ok(5));
  await second;
  assert.equal(states.at(-1)?.kind, 'saved');
});
