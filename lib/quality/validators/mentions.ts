// "Mentions the sampled values": the TinyStories check that a story uses the verb, noun
// and adjective it was asked for. Matching is by whole words, case-insensitive, with
// simple English inflection of the last word of each value (walk: walks, walked,
// walking; carry: carries, carried; make: makes, making; stop: stopped, stopping) and
// the common irregular verbs (go: went, gone). Deliberately generous: a story that
// says "walkway" for "walk" still fails, one that says "walked" passes; comparative
// forms are accepted for every word, so "walker" passes too.

const IRREGULAR: Record<string, string[]> = {
  be: ["am", "is", "are", "was", "were", "been", "being"],
  have: ["has", "had", "having"],
  do: ["does", "did", "done", "doing"],
  go: ["goes", "went", "gone", "going"],
  get: ["got", "gotten", "getting"],
  make: ["made"],
  take: ["took", "taken"],
  come: ["came"],
  see: ["saw", "seen"],
  know: ["knew", "known"],
  give: ["gave", "given"],
  find: ["found"],
  think: ["thought"],
  tell: ["told"],
  say: ["said"],
  run: ["ran"],
  eat: ["ate", "eaten"],
  drink: ["drank", "drunk"],
  swim: ["swam", "swum"],
  sing: ["sang", "sung"],
  begin: ["began", "begun"],
  fly: ["flew", "flown"],
  draw: ["drew", "drawn"],
  grow: ["grew", "grown"],
  throw: ["threw", "thrown"],
  write: ["wrote", "written"],
  ride: ["rode", "ridden"],
  hide: ["hid", "hidden"],
  bite: ["bit", "bitten"],
  break: ["broke", "broken"],
  speak: ["spoke", "spoken"],
  wake: ["woke", "woken"],
  choose: ["chose", "chosen"],
  fall: ["fell", "fallen"],
  feel: ["felt"],
  keep: ["kept"],
  sleep: ["slept"],
  leave: ["left"],
  meet: ["met"],
  sit: ["sat"],
  stand: ["stood"],
  hold: ["held"],
  bring: ["brought"],
  buy: ["bought"],
  catch: ["caught"],
  teach: ["taught"],
  fight: ["fought"],
  build: ["built"],
  send: ["sent"],
  spend: ["spent"],
  lose: ["lost"],
  win: ["won"],
  shine: ["shone"],
  hear: ["heard"],
  lead: ["led"],
  feed: ["fed"],
  dig: ["dug"],
  hang: ["hung"],
  stick: ["stuck"],
  swing: ["swung"],
  light: ["lit"],
  blow: ["blew", "blown"],
  wear: ["wore", "worn"],
  tear: ["tore", "torn"],
  shake: ["shook", "shaken"],
  forget: ["forgot", "forgotten"],
  child: ["children"],
  mouse: ["mice"],
  foot: ["feet"],
  tooth: ["teeth"],
  man: ["men"],
  woman: ["women"],
  person: ["people"],
  goose: ["geese"],
};

const VOWEL = /[aeiou]/;

/** The word and its regular English inflections (plural/3rd person, past, -ing), plus irregular forms. */
export function inflections(word: string): Set<string> {
  const w = word.toLowerCase();
  const forms = new Set<string>([w]);
  for (const f of IRREGULAR[w] ?? []) forms.add(f);
  if (w.length < 2 || !/^[a-z]+$/.test(w)) return forms;
  const last = w[w.length - 1];
  const prev = w[w.length - 2];
  // -s / -es: boxes, watches, wishes, buses, buzzes; carry -> carries (consonant + y).
  if (/(s|x|z|ch|sh)$/.test(w)) forms.add(`${w}es`);
  else if (last === "y" && !VOWEL.test(prev)) forms.add(`${w.slice(0, -1)}ies`);
  else forms.add(`${w}s`);
  if (last === "o" && !VOWEL.test(prev)) forms.add(`${w}es`); // go(es), potato(es)
  // Past: carry -> carried; like -> liked; walk -> walked.
  if (last === "y" && !VOWEL.test(prev)) forms.add(`${w.slice(0, -1)}ied`);
  else if (last === "e") forms.add(`${w}d`);
  else forms.add(`${w}ed`);
  // -ing: make -> making (but see -> seeing, be -> being); die -> dying.
  if (w.endsWith("ie")) forms.add(`${w.slice(0, -2)}ying`);
  else if (last === "e" && prev !== "e" && w.length > 2) forms.add(`${w.slice(0, -1)}ing`);
  else forms.add(`${w}ing`);
  // Doubled final consonant after a single short vowel: stop -> stopped, run -> running.
  // Which words double depends on stress, which spelling does not show (visit -> visited),
  // so both spellings are accepted.
  if (/[^aeiou][aeiou][bdgklmnprtv]$/.test(w)) {
    forms.add(`${w}${last}ed`);
    forms.add(`${w}${last}ing`);
  }
  // Adjectives: big -> bigger/biggest, happy -> happier/happiest/happily, slow -> slowly.
  if (last === "y" && !VOWEL.test(prev)) {
    const stem = w.slice(0, -1);
    forms.add(`${stem}ier`).add(`${stem}iest`).add(`${stem}ily`);
  } else if (last === "e") forms.add(`${w}r`).add(`${w}st`);
  else forms.add(`${w}er`).add(`${w}est`).add(`${w}ly`);
  if (/[^aeiou][aeiou][bdgmnpt]$/.test(w)) forms.add(`${w}${last}er`).add(`${w}${last}est`);
  return forms;
}

/** Lower-cased words of a text, apostrophes kept inside ("don't"); possessive 's dropped. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
    out.push(m[0].replace(/['’]s$/, ""));
  }
  return out;
}

/**
 * Whether the text mentions the value: every word of a multi-word value in order, the
 * last one possibly inflected ("ice cream" matches "ice creams"). A value with no words
 * (punctuation only, empty) counts as mentioned: there is nothing to look for.
 */
export function mentions(textWords: readonly string[], value: string): boolean {
  const want = words(value);
  if (want.length === 0) return true;
  const head = want.slice(0, -1);
  const last = inflections(want[want.length - 1]);
  outer: for (let i = head.length; i < textWords.length; i++) {
    if (!last.has(textWords[i])) continue;
    for (let j = 0; j < head.length; j++) if (textWords[i - head.length + j] !== head[j]) continue outer;
    return true;
  }
  return false;
}

/** The values a sampled field asks to be mentioned: a subset's items, else the value as text. */
export function valuesToMention(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(valuesToMention);
  if (typeof value === "object") return [];
  return [String(value)];
}

export function checkMentions(text: string, wanted: readonly string[]): { pass: boolean; message: string } {
  const textWords = words(text);
  const missing = wanted.filter((v) => !mentions(textWords, v));
  if (missing.length === 0) return { pass: true, message: wanted.length ? `mentions ${wanted.map((v) => `"${v}"`).join(", ")}` : "nothing to mention" };
  return { pass: false, message: `does not mention ${missing.map((v) => `"${v}"`).join(", ")}` };
}
