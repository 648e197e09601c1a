import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAgency, parseCreditLine, splitNames } from './credit.ts';

describe('credit lines', () => {
  const cases: [line: string, contributors: string[], agencies: string[]][] = [
    ['AP writers Fatima Hussein, Chris Megerian and Didi Tang contributed to this report.', ['Fatima Hussein', 'Chris Megerian', 'Didi Tang'], ['AP']],
    ['With files from The Canadian Press', [], ['The Canadian Press']],
    ['— With files from The Canadian Press', [], ['The Canadian Press']],
    ['With files from Oskar Lindahl and The Coastal Press.', ['Oskar Lindahl'], ['The Coastal Press']],
    ['Reuters contributed to this report.', [], ['Reuters']],
    ['The Associated Press contributed to this report', [], ['The Associated Press']],
    ['Global Wire Service (GWS) contributed to this report.', [], ['Global Wire Service']],
    ['Associated Press writers Ana Ruiz in Madrid, Li Wei, and Joe Bloggs contributed to this report.', ['Ana Ruiz', 'Li Wei', 'Joe Bloggs'], ['Associated Press']],
    ['With files from Reuters & Agence France-Presse', [], ['Reuters', 'Agence France-Presse']],
    ['With files from Global News’ Mina Okoro and Bloomberg', ['Mina Okoro'], ['Global News', 'Bloomberg']],
    ['Staff writer Conor O’Brien contributed to this report.', ['Conor O’Brien'], []],
    ['Northwire contributed to this report.', [], ['Northwire']],
    ['Reporting by Jan Kowal in Warsaw and Eva Lind; Editing by Tom Hale', ['Jan Kowal', 'Eva Lind', 'Tom Hale'], []],
    ['(With files from AFP)', [], ['AFP']],
    ['Dale Whitcombe contributed reporting from Ottawa.', ['Dale Whitcombe'], []],
  ];
  for (const [line, contributors, agencies] of cases) {
    it(line, () => assert.deepEqual(parseCreditLine(line), { text: line, contributors, agencies }));
  }

  const notCredits = [
    'The company contributed $5 million to the fund.',
    'She said the report contributed to this decision.',
    'Files from the inquiry were released on Monday.',
    `${'Long prose '.repeat(40)}contributed to this report.`,
  ];
  for (const line of notCredits) it(`not a credit: ${line.slice(0, 60)}`, () => assert.equal(parseCreditLine(line), null));

  it('splits lists with commas, "and", "&" and the Oxford comma', () => {
    assert.deepEqual(splitNames('A B, C D, and E F'), ['A B', 'C D', 'E F']);
    assert.deepEqual(splitNames('A B & C D'), ['A B', 'C D']);
    assert.deepEqual(splitNames('A B'), ['A B']);
  });

  it('tells agencies from people', () => {
    for (const name of ['AP', 'AFP', 'U.P.I.', 'Reuters', 'Bloomberg', 'The Canadian Press', 'Continental News Service', 'Northwire', 'Kyodo'])
      assert.ok(isAgency(name), name);
    for (const name of ['Didi Tang', 'Élodie Marchand', 'Clara Vidal-Eke', 'Conor O’Brien'])
      assert.ok(!isAgency(name), name);
  });
});

describe('credit look-alikes', () => {
  it('a paragraph that starts like a credit is not one', () => {
    assert.equal(parseCreditLine('With files from the inquiry still sealed, investigators said they would wait.'), null);
    assert.deepEqual(parseCreditLine('With files from wire services'), { text: 'With files from wire services', contributors: [], agencies: [] });
  });
});
