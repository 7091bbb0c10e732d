import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefinitionError, loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { nextSessionAfter, openSessionAt } from '../../bot/domain/calendar.js';
import { categoryWordsIn, checkServiceDefinition, programmeWordsIn } from '../../bot/domain/serviceDefinition.js';
import { SPOKEN_LANGUAGES } from '../../bot/domain/language.js';
import { LANGUAGES } from '../../bot/messages/index.js';

const folder = path.dirname(LOCAL_DEFINITION);
const pilot = loadDefinition(path.join(folder, 'joburg-region-b-pilot.json'));

function problemsOf(change: (def: any) => void): string[] {
  const def = structuredClone(pilot) as any;
  change(def);
  const result = checkServiceDefinition(def);
  assert.equal(result.ok, false, 'expected the definition to be refused');
  return result.ok ? [] : result.problems;
}

describe('service definitions', () => {
  it('ships three valid programmes: the pilot, a local one open around the clock, and the 7 to 11 walkabouts', () => {
    for (const file of ['joburg-region-b-pilot.json', 'local.json', 'seven-to-eleven.json'])
      assert.doesNotThrow(() => loadDefinition(path.join(folder, file)), file);
    const walkabouts = loadDefinition(path.join(folder, 'seven-to-eleven.json'));
    assert.deepEqual(walkabouts.regions[0]?.wards, { from: 1, to: 135 });
    // Tuesday 2 August 2022 at 07:30 in Johannesburg: a walkabout morning.
    assert.equal(openSessionAt(walkabouts, new Date('2022-08-02T05:30:00Z'))?.id, '2022-08-02T07:00');
    // Tuesday 9 August 2022 is Women's Day: closed, next is Wednesday.
    assert.equal(openSessionAt(walkabouts, new Date('2022-08-09T05:30:00Z')), undefined);
    assert.equal(nextSessionAfter(walkabouts, new Date('2022-08-09T05:30:00Z'))?.id, '2022-08-10T07:00');
  });

  it('the pilot runs 1–5 August 2022, 17:00–20:00 Johannesburg time, in Region B', () => {
    assert.deepEqual(pilot.calendar.sessions.map((s) => `${s.date} ${s.start}-${s.end}`), [
      '2022-08-01 17:00-20:00',
      '2022-08-02 17:00-20:00',
      '2022-08-03 17:00-20:00',
      '2022-08-04 17:00-20:00',
      '2022-08-05 17:00-20:00',
    ]);
    assert.equal(pilot.timeZone, 'Africa/Johannesburg');
    assert.deepEqual(pilot.categories.map((c) => c.code), ['billing', 'credit-control', 'rates', 'metering', 'indigent']);
  });

  it('refuses examples of what to type that are no category\'s keyword, and a programme with no one to contact', () => {
    const problems = problemsOf((def) => (def.programme.typeExamples = ['billing', 'water leak']));
    assert.deepEqual(problems, ['programme.typeExamples[1]: "water leak" is not a keyword of any category']);
    assert.ok(problemsOf((def) => delete def.programme.contact).some((p) => p.startsWith('programme.contact: ')));
  });

  it('names the place and the reason of every mistake, all at once', () => {
    const problems = problemsOf((def) => {
      def.categories[1].waitLimitMinutes = -5;
      def.categories[2].code = 'Property Rates';
      def.calendar.sessions[0].end = '16:00';
      def.calendar.sessions[1].date = '2022-02-30';
      def.staff[0].skills.push('plumbing');
      def.timeZone = 'Africa/Gotham';
    });
    const expected = [
      /^categories\[1\]\.waitLimitMinutes: /,
      /^categories\[2\]\.code: must be lower-case/,
      /^calendar\.sessions\[0\]\.end: must be after start \(17:00\)/,
      /^calendar\.sessions\[1\]\.date: is not a real calendar date/,
      /^timeZone: is not a time zone/,
    ];
    for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join('\n')}`);
  });

  it('lets staff list the languages they speak (issue 16), each one of ours, once', () => {
    const def = structuredClone(pilot) as any;
    def.staff[1].languages = ['zu', 'st'];
    const checked = checkServiceDefinition(def);
    assert.ok(checked.ok);
    assert.deepEqual(checked.ok && checked.definition.staff[1]!.languages, ['zu', 'st']);
    const unknown = problemsOf((d) => (d.staff[0].languages = ['fr']));
    assert.ok(unknown.some((p) => p.startsWith('staff[0].languages[0]: must be one of en, zu, xh, af, nso, st, tn')), unknown.join('\n'));
    const twice = problemsOf((d) => (d.staff[1].languages = ['zu', 'zu']));
    assert.ok(twice.some((p) => p === 'staff[1].languages[1]: language "zu" appears twice'), twice.join('\n'));
  });

  it('checks cross-references: skills, regions, duplicate codes, an empty calendar', () => {
    const problems = problemsOf((def) => {
      def.staff[0].skills = ['plumbing'];
      def.staff[1].regions = ['Z'];
      def.categories[1].code = 'billing';
      def.calendar.sessions = [];
    });
    for (const pattern of [
      /^staff\[0\]\.skills\[0\]: category "plumbing" is not defined/,
      /^staff\[1\]\.regions\[0\]: region "Z" is not defined/,
      /^categories\[1\]: category code "billing" appears twice/,
      /^calendar: must have at least one dated session or weekly window/,
    ])
      assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join('\n')}`);
  });

  it('checks the follow-through block (issue 19): teams named by referrals and staff exist, days are whole and positive; absent, it has the by-laws defaults', () => {
    // Shapes first (the cross-checks run on a definition of the right shape).
    const shapes = problemsOf((def) => {
      def.followThrough.referrals.rates = { team: 'revenue-back-office', responseDays: 0 };
      def.followThrough.escalation[1].days = 1.5;
    });
    assert.ok(shapes.includes('followThrough.referrals.rates.responseDays: must be at least 1 day'), shapes.join('\n'));
    assert.ok(shapes.includes('followThrough.escalation[1].days: must be a whole number of days'), shapes.join('\n'));
    const problems = problemsOf((def) => {
      def.followThrough.referrals.plumbing = { team: 'revenue-back-office', responseDays: 14 };
      def.followThrough.referrals.rates = { team: 'nobody', responseDays: 3 };
      def.followThrough.teams.push({ code: 'meter-reading', name: 'Again' });
      def.staff.find((s: any) => s.id === 'zanele').backOfficeTeams = ['ghosts'];
    });
    for (const pattern of [
      /^followThrough\.referrals\.plumbing: category "plumbing" is not defined/,
      /^followThrough\.referrals\.rates\.team: team "nobody" is not defined under followThrough\.teams/,
      /^followThrough\.teams\[2\]: team code "meter-reading" appears twice/,
      /^staff\[5\]\.backOfficeTeams\[0\]: team "ghosts" is not defined under followThrough\.teams/,
    ])
      assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join('\n')}`);
    const { followThrough: _none, ...without } = structuredClone(pilot) as any;
    without.staff = without.staff.filter((s: any) => !s.backOfficeTeams);
    const plain = checkServiceDefinition(without);
    assert.ok(plain.ok, plain.ok ? '' : plain.problems.join('\n'));
    assert.deepEqual([plain.definition.followThrough.reopenDays, plain.definition.followThrough.defaultReferral], [14, { team: 'back-office', responseDays: 14 }]);
    assert.deepEqual(plain.definition.followThrough.escalation.map((e) => e.code), ['assistant-director', 'deputy-director', 'director']);
  });

  it('refuses an unknown intake field and a missing section', () => {
    assert.ok(problemsOf((def) => (def.categories[0].fields[0].name = 'shoeSize')).some((p) => p.startsWith('categories[0].fields[0].name: ')));
    assert.ok(problemsOf((def) => delete def.limits).some((p) => p.startsWith('limits: ')));
  });

  const mistakes: [string, (def: any) => void, RegExp][] = [
    ['a number written as text', (d) => (d.categories[0].waitLimitMinutes = '20'), /^categories\[0\]\.waitLimitMinutes: Invalid input: expected number, received string/],
    ['a missing programme name', (d) => delete d.programme.name, /^programme\.name: Invalid input: expected string, received undefined/],
    ['a time written as "7pm"', (d) => (d.calendar.sessions[2].start = '7pm'), /^calendar\.sessions\[2\]\.start: must be a time written HH:MM/],
    ['a closing time past midnight', (d) => (d.calendar.sessions[0].end = '24:30'), /^calendar\.sessions\[0\]\.end: must be a time/],
    ['a day that is not a weekday', (d) => d.calendar.weekly.push({ days: ['monday'], start: '07:00', end: '11:00' }), /^calendar\.weekly\[0\]\.days\[0\]: Invalid option: expected one of "sun"\|"mon"/],
    ['a weekly window ending before it starts', (d) => d.calendar.weekly.push({ days: ['mon'], start: '07:00', end: '11:00', from: '2022-09-01', until: '2022-08-01' }), /^calendar\.weekly\[0\]\.until: must not be before from/],
    ['a holiday that is not a date', (d) => d.calendar.holidays.push({ date: '2022-13-01', name: 'Nonsense' }), /^calendar\.holidays\[0\]\.date: is not a real calendar date/],
    ['a session in an unknown region', (d) => (d.calendar.sessions[1].regions = ['Z']), /^calendar\.sessions\[1\]\.regions\[0\]: region "Z" is not defined/],
    ['a ward range backwards', (d) => (d.regions[0].wards = { from: 135, to: 1 }), /^regions\[0\]\.wards: from must not be after to/],
    ['a duplicate region', (d) => d.regions.push({ code: 'B', name: 'Region B again' }), /^regions\[1\]: region code "B" appears twice/],
    ['a field asked twice', (d) => d.categories[0].fields.push({ name: 'mobile', required: false }), /^categories\[0\]\.fields\[\d+\]: field "mobile" appears twice/],
    ['a category with no fields', (d) => (d.categories[3].fields = []), /^categories\[3\]\.fields: must list at least one intake field/],
    ['an email that is not one', (d) => (d.staff[2].email = 'anele at joburg'), /^staff\[2\]\.email: must be an email address/],
    ['an unknown role', (d) => (d.staff[0].role = 'manager'), /^staff\[0\]\.role: Invalid option: expected one of "agent"\|"supervisor"/],
    ['an agent without skills', (d) => (d.staff[1].skills = []), /^staff\[1\]\.skills: an agent must have at least one skill/],
    ['an object id that is not a GUID', (d) => (d.staff[0].oid = 'thandi'), /^staff\[0\]\.oid: must be the Entra object id \(a GUID\)/],
    ['one address for two people', (d) => (d.staff[1].email = d.staff[0].email.toUpperCase()), /^staff\[1\]: staff email "[^"]+" appears twice/],
    ['one object id for two people', (d) => ((d.staff[0].oid = '7d0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b'), (d.staff[1].oid = '7D0E1A2B-3C4D-4E5F-8A9B-0C1D2E3F4A5B')), /^staff\[1\]: staff oid "[^"]+" appears twice/],
    ['a retention period of zero', (d) => (d.limits.retentionDays = 0), /^limits\.retentionDays: Too small: expected number to be >0/],
  ];

  for (const [what, change, message] of mistakes) {
    it(`names the place of ${what}`, () => {
      const problems = problemsOf(change);
      assert.ok(problems.some((p) => message.test(p)), `${message} in:\n${problems.join('\n')}`);
    });
  }

  it('the local definition is the pilot with its own calendar, written once (extends), not a copy', () => {
    const local = loadDefinition(LOCAL_DEFINITION);
    // And the languages: local.json switches on every language with a catalogue, the pilot only reviewed ones (issue 16),
    // with drafts of the City's own rules texts in them (rules.words; tester 10, finding 12).
    assert.deepEqual(
      { ...local, calendar: pilot.calendar, programme: { ...local.programme, languages: pilot.programme.languages }, rules: { ...local.rules, words: pilot.rules.words } },
      pilot,
      'everything but the calendar, the languages and the rules texts in them is the pilot\'s',
    );
    assert.deepEqual(Object.keys(local.rules.words).sort(), local.programme.languages.filter((l) => l !== 'en').sort(), 'every other language it serves has them');
    assert.deepEqual(local.calendar.sessions, []);
    assert.deepEqual(local.calendar.weekly.map((w) => `${w.days.join(',')} ${w.start}-${w.end}`), ['sun,mon,tue,wed,thu,fri,sat 00:00-24:00']);
    assert.deepEqual(local.calendar.holidays, pilot.calendar.holidays, 'the calendar is merged, not replaced whole');
    const written = JSON.parse(readFileSync(LOCAL_DEFINITION, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(written).sort(), ['$comment', 'calendar', 'extends', 'programme', 'rules']);
    assert.deepEqual(Object.keys(written.rules as object).sort(), ['$comment', 'words'], 'only the rules texts in other languages');
    assert.deepEqual(Object.keys(written.programme as object).sort(), ['$comment', 'languages'], 'only the languages of the programme');
  });

  it('applies a definition that extends another as a JSON Merge Patch (RFC 7396), then checks the whole', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'definition-'));
    writeFileSync(path.join(dir, 'base.json'), JSON.stringify(pilot));
    const write = (name: string, body: unknown) => {
      writeFileSync(path.join(dir, name), JSON.stringify(body));
      return path.join(dir, name);
    };
    const merged = loadDefinition(
      write('child.json', {
        extends: 'base.json',
        programme: { name: 'Another name' },
        regions: [{ code: 'C', name: 'Region C' }],
        calendar: { sessions: [{ date: '2023-01-10', start: '09:00', end: '12:00' }] },
        staff: null,
      }),
    );
    assert.equal(merged.programme.name, 'Another name', 'a key of an object is changed');
    assert.equal(merged.programme.id, pilot.programme.id, 'its other keys are kept');
    assert.deepEqual(merged.regions, [{ code: 'C', name: 'Region C' }], 'an array is replaced whole');
    assert.deepEqual(merged.calendar.sessions.map((x) => x.date), ['2023-01-10']);
    assert.deepEqual(merged.staff, [], 'null removes a key (staff then defaults to none)');
    // Two levels: a grandchild of the base.
    assert.equal(loadDefinition(write('grandchild.json', { extends: 'child.json', timeZone: 'Africa/Cairo' })).programme.name, 'Another name');

    const refused = (file: string, pattern: RegExp) =>
      assert.throws(() => loadDefinition(file), (e: unknown) => e instanceof DefinitionError && pattern.test(e.message), String(pattern));
    // The merged whole is checked, and the mistakes are named on the file that was loaded.
    refused(write('bad.json', { extends: 'base.json', categories: [{ code: 'Bad Code' }] }), /bad\.json has .*\n.*categories\[0\]\.code: must be lower-case/);
    refused(write('number.json', { extends: 7 }), /extends: must name the definition file this one changes/);
    refused(write('missing.json', { extends: 'nowhere.json' }), /nowhere\.json has 1 mistake\(s\):\n {2}- cannot be read/);
    write('loop-a.json', { extends: 'loop-b.json' });
    refused(write('loop-b.json', { extends: 'loop-a.json' }), /extends: "loop-b\.json" leads back to a file on its own way \(loop-b\.json → loop-a\.json → loop-b\.json\)/);
    refused(write('self.json', { extends: 'self.json' }), /leads back/);
  });

  it('says which file could not be read or parsed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'definition-'));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "programme": ');
    assert.throws(() => loadDefinition(broken), (e: unknown) => e instanceof DefinitionError && /is not valid JSON/.test(e.message) && e.message.includes(broken));
    assert.throws(() => loadDefinition(path.join(dir, 'missing.json')), /cannot be read/);
  });
});

describe('service definitions: languages and the programme\'s words per language (issue 16)', () => {
  const zuProgramme = {
    name: 'Uhlelo Lwezikweletu Zomasipala',
    organisation: 'UMasipala waseGoli',
    informationOfficer: 'isikhulu solwazi sikaMasipala',
    purpose: 'ukuxazulula imibuzo ngezikweletu zikamasipala',
    contact: 'isikhungo sezingcingo sikaMasipala',
  };
  const withZulu = (def: any) => {
    def.programme.languages = ['en', 'zu'];
    def.programme.words = { zu: { ...zuProgramme } };
    for (const c of def.categories) c.words = { zu: { name: `Isigaba ${c.code}`, keywords: [`igama-${c.code}`] } };
  };

  it('serves English only unless the definition lists more, and checks a complete isiZulu definition', () => {
    assert.deepEqual(pilot.programme.languages, ['en']);
    const def = structuredClone(pilot) as any;
    withZulu(def);
    const result = checkServiceDefinition(def);
    assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
    assert.equal(programmeWordsIn(result.definition, 'zu').name, 'Uhlelo Lwezikweletu Zomasipala');
    assert.deepEqual(categoryWordsIn(result.definition.categories[0]!, 'zu'), { name: 'Isigaba billing', keywords: ['igama-billing'] });
  });

  it('falls back to the English words for a language the definition does not give', () => {
    const walkabouts = loadDefinition(path.join(path.dirname(LOCAL_DEFINITION), 'seven-to-eleven.json'));
    assert.equal(programmeWordsIn(walkabouts, 'af').name, walkabouts.programme.name);
    assert.equal(programmeWordsIn(pilot, 'en').purpose, pilot.programme.purpose);
    assert.deepEqual(categoryWordsIn(walkabouts.categories[0]!, 'st'), { name: walkabouts.categories[0]!.name, keywords: walkabouts.categories[0]!.keywords });
    // The pilot gives its words in all six other languages.
    assert.notEqual(programmeWordsIn(pilot, 'af').name, pilot.programme.name);
  });

  it('refuses a listed language without every programme and category text, naming each gap', () => {
    assert.deepEqual(
      problemsOf((def) => {
        withZulu(def);
        delete def.programme.words.zu;
        delete def.categories[1].words.zu;
      }),
      [
        `programme.words.zu: must give the programme's name, organisation, informationOfficer, purpose and contact in "zu", which languages lists`,
        `categories[1].words.zu: must give the name and keywords of "credit-control" in "zu", which languages lists`,
      ],
    );
    assert.deepEqual(
      problemsOf((def) => {
        withZulu(def);
        delete def.programme.words.zu.purpose;
      }),
      ['programme.words.zu.purpose: Invalid input: expected string, received undefined'],
    );
  });

  it('refuses an unknown language, English not first, a language twice and a type example that is not a keyword in that language', () => {
    const problems = problemsOf((def) => {
      withZulu(def);
      def.programme.languages = ['zu', 'fr', 'zu'];
    });
    assert.ok(problems.some((p) => p.startsWith('programme.languages[1]: must be one of en, zu, xh, af, nso, st, tn')), problems.join('\n'));
    assert.deepEqual(
      problemsOf((def) => {
        withZulu(def);
        def.programme.languages = ['zu', 'en', 'zu'];
        def.programme.words.zu.typeExamples = ['billing'];
      }),
      [
        'programme.languages[0]: must be "en": English comes first, the fallback for every text',
        'programme.languages[2]: language "zu" appears twice',
        'programme.words.zu.typeExamples[0]: "billing" is not a "zu" keyword of any category',
      ],
    );
  });

  it('keeps the words of a language that is switched off (not listed), so it can be switched on after review', () => {
    const def = structuredClone(pilot) as any;
    def.programme.words = { st: { ...zuProgramme } };
    assert.ok(checkServiceDefinition(def).ok);
  });

  it('refuses at start-up a listed language it cannot serve, naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'definition-'));
    const file = path.join(dir, 'with-tsonga.json');
    const def = structuredClone(JSON.parse(readFileSync(path.join(folder, 'joburg-region-b-pilot.json'), 'utf8'))) as any;
    // Xitsonga: no catalogue, and Azure Translator does not cover it (DESIGN.md).
    def.programme.languages = ['en', 'ts'];
    writeFileSync(file, JSON.stringify(def));
    assert.throws(() => loadDefinition(file), (error: unknown) => {
      assert.ok(error instanceof DefinitionError);
      assert.ok(error.problems.some((p) => /^programme\.languages\[1\]: must be one of en, zu, xh, af, nso, st, tn/.test(p)), error.problems.join('\n'));
      return true;
    });
    // Every language the schema accepts has its catalogue (so the start-up check for a missing file holds for all of them).
    assert.deepEqual([...SPOKEN_LANGUAGES].sort(), [...LANGUAGES].sort());
  });
});
