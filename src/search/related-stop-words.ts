// Words that say nothing about what a story is about: English function words, and the words every
// news story uses ("said", "told", weekdays, months). They never count towards text similarity,
// however rare the search vocabulary says they are on a small site. Folded (search-text.ts fold()).
const FUNCTION_WORDS = `a about above after again against all almost also although always am among an and another any
anyone anything are around as at be became because become been before being below between both but by
came can cannot could did do does doing done down during each either else enough even ever every few
for from further get gets getting give given go goes going gone got had has have having he her here
hers herself him himself his how however i if in into is it its itself just keep kept last least less
let like made make makes many may me might more most much must my myself near need neither never new
next no nor not now of off often on once one only onto or other others our ours ourselves out over own
per perhaps put rather really same see seen several shall she should since so some something still
such than that the their theirs them themselves then there these they thing things this those though
through thus to together too toward towards under until up upon us use used very via was we well
were what whatever when where whether which while who whom whose why will with within without would
yet you your yours yourself yourselves`;

const NEWS_WORDS = `said says say saying told tell tells according added asked announced called including
including week weeks day days year years month months today yesterday tomorrow time times first second
third two three four five six seven eight nine ten hundred thousand million billion percent per cent
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december mr mrs ms dr people story report reported reports news
statement spokesperson spokesman spokeswoman officials official think know want wants wanted way ago
back part later early end many much`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${FUNCTION_WORDS} ${NEWS_WORDS}`.split(/\s+/).filter(Boolean));
