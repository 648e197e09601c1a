import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CaptureError } from './capture-error.ts';
import { isHeading, parseCapture, sameClip, splitHeadline, unquote, type ParsedCapture } from './capture-parser.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/captures/${name}`, import.meta.url), 'utf8');
const count = (parsed: ParsedCapture, type: string) => parsed.blocks.filter((b) => b.type === type).length;
const texts = (parsed: ParsedCapture, type: 'paragraph' | 'heading') =>
  parsed.blocks.flatMap((b) => (b.type === type ? [b.text] : []));

/** Words of page furniture that must never reach a story body. */
const FURNITURE = [
  /story continues/i, /advertisement/i, /sign up/i, /get (the latest|breaking)/i, /related articles/i,
  /leave a reply/i, /email address/i, /required fields/i, /back to top/i, /click to play/i, /contributed to this report/i,
  /with files from/i,
];

function assertNoFurniture(parsed: ParsedCapture) {
  for (const block of parsed.blocks) {
    const text = Object.values(block).join(' ');
    for (const re of FURNITURE) assert.doesNotMatch(text, re, `furniture left in ${JSON.stringify(block)}`);
  }
}

describe('parseCapture on the seed', () => {
  const parsed = parseCapture(fixture('seed.txt'));

  it('finds the site, headline and section', () => {
    assert.equal(parsed.site, 'Technical News');
    assert.equal(parsed.section, 'National');
    assert.equal(parsed.headline, 'Trump talks with Putin as he considers selling long-range missiles to Ukraine');
  });

  it('yields 28 paragraphs, 2 sub-headings and 4 videos', () => {
    assert.equal(count(parsed, 'paragraph'), 28);
    assert.deepEqual(texts(parsed, 'heading'), [
      'Trump evaluates Tomahawks for Ukraine',
      'Signs of White House interest in new sanctions against Russia',
    ]);
    assert.equal(count(parsed, 'video'), 4);
    assert.equal(parsed.blocks.length, 34);
  });

  it('reads both video forms and every quote style', () => {
    const videos = parsed.blocks.filter((b) => b.type === 'video');
    assert.deepEqual(videos, [
      { type: 'video', title: 'Trump suggests he will supply Tomahawk missiles to Ukraine if Russia does not end the war', caption: '' },
      {
        type: 'video',
        title: 'Large parts of kyiv plunged into darkness after Russian attack as Ukraine hits back against oil and gas sector',
        caption: 'Large parts of Kyiv plunged into darkness after Russian attack as Ukraine hits back at oil and gas sector',
      },
      {
        type: 'video',
        title: 'Are Russia and Ukraine trying to make the coming winter colder by attacking infrastructure?',
        caption: 'Are Russia and Ukraine trying to make winter colder by attacking infrastructure?',
      },
      { type: 'video', title: 'Putin will ‘abandon’ Ukraine war if oil prices fall, Trump says: ‘He won’t have a choice’', caption: '' },
    ]);
  });

  it('takes the credit line out of the body', () => {
    assert.deepEqual(parsed.credit, {
      text: 'AP writers Fatima Hussein, Chris Megerian and Didi Tang contributed to this report.',
      contributors: ['Fatima Hussein', 'Chris Megerian', 'Didi Tang'],
      agencies: ['AP'],
    });
  });

  it('leaves no furniture in the body, and keeps the story in order', () => {
    assertNoFurniture(parsed);
    const paragraphs = texts(parsed, 'paragraph');
    assert.match(paragraphs[0]!, /^US President Donald Trump said Thursday/);
    assert.match(paragraphs.at(-1)!, /^“So all I hear from the Europeans/);
  });
});

describe('parseCapture on other captures', () => {
  const cases: {
    file: string;
    site: string | null;
    section: string;
    counts: [paragraphs: number, headings: number, videos: number];
    credit: { contributors: string[]; agencies: string[] } | null;
  }[] = [
    { file: 'em-dash-with-files.txt', site: null, section: 'Local News', counts: [6, 1, 1],
      credit: { contributors: ['Ingrid Solberg'], agencies: ['The Coastal Wire'] } },
    { file: 'hyphen-reuters.txt', site: 'Meridian Post', section: 'Business', counts: [5, 0, 2],
      credit: { contributors: [], agencies: ['Reuters'] } },
    { file: 'heading-heavy-no-credit.txt', site: null, section: 'Science and Tech', counts: [10, 6, 0], credit: null },
    { file: 'associated-press.txt', site: 'The Evening Ledger', section: 'Politics', counts: [5, 1, 2],
      credit: { contributors: [], agencies: ['The Associated Press'] } },
    { file: 'canadian-press.txt', site: 'Northfield Daily', section: 'Health', counts: [4, 0, 0],
      credit: { contributors: [], agencies: ['The Canadian Press'] } },
    { file: 'crlf-bom.txt', site: 'Riverside Gazette', section: 'National', counts: [4, 1, 1],
      credit: { contributors: ['Dale Whitcombe', 'Ines Farago'], agencies: [] } },
  ];
  for (const c of cases) {
    it(c.file, () => {
      const parsed = parseCapture(fixture(c.file));
      assert.equal(parsed.site, c.site);
      assert.equal(parsed.section, c.section);
      assert.deepEqual([count(parsed, 'paragraph'), count(parsed, 'heading'), count(parsed, 'video')], c.counts);
      assert.deepEqual(parsed.credit && { contributors: parsed.credit.contributors, agencies: parsed.credit.agencies }, c.credit);
      assertNoFurniture(parsed);
      assert.ok(!/\s$|^\s|\u00a0|\ufeff/.test(JSON.stringify(parsed.blocks.map((b) => Object.values(b)))));
    });
  }

  it('normalises CRLF, BOM, non-breaking spaces and trailing whitespace', () => {
    const parsed = parseCapture(fixture('crlf-bom.txt'));
    assert.equal(parsed.headline, 'Marston mill fire leaves 40 workers without jobs');
    assert.deepEqual(parsed.blocks[2], { type: 'video', title: 'Flames light up the sky over Marston', caption: 'Flames light up the sky over Marston mill' });
  });

  it('does not take a paragraph or an unrelated sub-heading for a clip title', () => {
    const parsed = parseCapture(fixture('associated-press.txt'));
    assert.deepEqual(parsed.blocks.slice(2, 6).map((b) => b.type), ['video', 'heading', 'paragraph', 'video']);
    assert.deepEqual(parsed.blocks[2], { type: 'video', title: 'Varnholt parents rally against school board merger', caption: '' });
    assert.deepEqual(parsed.blocks[5], { type: 'video', title: 'Ostrander speaks after the result', caption: '' });
    assert.equal(parsed.blocks[6]?.type, 'paragraph');
  });

  it('keeps the heading-heavy capture in order', () => {
    const parsed = parseCapture(fixture('heading-heavy-no-credit.txt'));
    assert.deepEqual(texts(parsed, 'heading'), [
      'Why the bridge is closing', 'What changes for drivers', 'What changes for transit riders',
      'Cyclists and pedestrians', 'When it will reopen', 'Can the schedule slip',
    ]);
  });

  it('accepts lines separated by single newlines too', () => {
    const parsed = parseCapture('Tide tables go digital – Local\nThe harbour office will stop printing tide tables.\nWhy now\nPaper costs rose.\n');
    assert.deepEqual(parsed.blocks.map((b) => b.type), ['paragraph', 'heading', 'paragraph']);
  });
});

describe('bad captures', () => {
  const cases: [name: string, text: string, message: RegExp][] = [
    ['empty', fixture('empty.txt'), /empty/],
    ['whitespace only', fixture('whitespace-only.txt'), /empty/],
    ['no headline', fixture('no-headline.txt'), /no headline line/],
    ['headline but no body', fixture('headline-only.txt'), /no body paragraphs/],
    ['a 20,001-character line', `Big – National\n\n${'word '.repeat(4001)}`, /line 3 is 20,005 characters long; the limit is 20,000/],
    ['NUL bytes', 'Headline – National\n\nText\0more text.', /binary/],
    ['control characters', `Headline – National\n\n${'\x01\x02\x03 text. '.repeat(20)}`, /binary/],
    ['binary file read as text', readFileSync(new URL('../../test/fixtures/captures/binary.bin', import.meta.url), 'latin1'), /binary/],
    ['headline too far down', 'a\nb\nc\nd\nThe real headline – National\nBody.', /no headline line/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      assert.throws(() => parseCapture(text), (error: unknown) => {
        assert.ok(error instanceof CaptureError);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

describe('headline line', () => {
  const cases: [line: string, expected: { headline: string; section: string } | null][] = [
    ['Harbour reopens – National', { headline: 'Harbour reopens', section: 'National' }],
    ['Harbour reopens — World', { headline: 'Harbour reopens', section: 'World' }],
    ['Harbour reopens - U.S. News', { headline: 'Harbour reopens', section: 'U.S. News' }],
    ['Trump-Putin call – a first – National', { headline: 'Trump-Putin call – a first', section: 'National' }],
    ['Harbour reopens – Arts & Culture', { headline: 'Harbour reopens', section: 'Arts & Culture' }],
    ['Well-known harbour reopens', null], // a hyphen inside a word is not a separator
    ['Harbour reopens – and the fishers are back', null], // not a section name
    ['Harbour reopens – One Two Three Four Five', null], // too long for a section
    ['– National', null],
  ];
  for (const [line, expected] of cases) it(line, () => assert.deepEqual(splitHeadline(line), expected));
});

describe('video titles', () => {
  const quotes: [raw: string, title: string][] = [
    [`'Straight single'`, 'Straight single'],
    [`"Straight double"`, 'Straight double'],
    ['‘Curly single’', 'Curly single'],
    ['“Curly double”', 'Curly double'],
    ['« Guillemets »', 'Guillemets'],
    ['“Mismatched? »', 'Mismatched?'],
    [`“Mismatched again'`, 'Mismatched again'],
    [`'Trump says: ‘He won’t have a choice’'`, 'Trump says: ‘He won’t have a choice’'],
    [`'Trump says: ‘He won’t have a choice’`, 'Trump says: ‘He won’t have a choice’'], // outer quote lost
    ['No quotes at all', 'No quotes at all'],
  ];
  for (const [raw, title] of quotes) {
    it(`unquotes ${raw}`, () => {
      assert.equal(unquote(raw), title);
      const parsed = parseCapture(`H – National\n\nClick to play video: ${raw}\n\nA paragraph follows here.`);
      assert.deepEqual(parsed.blocks[0], { type: 'video', title, caption: '' });
    });
  }

  it('recognises a re-worded clip title', () => {
    assert.ok(sameClip('Calvera bread prices expected to climb', 'Calvera bread prices could climb by as much as 15%, bakers warn'));
    assert.ok(!sameClip('Varnholt parents rally against school board merger', 'Education minister concedes after referendum'));
  });

  it('drops a "Click to play the video:" marker with nothing after it', () => {
    const parsed = parseCapture('H – National\n\nA paragraph.\n\nClick to play the video:\n');
    assert.deepEqual(parsed.blocks, [{ type: 'paragraph', text: 'A paragraph.' }]);
  });
});

describe('sub-headings', () => {
  const cases: [line: string, heading: boolean][] = [
    ['Trump evaluates Tomahawks for Ukraine', true],
    ['Can the system keep up', true],
    ['Inflation hits 4.25%', true],
    ['But Trump was undeterred.', false],
    ['Is this a heading?', false],
    ['He said:', false],
    ['“We are done,” she said.', false],
    ['“We are done.”', false],
    ['one lowercase line', false],
    ['A line of thirteen words is too long to be a sub-heading at all here', false],
  ];
  for (const [line, expected] of cases) it(line, () => assert.equal(isHeading(line), expected));
});
