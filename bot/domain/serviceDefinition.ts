/**
 * The service definition: everything that makes one programme differ from another
 * (categories, regions, calendar, wait limits, staff and their skills) is data in one file.
 * This module is the schema and its cross-checks; reading the file is the config layer's job.
 */
import { z } from 'zod';
import { INTAKE_FIELD_NAMES } from './intakeFields.js';
import { SPOKEN_LANGUAGES } from './language.js';

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM on the 24-hour clock, e.g. "17:00"');

/** A closing time: "24:00" means the following midnight. */
const closingTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time written HH:MM on the 24-hour clock, e.g. "20:00" (or "24:00" for midnight)');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, e.g. "2022-08-01"')
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'is not a real calendar date');

const code = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case letters, digits and dashes, starting with a letter');

/** Days of the week as they are written in weekly windows. */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const fieldSpec = z.object({
  name: z.enum(INTAKE_FIELD_NAMES),
  required: z.boolean(),
});

/**
 * The programme's logo on the public web page (issue 17): an image the page's own server serves,
 * `logos/<name>.svg|png|webp` (a file in web/public/logos, copied to the page's build and served
 * at /chat/logos/<name>), or an https URL (its origin is then allowed by the page's
 * Content-Security-Policy for images). No http, no data: or javascript: URLs, no `..`.
 */
const logo = z.union(
  [
    z.string().regex(/^logos\/[a-z0-9][a-z0-9-]*\.(svg|png|webp)$/, 'must be logos/<name>.svg, .png or .webp (a file in web/public/logos)'),
    z
      .string()
      .max(500)
      .regex(/^https:\/\/[a-z0-9.-]+(:\d+)?\/[^\s"'<>\\]*$/i, 'must be an https URL of the image, e.g. https://www.joburg.org.za/logo.svg'),
  ],
  { error: 'must be logos/<name>.svg, .png or .webp (a file in web/public/logos) or an https URL of the image' },
);

const language = z.enum(SPOKEN_LANGUAGES, `must be one of ${SPOKEN_LANGUAGES.join(', ')}`);

/** A category's words in another language than English (issue 16): what the ratepayer reads and may type. */
const categoryWordsSchema = z.object({
  name: z.string().min(3),
  keywords: z.array(z.string().min(2)).min(1, 'must list at least one word a ratepayer might type'),
});

/** The programme's words in another language than English: every programme text a ratepayer reads. */
const programmeWordsSchema = z.object({
  name: z.string().min(3),
  organisation: z.string().min(2),
  informationOfficer: z.string().min(3),
  purpose: z.string().min(10),
  contact: z.string().min(3),
  typeExamples: z.array(z.string().min(2)).min(1).max(2).optional(),
});

const categorySchema = z.object({
  code,
  name: z.string().min(3),
  /** Words a ratepayer might type for this category ("water meter", "arrangement"). */
  keywords: z.array(z.string().min(2)).default([]),
  /** The name and keywords per language other than English, e.g. `{ "zu": { "name": …, "keywords": […] } }`. */
  words: z.partialRecord(language, categoryWordsSchema).default({}),
  fields: z.array(fieldSpec).min(1, 'must list at least one intake field'),
  waitLimitMinutes: z.number().int().positive(),
  /** Used for the wait estimate until the category has handled cases of its own. */
  defaultHandlingMinutes: z.number().int().positive(),
});

const regionSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'must be 1–16 letters, digits or dashes'),
  name: z.string().min(2),
  wards: z
    .object({ from: z.number().int().positive(), to: z.number().int().positive() })
    .refine((w) => w.from <= w.to, 'from must not be after to')
    .optional(),
});

const window = { start: hhmm, end: closingTime };

const datedSessionSchema = z.object({ date: isoDate, ...window, regions: z.array(z.string()).optional() });

const weeklyWindowSchema = z.object({
  days: z.array(z.enum(WEEKDAYS)).min(1, 'must name at least one day'),
  ...window,
  from: isoDate.optional(),
  until: isoDate.optional(),
  regions: z.array(z.string()).optional(),
});

const staffSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be lower-case letters, digits, dots, dashes or underscores'),
  name: z.string().min(2),
  email: z.string().email('must be an email address'),
  role: z.enum(['agent', 'supervisor']),
  skills: z.array(z.string()).default([]),
  regions: z.array(z.string()).default([]),
  /**
   * The person's Entra object id (`oid`, immutable), when known: sign-ins are then matched on it,
   * never on an address. Without it, the first verified sign-in with the address binds it once
   * (bot/platform/auth/staffBinding.ts). Microsoft: authorise on `oid` + `tid`, not on email or UPN.
   */
  oid: z.string().uuid('must be the Entra object id (a GUID)').optional(),
  /** The tenant (`tid`) of `oid`, for a guest from another tenant; default: the app's tenant. */
  tenantId: z.string().uuid('must be a tenant id (a GUID)').optional(),
  /**
   * The languages the person speaks besides English (issue 16), e.g. `["zu", "st"]`: claim-next
   * leaves a ratepayer in one of them for a free agent who speaks it (bot/domain/assignment.ts).
   */
  languages: z.array(language).optional(),
  /** Back-office teams (followThrough.teams codes) the person works referrals for (issue 19). */
  backOfficeTeams: z.array(z.string()).optional(),
});

/**
 * Follow-through after the session (issue 19): who owns a referral per category, how long they
 * have, when they are reminded, the escalation ladder and how long a ratepayer may reopen a case.
 * Optional: a definition without it gets the defaults below (the City's by-laws give it 14 days to
 * investigate a query and answer in writing, DESIGN.md §5; the ladder follows the City's revenue
 * escalation levels). Days are business days (no weekend, no calendar holiday) where
 * `businessDays` says so.
 */
const backOfficeTeamSchema = z.object({ code, name: z.string().min(2) });
const wholeDays = z.number('must be a number of days').int('must be a whole number of days').positive('must be at least 1 day');
const escalationStepSchema = z.object({
  code,
  /** Who the case escalates to, as staff and the ratepayer read it ("the Assistant Director: Revenue"). */
  name: z.string().min(2),
  /** Days this level has before the case goes up to the next one. */
  days: wholeDays,
});
const followThroughSchema = z.object({
  /** Days after a case is done within which the ratepayer may reopen it (default 14). */
  reopenDays: wholeDays.default(14),
  teams: z.array(backOfficeTeamSchema).min(1).default([{ code: 'back-office', name: 'Revenue back office' }]),
  /** Per category: the owning team and its response time; a category not listed gets `defaultReferral`. */
  referrals: z.record(z.string(), z.object({ team: z.string(), responseDays: wholeDays })).default({}),
  defaultReferral: z.object({ team: z.string(), responseDays: wholeDays }).default({ team: 'back-office', responseDays: 14 }),
  /** Count response, reminder and escalation days as business days (weekends and holidays skipped). */
  businessDays: z.boolean().default(false),
  /** Days before the due date the owning team is reminded. */
  remindDaysBefore: z.number().int().min(0).default(1),
  /** After the due date: each level in turn, each with its days (team → assistant director → deputy director → director). */
  escalation: z.array(escalationStepSchema).min(1).default([
    { code: 'assistant-director', name: 'the Assistant Director: Revenue', days: 5 },
    { code: 'deputy-director', name: 'the Deputy Director: Revenue', days: 5 },
    { code: 'director', name: 'the Director: Revenue', days: 5 },
  ]),
});


/**
 * The City's own rules (issue 20) as data: dispute periods, arrangement limits, the indigent
 * register (ESP) and who supplies metered services. Every default below is sourced in
 * docs/domain-rules.md; a definition that leaves the block (or part of it) out gets them.
 */
const arrangementLimitsSchema = z
  .object({
    minMonths: z.number().int().positive(),
    maxMonths: z.number().int().positive(),
    /** Share of the debt paid up front, in whole percent (business accounts: 50). */
    downPaymentPercent: z.number().int().min(0).max(100).default(0),
  })
  .refine((l) => l.minMonths <= l.maxMonths, { message: 'minMonths must not be more than maxMonths', path: ['maxMonths'] });

const DEFAULT_ARRANGEMENTS = {
  domestic: { minMonths: 3, maxMonths: 36, downPaymentPercent: 0 },
  esp: { minMonths: 1, maxMonths: 60, downPaymentPercent: 0 },
  pensioner: { minMonths: 1, maxMonths: 60, downPaymentPercent: 0 },
  business: { minMonths: 1, maxMonths: 12, downPaymentPercent: 50 },
};

/**
 * Without a `rules.dispute` block: the City's periods, and no category where a formal dispute is
 * lodged (which categories are about amounts on the municipal account is the programme's own:
 * the pilot lists billing, credit control, rates and metering; docs/domain-rules.md).
 */
const DEFAULT_DISPUTE = { categories: [] as string[], investigationDays: 14, appealAfterDays: 90, statementMaxAgeMonths: 36, notes: {} as Record<string, string> };

/**
 * Without a `rules.esp` block: the City's periods, and no threshold, documents or renewal words
 * (those are the programme's own, in its definition file: bot/definitions/joburg-region-b-pilot.json).
 */
const DEFAULT_ESP = {
  categories: ['indigent'],
  registrationMonths: 6,
  reminderMonthsBefore: 1,
  incomeThresholds: [] as { from: string; monthlyIncomeCents: number; source: string }[],
  documents: [] as { id: string; name: string }[],
};

const supplierSchema = z.object({
  id: code,
  name: z.string().min(2),
  service: z.enum(['electricity', 'water']),
  /** How a ratepayer can tell this supplier bills their meter (shown as help). */
  hint: z.string().min(10),
  /** `desk`: stay in the metering queue; `category`: that category's experts; `elsewhere`: tell them where to go instead (not queued). */
  route: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('desk') }),
    z.object({ kind: z.literal('category'), category: code }),
    z.object({ kind: z.literal('elsewhere'), text: z.string().min(10) }),
  ]),
});

/**
 * The City's own rules texts in another language than English (tester 10, finding 12), each
 * optional: the acknowledgement of debt, how to renew the ESP, an ESP document's name by its id,
 * and a supplier's name, hint and "where to go instead" by its id. A text given here translates
 * the English one above, so that one must be given too (checked below). Missing: the catalogue's
 * translation when the English is the catalogue's default, else the English, marked so
 * (bot/messages/programme.ts). Drafts until a first-language speaker has read them
 * (docs/translations.md).
 */
const rulesWordsSchema = z
  .object({
    acknowledgementOfDebt: z.string().min(10).optional(),
    espRenewal: z.string().min(10).optional(),
    espDocuments: z.record(code, z.string().min(3)).default({}),
    suppliers: z
      .record(code, z.object({ name: z.string().min(2).optional(), hint: z.string().min(10).optional(), elsewhere: z.string().min(10).optional() }).strict())
      .default({}),
  })
  .strict();

const rulesSchema = z
  .object({
    dispute: z
      .object({
        /** Categories whose cases can carry a formal dispute (Municipal Systems Act s102: any amount on the municipal account); each must be a defined category. */
        categories: z.array(code).default(DEFAULT_DISPUTE.categories),
        /** Per category, what the expert reads where they lodge a dispute (staff words), e.g. that a valuation objection is the valuation roll's process, not a dispute. */
        notes: z.record(code, z.string().min(10)).default(DEFAULT_DISPUTE.notes),
        /** Calendar days the City has to investigate and answer in writing (by-laws: 14). */
        investigationDays: z.number().int().positive().default(DEFAULT_DISPUTE.investigationDays),
        /** Calendar days after lodging from which an appeal to the Municipal Manager is possible (2022 policy: 90). */
        appealAfterDays: z.number().int().positive().default(DEFAULT_DISPUTE.appealAfterDays),
        /** The oldest statement a dispute is lodged on, in months before today (36: amounts older are as a rule prescribed, Prescription Act 68 of 1969 s11(d)). */
        statementMaxAgeMonths: z.number().int().positive().max(120).default(DEFAULT_DISPUTE.statementMaxAgeMonths),
      })
      .default(DEFAULT_DISPUTE),
    arrangements: z
      .object({
        domestic: arrangementLimitsSchema.default(DEFAULT_ARRANGEMENTS.domestic),
        esp: arrangementLimitsSchema.default(DEFAULT_ARRANGEMENTS.esp),
        pensioner: arrangementLimitsSchema.default(DEFAULT_ARRANGEMENTS.pensioner),
        business: arrangementLimitsSchema.default(DEFAULT_ARRANGEMENTS.business),
      })
      .default(DEFAULT_ARRANGEMENTS),
    esp: z
      .object({
        /** Categories whose intake lists the application documents and compares income with the threshold. */
        categories: z.array(code).default(DEFAULT_ESP.categories),
        registrationMonths: z.number().int().positive().default(DEFAULT_ESP.registrationMonths),
        reminderMonthsBefore: z.number().int().positive().default(DEFAULT_ESP.reminderMonthsBefore),
        /** Monthly income limit in cents, from a date (it changes every year); the latest `from` on or before a day applies. */
        incomeThresholds: z
          .array(z.object({ from: isoDate, monthlyIncomeCents: z.number().int().positive(), source: z.string().min(3) }))
          .default(DEFAULT_ESP.incomeThresholds),
        /** What an application needs, in the order the ratepayer is shown it. */
        documents: z.array(z.object({ id: code, name: z.string().min(3) })).default(DEFAULT_ESP.documents),
        /** How to renew, as the lapse reminder says it (the programme's words). */
        renewal: z.string().min(10).optional(),
      })
      .default(DEFAULT_ESP),
    /** Who supplies metered services and where each goes; none: metering intake asks nothing about it. */
    suppliers: z.array(supplierSchema).default([]),
    /** What the ratepayer must do to sign the acknowledgement of debt, as the arrangement summary tells it (the programme's words). */
    acknowledgementOfDebt: z.string().min(10).optional(),
    /** The texts above in other languages, e.g. `{ "zu": { "acknowledgementOfDebt": "…", "espDocuments": { "id-document": "…" } } }` (rulesWordsSchema). */
    words: z.partialRecord(language, rulesWordsSchema).default({}),
  })
  .refine((r) => r.esp.reminderMonthsBefore < r.esp.registrationMonths, {
    message: 'reminderMonthsBefore must be less than registrationMonths',
    path: ['esp', 'reminderMonthsBefore'],
  });

const DEFAULT_RULES = {
  dispute: DEFAULT_DISPUTE,
  arrangements: DEFAULT_ARRANGEMENTS,
  esp: DEFAULT_ESP,
  suppliers: [],
  words: {},
};

/**
 * The notices a ratepayer can get long after their last message, each a WhatsApp template when
 * the 24-hour window has closed: an expert is ready, their place, the session closing, the
 * outcome, the survey, the next session (carried over); (issue 20) the ESP registration's lapse
 * reminder, which comes months after the case; and after the session (issue 19) the back office's
 * update, its "needs more time" and an escalation.
 */
export const NOTICE_KINDS = ['connected', 'place', 'closing', 'outcome', 'survey', 'nextSession', 'espReminder', 'backOfficeUpdate', 'moreTime', 'escalated'] as const;
/** One notice kind. */
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const schema = z
  .object({
    programme: z.object({
      id: code,
      name: z.string().min(3),
      organisation: z.string().min(2),
      /** Who the POPIA notice names as responsible, and how to reach them. */
      informationOfficer: z.string().min(3),
      purpose: z.string().min(10),
      /** Who ratepayers are told to contact when the programme cannot help (no session left), e.g. "the City's call centre". */
      contact: z.string().min(3),
      /** The programme's logo on the public web page's header (alt text: the programme's name); default none. */
      logo: logo.optional(),
      /**
       * What people can type to choose a category, shown as examples ("billing", "water meter"):
       * each one a keyword of a category. Default: the first keyword of the first two categories.
       */
      typeExamples: z.array(z.string().min(2)).min(1).max(2).optional(),
      /**
       * The languages ratepayers are served in; English first, always (the fallback). A language
       * not listed is switched off (e.g. until a first-language speaker has reviewed it,
       * docs/translations.md) even when the catalogue and the words below have it.
       */
      languages: z.array(language).min(1).default(['en']),
      /** The programme's texts per language other than English (the English ones are above). */
      words: z.partialRecord(language, programmeWordsSchema).default({}),
    }),
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'is not a time zone this system knows (use an IANA name such as "Africa/Johannesburg")'),
    regions: z.array(regionSchema).min(1, 'must list at least one region'),
    categories: z.array(categorySchema).min(1, 'must list at least one category'),
    calendar: z.object({
      sessions: z.array(datedSessionSchema).default([]),
      weekly: z.array(weeklyWindowSchema).default([]),
      holidays: z.array(z.object({ date: isoDate, name: z.string().min(2) })).default([]),
    }),
    limits: z.object({
      /** Days a closed case is kept before it expires (Cosmos DB ttl). */
      retentionDays: z.number().int().positive(),
      /** Minutes an expert waits for a connected ratepayer's first answer before a no-show may be marked. */
      noShowMinutes: z.number().int().positive().default(5),
    }),
    staff: z.array(staffSchema).default([]),
    /** The City's own rules (issue 20): docs/domain-rules.md. */
    rules: rulesSchema.default(DEFAULT_RULES),

    /**
     * WhatsApp (issue 18): the message templates approved in WhatsApp Manager for the notices that
     * can come more than 24 hours after the ratepayer's last message (WhatsApp then allows only
     * templates). Per notice: the template's name and the languages it is approved in; its body
     * parameters are fixed per notice (docs/whatsapp.md lists each template's text). A notice with
     * no template is not sent once the window has closed (recorded on the case with the reason;
     * "an expert is ready" then goes by SMS).
     */
    whatsapp: z
      .object({
        templates: z.partialRecord(z.enum(NOTICE_KINDS), z.object({ name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a WhatsApp template name (lower-case letters, digits and _)'), languages: z.array(language).min(1).default(['en']) })).default({}),
      })
      .default({ templates: {} }),
    followThrough: followThroughSchema.default(followThroughSchema.parse({})),
  })
  .superRefine((def, ctx) => {
    const dup = (list: string[], path: (string | number)[], what: string) => {
      const seen = new Set<string>();
      list.forEach((value, i) => {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `${what} "${value}" appears twice` });
        seen.add(value);
      });
    };
    dup(def.categories.map((c) => c.code), ['categories'], 'category code');
    dup(def.regions.map((r) => r.code), ['regions'], 'region code');
    dup(def.staff.map((s) => s.id), ['staff'], 'staff id');
    dup(def.staff.map((s) => s.email.toLowerCase()), ['staff'], 'staff email');
    dup(def.staff.flatMap((s) => (s.oid ? [s.oid.toLowerCase()] : [])), ['staff'], 'staff oid');
    const categories = new Set(def.categories.map((c) => c.code));
    const regions = new Set(def.regions.map((r) => r.code));
    def.categories.forEach((c, i) => {
      dup(c.fields.map((f) => f.name), ['categories', i, 'fields'], 'field');
    });
    const keywords = new Set(def.categories.flatMap((c) => c.keywords.map((k) => k.toLowerCase())));
    def.programme.typeExamples?.forEach((example, i) => {
      if (!keywords.has(example.toLowerCase()))
        ctx.addIssue({ code: 'custom', path: ['programme', 'typeExamples', i], message: `"${example}" is not a keyword of any category` });
    });
    // Issue 16: a definition that lists a language gives every programme text the ratepayer sees in it.
    const languages = def.programme.languages;
    if (languages[0] !== 'en') ctx.addIssue({ code: 'custom', path: ['programme', 'languages', 0], message: 'must be "en": English comes first, the fallback for every text' });
    dup(languages, ['programme', 'languages'], 'language');
    for (const lang of new Set(languages)) {
      if (lang === 'en') continue;
      const words = def.programme.words[lang];
      if (!words)
        ctx.addIssue({ code: 'custom', path: ['programme', 'words', lang], message: `must give the programme's name, organisation, informationOfficer, purpose and contact in "${lang}", which languages lists` });
      def.categories.forEach((c, i) => {
        if (!c.words[lang]) ctx.addIssue({ code: 'custom', path: ['categories', i, 'words', lang], message: `must give the name and keywords of "${c.code}" in "${lang}", which languages lists` });
      });
      const own = new Set(def.categories.flatMap((c) => (c.words[lang]?.keywords ?? []).map((k) => k.toLowerCase())));
      words?.typeExamples?.forEach((example, i) => {
        if (!own.has(example.toLowerCase()))
          ctx.addIssue({ code: 'custom', path: ['programme', 'words', lang, 'typeExamples', i], message: `"${example}" is not a "${lang}" keyword of any category` });
      });
    }
    const checkWindow = (w: { start: string; end: string }, path: (string | number)[]) => {
      if (w.end <= w.start) ctx.addIssue({ code: 'custom', path: [...path, 'end'], message: `must be after start (${w.start})` });
    };
    const checkRegions = (list: string[] | undefined, path: (string | number)[]) =>
      list?.forEach((r, j) => {
        if (!regions.has(r)) ctx.addIssue({ code: 'custom', path: [...path, 'regions', j], message: `region "${r}" is not defined under regions` });
      });
    def.calendar.sessions.forEach((s, i) => {
      checkWindow(s, ['calendar', 'sessions', i]);
      checkRegions(s.regions, ['calendar', 'sessions', i]);
    });
    def.calendar.weekly.forEach((w, i) => {
      checkWindow(w, ['calendar', 'weekly', i]);
      checkRegions(w.regions, ['calendar', 'weekly', i]);
      if (w.from && w.until && w.until < w.from)
        ctx.addIssue({ code: 'custom', path: ['calendar', 'weekly', i, 'until'], message: `must not be before from (${w.from})` });
    });
    dup(def.rules.dispute.categories, ['rules', 'dispute', 'categories'], 'category');
    def.rules.dispute.categories.forEach((category, i) => {
      if (!categories.has(category)) ctx.addIssue({ code: 'custom', path: ['rules', 'dispute', 'categories', i], message: `category "${category}" is not defined under categories` });
    });
    for (const category of Object.keys(def.rules.dispute.notes))
      if (!def.rules.dispute.categories.includes(category))
        ctx.addIssue({ code: 'custom', path: ['rules', 'dispute', 'notes', category], message: `category "${category}" is not one of rules.dispute.categories` });
    dup(def.rules.suppliers.map((s) => s.id), ['rules', 'suppliers'], 'supplier id');
    def.rules.suppliers.forEach((s, i) => {
      if (s.route.kind === 'category' && !categories.has(s.route.category))
        ctx.addIssue({ code: 'custom', path: ['rules', 'suppliers', i, 'route', 'category'], message: `category "${s.route.category}" is not defined under categories` });
    });
    dup(def.rules.esp.incomeThresholds.map((t) => t.from), ['rules', 'esp', 'incomeThresholds'], 'threshold date');
    // A closed case is deleted after retentionDays: one with an ESP registration must outlive its
    // reminder, or the reminder is deleted with it (issue 20).
    const reminderAfterDays = (def.rules.esp.registrationMonths - def.rules.esp.reminderMonthsBefore) * 31;
    if (def.categories.some((c) => def.rules.esp.categories.includes(c.code)) && def.limits.retentionDays < reminderAfterDays)
      ctx.addIssue({
        code: 'custom',
        path: ['limits', 'retentionDays'],
        message: `must be at least ${reminderAfterDays} days while ESP registrations are recorded (rules.esp): a closed case is deleted after it, and with it the reminder due ${def.rules.esp.registrationMonths - def.rules.esp.reminderMonthsBefore} months after registering`,
      });
    dup(def.rules.esp.documents.map((d) => d.id), ['rules', 'esp', 'documents'], 'document id');
    // Each translated rules text translates an English one that is there (tester 10, finding 12).
    for (const [lang, words] of Object.entries(def.rules.words)) {
      if (!words) continue;
      const at = (...rest: (string | number)[]) => ['rules', 'words', lang, ...rest];
      if (words.acknowledgementOfDebt && !def.rules.acknowledgementOfDebt)
        ctx.addIssue({ code: 'custom', path: at('acknowledgementOfDebt'), message: 'translates rules.acknowledgementOfDebt, which is not given (without it the catalogue\'s own words are used in every language)' });
      if (words.espRenewal && !def.rules.esp.renewal) ctx.addIssue({ code: 'custom', path: at('espRenewal'), message: 'translates rules.esp.renewal, which is not given' });
      const documents = new Set(def.rules.esp.documents.map((d) => d.id));
      for (const id of Object.keys(words.espDocuments))
        if (!documents.has(id)) ctx.addIssue({ code: 'custom', path: at('espDocuments', id), message: `document "${id}" is not listed under rules.esp.documents` });
      for (const [id, supplierWords] of Object.entries(words.suppliers)) {
        const supplier = def.rules.suppliers.find((x) => x.id === id);
        if (!supplier) ctx.addIssue({ code: 'custom', path: at('suppliers', id), message: `supplier "${id}" is not listed under rules.suppliers` });
        else if (supplierWords.elsewhere && supplier.route.kind !== 'elsewhere')
          ctx.addIssue({ code: 'custom', path: at('suppliers', id, 'elsewhere'), message: `supplier "${id}" is not routed "elsewhere", so it has no text to translate` });
      }
    }
    if (def.calendar.sessions.length === 0 && def.calendar.weekly.length === 0)
      ctx.addIssue({ code: 'custom', path: ['calendar'], message: 'must have at least one dated session or weekly window' });
    const teams = new Set(def.followThrough.teams.map((t) => t.code));
    dup(def.followThrough.teams.map((t) => t.code), ['followThrough', 'teams'], 'team code');
    if (!teams.has(def.followThrough.defaultReferral.team))
      ctx.addIssue({ code: 'custom', path: ['followThrough', 'defaultReferral', 'team'], message: `team "${def.followThrough.defaultReferral.team}" is not defined under followThrough.teams` });
    for (const [category, r] of Object.entries(def.followThrough.referrals)) {
      if (!categories.has(category)) ctx.addIssue({ code: 'custom', path: ['followThrough', 'referrals', category], message: `category "${category}" is not defined under categories` });
      if (!teams.has(r.team)) ctx.addIssue({ code: 'custom', path: ['followThrough', 'referrals', category, 'team'], message: `team "${r.team}" is not defined under followThrough.teams` });
    }
    def.staff.forEach((s, i) => {
      s.skills.forEach((skill, j) => {
        if (!categories.has(skill))
          ctx.addIssue({ code: 'custom', path: ['staff', i, 'skills', j], message: `category "${skill}" is not defined under categories` });
      });
      checkRegions(s.regions, ['staff', i]);
      dup(s.languages ?? [], ['staff', i, 'languages'], 'language');
      (s.backOfficeTeams ?? []).forEach((team, j) => {
        if (!teams.has(team)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'backOfficeTeams', j], message: `team "${team}" is not defined under followThrough.teams` });
      });
      if (s.role === 'agent' && s.skills.length === 0 && !s.backOfficeTeams?.length)
        ctx.addIssue({ code: 'custom', path: ['staff', i, 'skills'], message: 'an agent must have at least one skill (or a back-office team)' });
    });
  });

/** A validated service definition. */
export type ServiceDefinition = z.infer<typeof schema>;
/** One query category of a programme. */
export type Category = ServiceDefinition['categories'][number];
/** The City's own rules block (issue 20), defaults applied. */
export type CityRules = ServiceDefinition['rules'];
/** One member of staff (agent or supervisor). */
export type StaffMember = ServiceDefinition['staff'][number];

/** The follow-through block of a definition (issue 19). */
export type FollowThroughRules = ServiceDefinition['followThrough'];

/** The outcome of checking a definition: the definition, or one message per mistake. */
export type DefinitionCheck = { ok: true; definition: ServiceDefinition } | { ok: false; problems: string[] };

/**
 * Checks raw JSON against the schema and the cross-references between its parts.
 * Every mistake gives one message that names where it is ("categories[2].waitLimitMinutes: …").
 */
export function checkServiceDefinition(raw: unknown): DefinitionCheck {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, definition: result.data };
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    );
    return `${where || '(top level)'}: ${issue.message}`;
  });
  return { ok: false, problems };
}

/** Finds a category by its code. */
export function categoryByCode(def: ServiceDefinition, code: string): Category | undefined {
  return def.categories.find((c) => c.code === code);
}

/** The programme texts a ratepayer reads, in one language. */
export type ProgrammeWords = Pick<ServiceDefinition['programme'], 'name' | 'organisation' | 'informationOfficer' | 'purpose' | 'contact' | 'typeExamples'>;

/**
 * The programme's texts in a language: the definition's words for it, else English (the
 * programme's own fields). A language the definition lists always has its words (checked above).
 */
export function programmeWordsIn(def: ServiceDefinition, lang: string): ProgrammeWords {
  const { name, organisation, informationOfficer, purpose, contact, typeExamples } = def.programme;
  const words = lang === 'en' ? undefined : def.programme.words[lang as keyof typeof def.programme.words];
  return words ?? { name, organisation, informationOfficer, purpose, contact, typeExamples };
}

/** A category's name and keywords in a language, else its English ones. */
export function categoryWordsIn(category: Category, lang: string): { name: string; keywords: string[] } {
  const words = lang === 'en' ? undefined : category.words[lang as keyof typeof category.words];
  return words ?? { name: category.name, keywords: category.keywords };
}
