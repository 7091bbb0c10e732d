/**
 * The guard: every word a ratepayer reads is in the message catalogue (bot/messages/<language>.json)
 * or in the service definition, never written in code. It scans the code that talks to ratepayers
 * (bot/platform/teams, the audiences' folders bot/ratepayers, bot/agents and bot/supervisors, the platform's flow, scheduler and cards, and bot/domain) for string and template literals that read like
 * sentences, and the ratepayer card templates for text that is not a binding. What is allowed is
 * listed below, each with why it is not ratepayer-facing; anything else fails with its file and line.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, say } from '../../bot/messages/index.js';
import { literalsOf, looksLikeSentence, type Literal } from './literals.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['bot/platform/teams', 'bot/ratepayers', 'bot/backOffice', 'bot/agents', 'bot/supervisors', 'bot/platform/flow', 'bot/platform/scheduler', 'bot/platform/cards', 'bot/domain'];

/** Calls whose sentence arguments are not for ratepayers. */
const ALLOWED_CALLEES: { callee: RegExp; file?: RegExp; why: string }[] = [
  { callee: /^((this\.)?log\.(trace|debug|info|warn|error|fatal)|this\.log)$/, why: 'log messages (bot/platform/log.ts): for operators, never shown to a person' },
  {
    callee: /^(new \w*Error|super)$/,
    why: 'errors: internal ones, and the staff-facing DeskError / CaseRuleError / SupervisionError the tab API and supervisors\' commands answer with',
  },
  {
    callee: /^(regex|refine|min|email|uuid|z\.enum|z\.union|ctx\.addIssue|z\.number|int|positive)$/,
    file: /^bot\/domain\/serviceDefinition\.ts$/,
    why: 'service definition checks: for whoever writes the definition file, at start-up',
  },
];

/** Files, or literals of a file, that are not ratepayer-facing. */
const ALLOWED_FILES: { file: RegExp; text?: RegExp; why: string }[] = [
  { file: /^bot\/platform\/teams\/features\/(monitor|assign)\.ts$/, why: 'supervisors\' commands in their team channel' },
  { file: /^bot\/platform\/cards\/supervisorCards\.ts$|^bot\/supervisors\//, why: 'supervisors\' cards, alerts, reports and assignment' },
  { file: /^bot\/(domain\/access|agents\/caseViews)\.ts$/, why: 'the staff tab: why a case is restricted' },
  { file: /^bot\/domain\/(case|assignment|followThrough)\.ts$/, text: /^(from X to X|keep place for the next session|asked to end the chat|ratepayer wrote to the back office|X, investigation due X|to X, due X|to X \(due X passed\)|, leaves out dispute X|lapses X; income X above the threshold X \(from X\), confirmed)/, why: 'the audit trail, read by staff' },
  { file: /^bot\/(agents\/cityRulesDesk|domain\/dispute|domain\/indigent)\.ts$/, why: 'issue 20: what is wrong with what the expert entered in the case page\'s rules panels (the staff tab)' },
  { file: /^bot\/backOffice\/ratepayerFollowUp\.ts$/, text: /^(status with account proof|wrong proof|X failed proofs from other chats in X minutes)$/, why: 'the audit trail, read by staff' },
  { file: /^bot\/domain\/serviceDefinition\.ts$/, text: /^the (Assistant|Deputy) Director: Revenue$/, why: 'the default escalation ladder: programme data (a definition names its own levels), not catalogue words' },
  { file: /^bot\/platform\/teams\/adapter\.ts$/, text: /^(The activity is malformed|In local mode|The request is not signed|Something went wrong on the service)/, why: 'HTTP answers to the Bot Framework channel' },
  { file: /^bot\/ratepayers\/relay\.ts$/, text: /^(Part X of X|The ratepayer has left|Teams did not accept|The message could not be sent)/, why: 'delivery failures, shown to the expert on the transcript' },
  { file: /^bot\/ratepayers\/relay\.ts$/, text: /^(machine translation is not set up|the translation could not be made)/, why: 'why a message was not translated, shown to the expert on the transcript (issue 16)' },
  { file: /^bot\/agents\/agentDesk\.ts$/, text: /^(machine translation is not set up|the translation could not be made|translating a bot line on X failed|keeping bot line translations on X failed|translating an intake answer on X failed|keeping translations for staff on X failed)/, why: "why a bot line or the query was not translated for staff, on the case page, and the operators' log (issue 16; tester 7, finding 3)" },
  { file: /^bot\/platform\/flow\/errors\.ts$/, text: /^This ratepayer is already talking with X about X; this case waits until that one is done\.$/, why: 'one expert per chat: the refusal of a claim or an assignment, in the staff tab and the supervisor view' },
  { file: /^bot\/agents\/agentDesk\.ts$/, text: /^giving up the chat claim for X failed$/, why: "the operators' log: a chat claim not given up (one expert per chat)" },
  { file: /^bot\/ratepayers\/features\/courtesy\.ts$/, text: /^(ok okay|thanks thank|was helpful|ngiyabonga)/, why: 'words recognised in what ratepayers type, not said to them' },
];

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    return e.isDirectory() ? tsFiles(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}

/** The sentence-like literals of a source that nothing above allows, as "file:line text". */
export function violationsIn(file: string, source: string): string[] {
  return literalsOf(source)
    .filter((l: Literal) => looksLikeSentence(l.text))
    .filter((l) => !ALLOWED_CALLEES.some((a) => a.callee.test(l.callee) && (!a.file || a.file.test(file))))
    .filter((l) => !ALLOWED_FILES.some((a) => a.file.test(file) && (!a.text || a.text.test(l.text))))
    .map((l) => `${file}:${l.line} ${l.text}`);
}

/** Card template properties a person reads. */
const TEXT_KEYS = new Set(['text', 'title', 'label', 'placeholder', 'errorMessage', 'fallbackText', 'altText', 'speak']);

/** The words of a template's text properties that are not `${…}` bindings. */
export function templateWords(template: unknown, at = ''): string[] {
  if (Array.isArray(template)) return template.flatMap((v, i) => templateWords(v, `${at}[${i}]`));
  if (!template || typeof template !== 'object') return [];
  return Object.entries(template).flatMap(([key, value]) => {
    if (typeof value === 'string' && TEXT_KEYS.has(key) && /\p{L}/u.test(value.replace(/\$\{[^}]*\}/g, ''))) return [`${at}.${key}: ${value}`];
    return templateWords(value, `${at}.${key}`);
  });
}

describe('the catalogue guard: no ratepayer-facing words outside the catalogue and the definition', () => {
  it('finds no sentence written in the code that talks to ratepayers', () => {
    const violations = SCANNED.flatMap(tsFiles).flatMap((file) => violationsIn(file, readFileSync(path.join(root, file), 'utf8')));
    assert.deepEqual(violations, [], `put these in bot/messages/en.json (or, if not for ratepayers, in the allow-list):\n${violations.join('\n')}`);
  });

  it('finds no words in the ratepayer card templates other than bindings', () => {
    const folder = path.join(root, 'bot/platform/cards/templates');
    const words = readdirSync(folder)
      .filter((f) => f.endsWith('.json') && !f.startsWith('supervisor')) // supervisors' cards: not ratepayer-facing
      .flatMap((f) => templateWords(JSON.parse(readFileSync(path.join(folder, f), 'utf8'))).map((w) => `${f}${w}`));
    assert.deepEqual(words, []);
  });

  it('has a catalogue file for every language listed, each with every key of the first', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
    const read = (lng: string) => JSON.parse(readFileSync(path.join(root, 'bot/messages', `${lng}.json`), 'utf8')) as object;
    const first = keys(read(LANGUAGES[0]));
    assert.ok(first.length > 100);
    for (const lng of LANGUAGES) assert.deepEqual(first.filter((k) => !keys(read(lng)).includes(k)), [], lng);
  });

  it('keeps the domain free of words: it imports nothing from the catalogue, and returns codes and parameters', async () => {
    const importers = tsFiles('bot/domain').filter((f) => /from '\.\.\/messages\//.test(readFileSync(path.join(root, f), 'utf8')));
    assert.deepEqual(importers, []);
    const { checkMobile } = await import('../../bot/domain/validation.js');
    assert.deepEqual(checkMobile('087 123 4567'), {
      ok: false,
      error: { code: 'validation.mobile.notMobile', params: { number: '087 123 4567', kind: { code: 'validation.mobile.kind.VOIP' } } },
    });
    const { checkIntake } = await import('../../bot/domain/intakeForm.js');
    const { loadDefinition } = await import('../../bot/platform/config/definition.js');
    const { LOCAL_DEFINITION } = await import('../../bot/platform/config/settings.js');
    const indigent = loadDefinition(LOCAL_DEFINITION).categories.find((c) => c.code === 'indigent')!;
    const checked = checkIntake(indigent, { householdSize: '' });
    assert.ok(!checked.ok);
    assert.deepEqual(checked.errors.householdSize, { code: 'validation.form.required', params: { field: { code: 'fields.householdSize.name' } } });
    assert.equal(say('en', checked.errors.householdSize!), 'Please fill in people in your household.');
  });

  describe('the guard itself', () => {
    it('fails on a deliberate violation: a sentence sent, returned as message text, or put in a card', () => {
      const source = [
        "await context.sendActivity('Please type your account number again.');",
        'return { kind: "invalid", text: `You are number ${position} in the queue.` };',
        "const card = renderCard('queued', { headline: 'You are in the queue now' });",
        "if (bad) return fail('That ID number does not add up.');",
      ].join('\n');
      assert.deepEqual(violationsIn('bot/platform/teams/features/status.ts', source), [
        'bot/platform/teams/features/status.ts:1 Please type your account number again.',
        'bot/platform/teams/features/status.ts:2 You are number X in the queue.',
        'bot/platform/teams/features/status.ts:3 You are in the queue now',
        'bot/platform/teams/features/status.ts:4 That ID number does not add up.',
      ]);
      assert.deepEqual(templateWords({ body: [{ type: 'TextBlock', text: 'Your case reference: ${reference}' }, { type: 'TextBlock', text: '${$root.t.title}' }] }), [
        '.body[0].text: Your case reference: ${reference}',
      ]);
    });

    it('allows only what the allow-list names: logs, errors, and the places it lists', () => {
      const source = [
        "log.warn({ err }, 'the used intake card could not be updated in the chat');",
        "throw new DeskError('not_found', `There is no case ${id} in the desk.`);",
        "await context.sendActivity(`Done: this channel is now the supervisors' channel for ${scope}.`);",
      ].join('\n');
      assert.deepEqual(violationsIn('bot/platform/teams/features/relay.ts', source), [
        "bot/platform/teams/features/relay.ts:3 Done: this channel is now the supervisors' channel for X.",
      ]);
      assert.deepEqual(violationsIn('bot/platform/teams/features/monitor.ts', source), []);
    });

    it('reads regular expressions, comments and nested templates as code, not text', () => {
      const source = [
        "const WORD = /[’']s and (?:it's) the end of a sentence here/i; // it's a comment: no words are said here",
        '/* Block comments: "these words are not said to anyone" */',
        "const x = a / b / c; const y = `${cond ? `Nested sentence for the ratepayer here` : ''}`;",
      ].join('\n');
      assert.deepEqual(violationsIn('bot/ratepayers/intake.ts', source), ['bot/ratepayers/intake.ts:3 Nested sentence for the ratepayer here']);
    });
  });
});
