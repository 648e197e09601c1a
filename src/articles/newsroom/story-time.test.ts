import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utcToZonedInput, zonedInputToUtc } from './story-time.ts';

test('a datetime-local value is read in the site time zone, across daylight saving', () => {
  assert.equal(zonedInputToUtc('2026-12-01T09:30', 'Europe/Berlin'), '2026-12-01T08:30:00.000Z');
  assert.equal(zonedInputToUtc('2026-07-01T09:30', 'Europe/Berlin'), '2026-07-01T07:30:00.000Z');
  assert.equal(zonedInputToUtc('2026-07-01T09:30', 'America/New_York'), '2026-07-01T13:30:00.000Z');
  assert.equal(zonedInputToUtc('2026-07-01T09:30', 'UTC'), '2026-07-01T09:30:00.000Z');
  assert.equal(utcToZonedInput('2026-12-01T08:30:00.000Z', 'Europe/Berlin'), '2026-12-01T09:30');
});

test('seconds, for a schedule a few seconds ahead: read when given, shown when not :00', () => {
  assert.equal(zonedInputToUtc('2026-12-01T09:30:15', 'Europe/Berlin'), '2026-12-01T08:30:15.000Z');
  assert.equal(utcToZonedInput('2026-12-01T08:30:15.000Z', 'Europe/Berlin'), '2026-12-01T09:30:15');
  assert.equal(utcToZonedInput('2026-12-01T08:30:00.000Z', 'Europe/Berlin'), '2026-12-01T09:30');
});

test('values that are not a date and time are refused', () => {
  for (const bad of ['', 'tomorrow', '2026-02-31T09:00', '2026-12-01T24:00', '2026-12-01 09:00:00', '2026-13-01T09:00', '2026-12-01T09:00:60', '2026-12-01T09:00:5']) {
    assert.equal(zonedInputToUtc(bad, 'UTC'), undefined, bad);
  }
});
