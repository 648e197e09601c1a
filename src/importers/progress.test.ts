import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barLine, createProgress, formatDuration } from './progress.ts';
import { sink } from '../../test/helpers/streams.ts';


describe('createProgress', () => {
  it('writes one plain line per item when not on a terminal', () => {
    const out = sink();
    const progress = createProgress({ total: 3, label: 'imported', out: out.stream, isTTY: false });
    progress.tick('national/a');
    progress.tick();
    progress.log('a note');
    progress.tick('world/c');
    progress.done();
    assert.equal(out.text(), 'imported 1/3 national/a\nimported 2/3\na note\nimported 3/3 world/c\n');
  });

  it('keeps plain output short for many unnamed items', () => {
    const out = sink();
    const progress = createProgress({ total: 1000, label: 'seeded', out: out.stream, isTTY: false });
    for (let i = 0; i < 1000; i++) progress.tick(i === 4 ? 'named' : undefined);
    const lines = out.text().trimEnd().split('\n');
    assert.equal(lines.length, 101);
    assert.deepEqual(lines.slice(0, 2), ['seeded 5/1000 named', 'seeded 10/1000']);
    assert.equal(lines.at(-1), 'seeded 1000/1000');
  });

  it('redraws a single line on a terminal, with count, rate and time left', () => {
    const out = sink();
    let clock = 0;
    const progress = createProgress({ total: 4, label: 'seeding', unit: 'stories', out: out.stream, isTTY: true, now: () => clock });
    clock = 1000;
    progress.tick('one');
    assert.equal(out.text(), `\r\x1b[2K${barLine(1, 4, 1000, 'seeding', 'stories', 'one')}`);
    assert.match(out.text(), /seeding {2}\[#{6}-{18}\] {2}1\/4 {2}1\.0 stories\/s {2}3s left {2}one$/);
    clock = 1050; // too soon to redraw
    progress.tick('two');
    assert.equal(out.text().split('\r').length, 2);
    clock = 2000;
    progress.tick('three');
    progress.log('warning: something');
    progress.tick('four'); // the last tick always draws
    progress.done();
    progress.done();
    const text = out.text();
    assert.match(text, /\r\x1b\[2Kwarning: something\n/);
    assert.match(text, /4\/4 {2}2\.0 stories\/s {2}done {2}four\n$/);
    assert.equal(text.match(/\n/g)?.length, 2);
  });

  it('cuts the bar to the terminal width', () => {
    const out = sink();
    Object.assign(out.stream, { columns: 40 });
    const progress = createProgress({ total: 2, label: 'imported', out: out.stream, isTTY: true });
    progress.tick('a-very-long-section/a-very-long-slug-that-would-wrap-the-line');
    assert.ok(out.text().replace('\r\x1b[2K', '').length < 40);
  });

  it('formats durations', () => {
    assert.equal(formatDuration(4.4), '4s');
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(3 * 3600 + 120), '3h02m');
  });
});
