/**
 * Renders docs/reliability.md from the figures the resilience and security suites wrote to
 * `.reliability/` during the last `npm test` (see tests/support/figures.ts). Nothing in the
 * report is typed by hand except the headings and the notes below each group.
 *
 *   npm test && npm run reliability:report
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.reliability');
const out = path.join(root, 'docs/reliability.md');

interface Record {
  section: string;
  title: string;
  how?: string;
  recordedAt: string;
  node: string;
  figures: { [name: string]: string | number | boolean };
}

const GROUPS: [prefix: string, heading: string, note: string][] = [
  ['faults.', 'Faults survived, with nothing lost', ''],
  ['input.', 'Bad input tried, with a clear answer and no crash', ''],
  ['access.', 'No one gets in where they don\'t belong', ''],
  ['popia.', 'POPIA: retention, de-identification, audit and "my data"', ''],
];

/**
 * The kinds of client input the service answers sensibly (issue 12: inputs taken from public bug
 * reports against Teams bots, Adaptive Cards, Web Chat and phone-number libraries), and the tests
 * that send them over the Bot Framework protocol. Typed here because it is a list of kinds, not
 * a measurement; each test named failed before its fix.
 */
const CLIENT_INPUTS: [kind: string, covered: string, test: string][] = [
  [
    'Card values of any shape',
    '`value: null`, strings, numbers, arrays, unknown verbs and wrong field types are parsed at the edge with one zod schema per verb (bot/platform/teams/cardValues.ts) and get one "could not be read" answer; a survey `rating: true` (stored as 1 before) is refused like any non-rating',
    '`tests/conversation/clientInputs.test.ts` "7. card values…"; the card fuzz run above',
  ],
  [
    'Every activity type of the Bot Framework schema',
    '`message` without text, value or attachment, `typing`, `messageReaction`, `conversationUpdate`, `installationUpdate`, `invoke`, `event`, `endOfConversation`, `deleteUserData`, `messageUpdate`, `messageDelete`, `contactRelationUpdate`, `suggestion`, `trace`, `handoff`, `command`, `commandResult`: handled on purpose or ignored without a reply (bot/platform/teams/activityGate.ts); every one counts towards the per-conversation limit',
    '"6. activities other than messages": every type, to a ratepayer with no case, waiting, with an expert and closed; five `typing` in a row; the limit reached by reactions and typing',
  ],
  [
    'Invisible characters from copy and paste',
    'Unicode format characters (General_Category Cf and Default_Ignorable_Code_Point: bidi marks and isolates, zero-width spaces, the BOM, soft hyphens, variation selectors, tags) removed from every typed value before the check and the store, and from the card sent back; names keep ZWJ/ZWNJ between letters, free text keeps emoji sequences; commands read without them',
    '"3. invisible characters…" and `tests/domain/intakeForm.test.ts`',
  ],
  [
    'Mobile numbers outside the mobile ranges',
    'Checked against the numbering plan with libphonenumber-js (full metadata, type MOBILE): 087 VoIP, 086 sharecall, 080 toll-free and landlines refused saying what kind of number each is',
    '"4. mobile numbers…", `tests/domain/validation.test.ts`, property tests in `tests/domain/properties.test.ts`',
  ],
  [
    'A used card pressed again, with changes',
    'The used intake card is updated in place to a read-only summary; a changed resubmission while waiting corrects the case through its lifecycle (audit "details changed", event `case.updated`) and says what changed; with an expert, the ratepayer is asked to tell the expert',
    '"1. a used card, and a corrected resubmission" (the connector records the PUT)',
  ],
  [
    'A card pressed in another conversation',
    'A card\'s id is bound to the chat it was sent to; elsewhere it is refused without a word about its case, open or closed (issue 14 item 4)',
    '"issue 14 item 4: another chat\'s card"',
  ],
  [
    'Ratepayer messages and cards in a team channel or group chat',
    'No ratepayer card is ever posted there (POPIA): every ratepayer route, old cards included, answers with one short message and a link to the personal chat; supervisors\' commands keep working',
    '"2. ratepayer routes in a team channel or group chat"; `tests/supervision/channel.test.ts` for the supervisors',
  ],
  [
    'Courtesy after a resolution',
    'Thanks, goodbyes and emoji (English, isiZulu, isiXhosa, Sesotho/Setswana, Afrikaans) get a short courteous answer, not the category picker',
    '"9. courtesy after the case is closed"',
  ],
  [
    'Dates and times as clients send them',
    'Input.Date and Input.Time read as "17:30", "17:30:00", "5:30 PM", "5:30 p.m.", ISO date-times with or without a zone; a time that cannot be read gets a message saying what to send',
    '"10. the callback time…" and `tests/domain/cardDateTime.test.ts`',
  ],
  [
    '"cancel", "stop", "quit", "exit" while an expert has the case',
    'What was typed reaches the expert; the ratepayer is asked whether to end the chat; the question and the answer are on the transcript the expert sees',
    'the "11." tests (each of the four words, and "No, carry on")',
  ],
  [
    'Long messages, both ways, and long notes',
    'Up to 20,000 characters (counted as people see them: an emoji once) kept whole on the transcript and delivered in marked parts of at most 4,000 ("part 1 of 3"); longer is refused with its length and the limit, and the expert sees that notice; notes, summaries and transfer notes over their limit are refused with the count, never cut; the tab keeps an over-long paste and says by how much it is over',
    '`tests/domain/textLimits.test.ts`, `tests/conversation/longMessages.test.ts` (the issue\'s 4,954-character example, accents, emoji and family emoji, one unbroken word), `tests/browser/longText.test.ts` (a paste in Chromium)',
  ],
  [
    'Files, pictures, GIFs, voice clips, cards as attachments',
    'A Teams file (the tenant\'s SharePoint) is kept on the case as a link, also while waiting; a pasted picture, GIF or sticker, voice or video clip, card, a "file" on any other host, or more than ten files are not passed on, and the sender is told how to send it instead (on the transcript when an expert has the case); a file with no case is not kept',
    '`tests/domain/attachments.test.ts`, `tests/conversation/files.test.ts` (activities as Teams sends them)',
  ],
  [
    'Links that staff see',
    'Only a file the platform hosts (https on `*.sharepoint.com`, no user name, password or port) is a link on the case page; anything else is text with a warning and its host (issue 14 item 6)',
    '`tests/domain/attachments.test.ts` (other sites, look-alike hosts, `javascript:`, `data:`, http, credentials, ports), `tests/browser/fileLinks.test.ts` (one link, three warnings)',
  ],
  [
    'A network that never answers, at stop',
    'SIGTERM stops the service in about 3 s whatever the connector does; every attempt gives up after 20 s; what was not sent is left to delivery recovery; a scheduler job stuck on the network holds up neither the other jobs nor the lease; the messenger\'s pacing state holds only the last hour\'s conversations',
    '`tests/resilience/stopping.test.ts` (figure below), `tests/teams/messengerBounds.test.ts`, `tests/supervision/schedulerJobs.test.ts`',
  ],
  [
    'Amounts as people type them',
    '`14 000,12`, `10,00`, `R1 234,50`, `1234.5`, `R1,234.50` stored as numbers and shown to staff as the City\'s statements show them (R14 000.12, R10.00); the CSV keeps plain numbers',
    '`tests/domain/money.test.ts`, `tests/api/amounts.test.ts` (the case page over HTTP and the "my data" card)',
  ],
];

if (!existsSync(dir)) {
  console.error('No figures in .reliability/: run `npm test` first.');
  process.exit(1);
}
const records: Record[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record)
  .sort((a, b) => a.section.localeCompare(b.section));

const lines: string[] = [
  '# Reliability and security figures',
  '',
  '<!-- Generated by `npm run reliability:report` from the figures the suite wrote to .reliability/ during `npm test`. Do not edit by hand. -->',
  '',
  `The resilience and security suites (\`tests/resilience\`, \`tests/security\`, \`tests/domain/properties.test.ts\`) run in \`npm test\`. Each test is bounded in time and records what it injected, tried and found; this page is those records from the run of ${records.map((r) => r.recordedAt).sort().at(-1)?.slice(0, 16).replace('T', ' ')} UTC (Node ${records[0]?.node ?? '?'}, a 2-core machine). How the service behaves under each fault, and what is not covered, is in [architecture.md](architecture.md#resilience).`,
  '',
];
const used = new Set<string>();
for (const [prefix, heading] of GROUPS) {
  const group = records.filter((r) => r.section.startsWith(prefix));
  if (group.length === 0) continue;
  lines.push(`## ${heading}`, '');
  for (const r of group) {
    used.add(r.section);
    lines.push(`### ${r.title}`, '');
    if (r.how) lines.push(r.how, '');
    lines.push('| figure | value |', '| --- | --- |');
    for (const [name, value] of Object.entries(r.figures)) lines.push(`| ${name} | ${String(value).replace(/\|/g, '\\|')} |`);
    lines.push('', `<sub>\`${r.section}\`, recorded ${r.recordedAt}</sub>`, '');
  }
}
lines.push(
  '## Client input covered',
  '',
  'Inputs that clients really send (Teams desktop, web and mobile, Web Chat), each a kind with its examples, sent over the Bot Framework protocol to the service and answered as a person would expect. Tests are in `tests/conversation/clientInputs.test.ts` unless named otherwise.',
  '',
  '| kind of input | what the service does | tested by |',
  '| --- | --- | --- |',
  ...CLIENT_INPUTS.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
  '',
);
const other = records.filter((r) => !used.has(r.section));
if (other.length) {
  lines.push('## Other figures', '');
  for (const r of other) {
    lines.push(`### ${r.title}`, '', '| figure | value |', '| --- | --- |');
    for (const [name, value] of Object.entries(r.figures)) lines.push(`| ${name} | ${String(value)} |`);
    lines.push('');
  }
}
writeFileSync(out, lines.join('\n'));
console.log(`wrote ${path.relative(root, out)} from ${records.length} records`);
