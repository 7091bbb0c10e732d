/**
 * The tab API under /api/ (the contract is docs/api.md): the bearer token checked on every
 * route, input checked with zod, and each call handed to the agents' desk. Also the live stream
 * of queue events (Server-Sent Events) and, in local mode only, the local sign-in.
 */
import type { ServerResponse } from 'node:http';
import type restify from 'restify';
import { z } from 'zod';
import { mintLocalToken, type LocalSigningKey } from '../auth/tokens.js';
import { worksCategory, type StaffIdentity } from '../../domain/access.js';
import { OUTCOMES, type Outcome } from '../../domain/case.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { characterCount, formatCount, MESSAGE_CHARACTERS, NOTE_CHARACTERS } from '../../domain/textLimits.js';
import type { Clock } from '../ports/clock.js';
import type { QueueEvent } from '../ports/queueEvents.js';
import type { AgentDesk } from '../../agents/agentDesk.js';
import { ServiceError, type Problem } from '../flow/errors.js';
import type { RelayService } from '../../ratepayers/relay.js';
import type { LiveQueueEvents } from '../../agents/liveEvents.js';
import type { PresenceTracker } from '../../agents/presence.js';
import type { Authenticate } from './authenticate.js';
import type { CasePage, LocalStaff, Me, TabConfig } from '../contract/tabApi.js';
import { isKeptMedia } from '../../domain/attachments.js';
import type { MediaStore } from '../ports/mediaStore.js';
import { log } from '../log.js';
import { sendError as sendCodedError } from './errors.js';

/** What the tab API needs. */
export interface TabApiDependencies {
  desk: AgentDesk;
  relay: RelayService;
  /** Photos kept from WhatsApp: shown on the case page inline (absent: none kept). */
  media?: MediaStore;
  authenticate: Authenticate;
  events: LiveQueueEvents;
  presence: PresenceTracker;
  definition: ServiceDefinition;
  clock: Clock;
  mode: 'local' | 'azure';
  /** Present in local mode: the key the local sign-in mints tokens with. */
  localSignIn?: LocalSigningKey;
  /** Present with Teams SSO: the app's client id, for the tab's information. */
  clientId?: string;
}

/** The running API's handle: ends the live streams so the server can close. */
export interface TabApi {
  close(): void;
}

/** How often an idle stream sends a comment, so proxies (App Service: 230 s) keep it open. */
const KEEP_ALIVE_MS = 15_000;

const reference = z.string().trim().min(1, 'is required').max(20, 'is too long');
/** Text with a limit in characters as people count them (textLimits.ts); the message says by how much it is over. */
const limitedText = (limit: number) =>
  z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const n = characterCount(text);
      if (n > limit)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `has ${formatCount(n)} characters; the most is ${formatCount(limit)} (shorten it by ${formatCount(n - limit)}). Nothing was saved`,
        });
    });
const noteText = limitedText(NOTE_CHARACTERS).pipe(z.string().min(1, 'must not be empty'));

const schemas = {
  note: z.object({ text: noteText }).strict(),
  message: z.object({ text: limitedText(MESSAGE_CHARACTERS).pipe(z.string().min(1, 'must not be empty')) }).strict(),
  release: z.object({ note: limitedText(NOTE_CHARACTERS).optional() }).strict(),
  transfer: z.object({ toCategory: z.string().trim().min(1, 'is required'), note: noteText }).strict(),
  resolve: z
    .object({
      outcome: z.enum(OUTCOMES as [Outcome, ...Outcome[]], { error: () => `must be one of ${OUTCOMES.join(', ')}` }),
      summary: noteText,
      dueDate: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
        .refine((d) => Number.isFinite(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date')
        .optional(),
    })
    .strict(),
  translation: z.object({ on: z.boolean({ error: () => 'must be true or false' }) }).strict(),
  localToken: z.object({ staffId: z.string().min(1, 'is required') }).strict(),
  search: z
    .object({ reference: z.string().max(20).optional(), account: z.string().max(20).optional() })
    .strict()
    .refine((q) => (q.reference === undefined) !== (q.account === undefined), 'give either reference or account'),
};

/** Bad input, with one message per field (400 `invalid_input`). */
function inputError(problems: Problem[]): ServiceError {
  return new ServiceError('invalid_input', `The request is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, {}, problems);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw inputError(
    result.error.issues.map((issue) => ({
      field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body'),
      message: issue.code === 'unrecognized_keys' ? 'is not a field this request takes' : issue.message,
    })),
  );
}

function sendError(res: restify.Response, error: unknown): void {
  sendCodedError(res, error, 'tab-api');
}

/**
 * Whether an event concerns what the person sees: a supervisor every event; an agent those of
 * their categories and their own cases; a member of a back-office team (`backOfficeTeams`) those
 * of the cases referred to it, so the referral's page shows a colleague's or a supervisor's change.
 */
function concerns(staff: StaffIdentity, event: QueueEvent, backOfficeTeams: readonly string[]): boolean {
  if (staff.role === 'supervisor') return true;
  if (event.team && backOfficeTeams.includes(event.team) && event.kind !== 'case.message') return true;
  // A conversation update matters to the expert on the case, not to everyone in its category.
  if (event.kind === 'case.message') return event.expert === staff.id;
  if (worksCategory(staff, event.category, event.queued?.region)) return true;
  if (event.previousCategory && worksCategory(staff, event.previousCategory)) return true;
  return event.working?.assignedTo.staffId === staff.id || event.by.id === staff.id;
}

function writeEvent(res: ServerResponse, event: QueueEvent): void {
  res.write(`id: ${event.id}\nevent: queue\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * The case page with the photos the service keeps (WhatsApp, `media:<id>`) inline as data URLs,
 * which the tab shows as pictures: only for staff allowed the page, with no address to follow.
 */
async function withPhotos(page: CasePage, media: MediaStore | undefined): Promise<CasePage> {
  if (!media || !page.transcript.some((e) => e.attachments?.some((a) => isKeptMedia(a.url)))) return page;
  const transcript = await Promise.all(
    page.transcript.map(async (e) => {
      if (!e.attachments?.some((a) => isKeptMedia(a.url))) return e;
      const attachments = await Promise.all(
        e.attachments.map(async (a) => {
          if (!isKeptMedia(a.url)) return a;
          const photo = await media.get(a.url.slice('media:'.length));
          // Gone (past its retention): named, not linked.
          return photo ? { ...a, url: `data:${photo.contentType};base64,${photo.bytes.toString('base64')}` } : { ...a, linkable: false };
        }),
      );
      return { ...e, attachments };
    }),
  );
  return { ...page, transcript };
}

/** Registers every /api/ route of the tab. */
export function registerTabApi(server: restify.Server, deps: TabApiDependencies): TabApi {
  const { desk } = deps;
  const streams = new Set<ServerResponse>();

  /** Wraps a handler: authenticates, runs it, answers with JSON or the error. */
  const route =
    (handler: (staff: StaffIdentity, req: restify.Request) => Promise<unknown>, status = 200) =>
    async (req: restify.Request, res: restify.Response) => {
      try {
        const staff = await deps.authenticate(req.headers);
        const body = await handler(staff, req);
        res.header('cache-control', 'no-store');
        res.send(status, body);
      } catch (error) {
        sendError(res, error);
      }
    };

  const param = (req: restify.Request, name: string) => parse(reference, req.params?.[name]);

  // Public: what the tab needs before anyone signs in.
  server.get('/api/config', async (_req, res) => {
    res.send(200, {
      mode: deps.mode,
      signIn: deps.localSignIn ? 'local' : 'teams',
      programme: { id: deps.definition.programme.id, name: deps.definition.programme.name, timeZone: deps.definition.timeZone },
      // For the channel tab's configuration page: the views a supervisor can pin (no personal data).
      regions: deps.definition.regions.map((r) => ({ code: r.code, name: r.name })),
      ...(deps.clientId ? { clientId: deps.clientId } : {}),
    } satisfies TabConfig);
  });

  if (deps.localSignIn) {
    const key = deps.localSignIn;
    server.get('/api/local/staff', async (_req, res) => {
      res.send(200, {
        staff: deps.definition.staff.map((s) => ({
          id: s.id,
          name: s.name,
          role: s.role,
          skills: s.skills,
          skillNames: s.skills.map((code) => deps.definition.categories.find((c) => c.code === code)?.name ?? code),
          backOfficeTeams: s.backOfficeTeams ?? [],
          backOfficeTeamNames: (s.backOfficeTeams ?? []).map((code) => deps.definition.followThrough.teams.find((t) => t.code === code)?.name ?? code),
        })),
      } satisfies { staff: LocalStaff[] });
    });
    server.post('/api/local/token', async (req, res) => {
      try {
        const { staffId } = parse(schemas.localToken, req.body);
        const staff = deps.definition.staff.find((s) => s.id === staffId);
        if (!staff) throw inputError([{ field: 'staffId', message: `"${staffId}" is not in the service definition's staff` }]);
        res.send(200, await mintLocalToken(key, staff, deps.clock.now()));
      } catch (error) {
        sendError(res, error);
      }
    });
  }

  server.get(
    '/api/me',
    route(async (staff): Promise<Me> => ({
      staff,
      categories: deps.definition.categories.map((c) => ({ code: c.code, name: c.name, waitLimitMinutes: c.waitLimitMinutes })),
      outcomes: [...OUTCOMES],
      // What the tab's boxes may hold, in characters (it says so while the person types).
      limits: { messageCharacters: MESSAGE_CHARACTERS, noteCharacters: NOTE_CHARACTERS },
      backOfficeTeams:
        staff.role === 'supervisor'
          ? deps.definition.followThrough.teams.map((t) => t.code)
          : (deps.definition.staff.find((s) => s.id === staff.id)?.backOfficeTeams ?? []),
    })),
  );
  server.get('/api/queue', route((staff) => desk.queueFor(staff)));
  server.post('/api/queue/claim-next', route((staff) => desk.claimNext(staff)));
  // POST, not GET: an account number in a URL would land in request logs and telemetry (the
  // App Service logs and the Application Insights agent record URLs), and in the browser's history.
  server.post(
    '/api/search',
    route(async (staff, req) => {
      const q = parse(schemas.search, req.body);
      return { results: await desk.search(staff, q.reference !== undefined ? { reference: q.reference } : { accountNumber: q.account ?? '' }) };
    }),
  );
  server.get('/api/cases/:reference', route(async (staff, req) => withPhotos(await desk.casePage(staff, param(req, 'reference')), deps.media)));
  server.post('/api/cases/:reference/claim', route((staff, req) => desk.claim(staff, param(req, 'reference'))));
  server.post(
    '/api/cases/:reference/notes',
    route((staff, req) => desk.note(staff, param(req, 'reference'), parse(schemas.note, req.body).text)),
  );
  server.post(
    '/api/cases/:reference/release',
    route((staff, req) => desk.release(staff, param(req, 'reference'), parse(schemas.release, req.body).note || undefined)),
  );
  server.post(
    '/api/cases/:reference/transfer',
    route((staff, req) => {
      const body = parse(schemas.transfer, req.body);
      return desk.transfer(staff, param(req, 'reference'), body.toCategory, body.note);
    }),
  );
  server.post(
    '/api/cases/:reference/messages',
    route(async (staff, req) => {
      // Answers once the message is on the case; its delivery arrives as a case.message event.
      await deps.relay.fromExpert(staff, param(req, 'reference'), parse(schemas.message, req.body).text);
      return desk.casePage(staff, param(req, 'reference'));
    }),
  );
  server.post(
    '/api/cases/:reference/translation',
    route((staff, req) => desk.translation(staff, param(req, 'reference'), parse(schemas.translation, req.body).on)),
  );
  server.post('/api/cases/:reference/no-show', route((staff, req) => desk.noShow(staff, param(req, 'reference'))));
  server.post(
    '/api/cases/:reference/resolve',
    route((staff, req) => desk.resolve(staff, param(req, 'reference'), parse(schemas.resolve, req.body))),
  );

  server.get('/api/events', async (req, res) => {
    let staff: StaffIdentity;
    try {
      staff = await deps.authenticate(req.headers);
    } catch (error) {
      sendError(res, error);
      return;
    }
    const raw = res as unknown as ServerResponse;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    streams.add(raw);
    // Events that arrive while the catch-up is read are held, then sent after it.
    let held: QueueEvent[] | undefined = [];
    const teams = deps.definition.staff.find((s) => s.id === staff.id)?.backOfficeTeams ?? [];
    const sent = new Set<string>();
    const send = (event: QueueEvent) => {
      if (sent.has(event.id) || !concerns(staff, event, teams)) return;
      sent.add(event.id);
      if (sent.size > 5000) sent.clear();
      writeEvent(raw, event);
    };
    const unsubscribe = deps.events.subscribe((event) => (held ? held.push(event) : send(event)));
    const leave = deps.presence.opened(staff);
    raw.write(`retry: 2000\n\n`);
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId) {
      const replay = await deps.events.replay(lastEventId).catch(() => ({ kind: 'reset' as const, reason: 'log unavailable' }));
      if (replay.kind === 'reset') raw.write(`event: reset\ndata: ${JSON.stringify({ reason: replay.reason })}\n\n`);
      else replay.events.forEach(send);
    }
    const pending = held;
    held = undefined;
    pending.forEach(send);
    raw.write(`event: ready\ndata: ${JSON.stringify({ serverTime: deps.clock.now().toISOString(), instance: deps.events.instanceId })}\n\n`);
    const keepAlive = setInterval(() => raw.write(`: keep-alive\n\n`), KEEP_ALIVE_MS);
    await new Promise<void>((resolve) => {
      raw.on('close', resolve);
      req.on('close', resolve);
    });
    clearInterval(keepAlive);
    unsubscribe();
    leave();
    streams.delete(raw);
  });

  return {
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
