/**
 * A local stand-in for Azure Communication Services' WhatsApp (Advanced Messaging) and SMS, for
 * `npm start` and the tests: it speaks the REST contracts the service's own client uses
 * (POST /messages/notifications:send, GET /messages/streams/{id}, POST /sms; requests signed with
 * the access key, checked as ACS checks them) and delivers what "phones" send to the service as
 * Event Grid would (Event Grid schema, the subscription-validation handshake first, the
 * subscription's URL with its secret). A phone is driven through this object (tests) or its
 * small HTTP API under /_phone/ (the terminal phone, scripts/phone.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { hmacHeaders } from '../bot/platform/acs/client.js';

/** What a phone received: a WhatsApp message as sent (its kind and body) or an SMS. */
export interface Received {
  n: number;
  channel: 'whatsapp' | 'sms';
  messageId: string;
  /** The body the service sent (notifications:send), or { text } for an SMS. */
  body: Record<string, unknown>;
  /** The words shown on the phone (body text, buttons and rows as "[c0] Title", a row's description on the line below). */
  text: string;
  /**
   * An interactive message's buttons or list rows as sent: `key` is the phone's label for it
   * ("c0", "c1"… by place, what the terminal phone shows and what `press` takes), `id` and
   * `title` what the service sent (WhatsApp sends both back when it is pressed).
   */
  choices?: { key: string; id: string; title: string; row: boolean; description?: string }[];
}

/** The stand-in. */
export class AcsStandIn {
  readonly accessKey = randomBytes(32).toString('base64');
  readonly channelRegistrationId = randomUUID();
  private server?: Server;
  private counter = 0;
  private readonly inboxes = new Map<string, Received[]>();
  private readonly media = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Numbers whose messages fail (delivery status Failed) or are refused outright (HTTP 400). */
  readonly failing = new Set<string>();
  /** The next requests of the service are answered with these statuses (429 with Retry-After 1), for tests. */
  readonly refuseNext: number[] = [];
  /** Every request the service made, for tests. */
  readonly requests: { method: string; path: string }[] = [];
  private webhook?: string;
  private waiters: (() => void)[] = [];

  /** Starts on 127.0.0.1 (port 0: any free one); rejects when the port is taken. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return this.endpoint;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The connection string the service is given (ACS_CONNECTION_STRING). */
  get connectionString(): string {
    return `endpoint=${this.endpoint}/;accesskey=${this.accessKey}`;
  }

  /** Subscribes the service's webhook (its URL with ?key=…): the validation handshake, as Event Grid does it. Throws when it is not answered with the code. */
  async subscribe(webhookUrl: string): Promise<void> {
    const validationCode = randomUUID();
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([{ id: randomUUID(), eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', subject: '', eventTime: new Date().toISOString(), data: { validationCode }, dataVersion: '2', metadataVersion: '1' }]),
    });
    const body = (await response.json().catch(() => ({}))) as { validationResponse?: string };
    if (response.status !== 200 || body.validationResponse !== validationCode) throw new Error(`the webhook did not complete the validation handshake (HTTP ${response.status})`);
    this.webhook = webhookUrl;
  }

  /** A phone sends a text. Resolves with Event Grid's HTTP status. */
  say(from: string, text: string, options: { eventId?: string; receivedAt?: string } = {}): Promise<number> {
    return this.publish('Microsoft.Communication.AdvancedMessageReceived', this.received(from, { messageType: 'text', content: text }, options.receivedAt), options.eventId);
  }

  /**
   * A phone presses a reply button or a list row of the latest message with choices it received,
   * by its label there ("c0", "c1"…): WhatsApp sends the id the service gave it and its title as
   * shown (`title` instead, when given). A label no such message has is sent as the id itself.
   */
  press(from: string, key: string, title?: string, options: { eventId?: string } = {}): Promise<number> {
    const latest = this.inbox(from).findLast((m) => m.choices?.length);
    const choice = latest?.choices?.find((c) => c.key === key);
    return this.pressId(from, choice?.id ?? key, title ?? choice?.title ?? '', { ...options, row: choice?.row ?? false });
  }

  /** A phone presses a button (or, `row`, a list row) with this id and title, as Event Grid delivers it: any message's, or an id the service never sent. */
  pressId(from: string, id: string, title: string, options: { eventId?: string; row?: boolean } = {}): Promise<number> {
    const interactive = options.row ? { type: 'listReply', listReply: { id, title } } : { type: 'buttonReply', buttonReply: { id, title } };
    return this.publish('Microsoft.Communication.AdvancedMessageReceived', this.received(from, { messageType: 'interactive', interactive }), options.eventId);
  }

  /** A phone sends a photo (kept here for the media download). */
  photo(from: string, bytes: Buffer, caption = '', contentType = 'image/jpeg'): Promise<number> {
    const id = randomUUID();
    this.media.set(id, { bytes, contentType });
    return this.publish('Microsoft.Communication.AdvancedMessageReceived', this.received(from, { messageType: 'image', media: { id, mimeType: contentType, ...(caption ? { caption } : {}) } }));
  }

  /** A phone sends an SMS to the service's number. */
  sms(from: string, text: string): Promise<number> {
    return this.publish('Microsoft.Communication.SMSReceived', { messageId: randomUUID(), from, to: '+27110000000', message: text, receivedTimestamp: new Date().toISOString() });
  }

  /** Posts one event as Event Grid does (a batch of one), with the subscription's URL. */
  async publish(eventType: string, data: Record<string, unknown>, id: string = randomUUID(), url = this.webhook): Promise<number> {
    if (!url) throw new Error('no webhook subscribed yet');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: JSON.stringify([{ id, topic: '/subscriptions/local/providers/microsoft.communication/communicationservices/local', subject: 'advancedMessage', eventType, eventTime: new Date().toISOString(), data, dataVersion: '1.0', metadataVersion: '1' }]),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** What a number has received so far (after message `after`). */
  inbox(number: string, after = 0): Received[] {
    return (this.inboxes.get(number) ?? []).filter((m) => m.n > after);
  }

  /** Waits until a number has received a message matching `test` (after `after`), at most `ms`. */
  async waitFor(number: string, test: (m: Received) => boolean, after = 0, ms = 10_000): Promise<Received> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.inbox(number, after).find(test);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no message for ${number} matched within ${ms} ms; received:\n${this.inbox(number, after).map((m) => m.text).join('\n---\n')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
    }
  }

  /** The number of messages a number has received (a mark to wait after). */
  mark(number: string): number {
    return this.inboxes.get(number)?.at(-1)?.n ?? 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private received(from: string, content: Record<string, unknown>, receivedAt = new Date().toISOString()): Record<string, unknown> {
    return { ...content, channelType: 'whatsapp', messageId: randomUUID(), from: from.replace(/^\+/, ''), to: this.channelRegistrationId, receivedTimestamp: receivedAt };
  }

  private deliverTo(number: string, m: Omit<Received, 'n'>): void {
    const list = this.inboxes.get(number) ?? [];
    list.push({ ...m, n: ++this.counter });
    this.inboxes.set(number, list);
    for (const w of this.waiters.splice(0)) w();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.endpoint);
    const send = (status: number, body?: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body === undefined ? '' : Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    // The phone's own API (no signature: it is the person, not the service).
    // The phone's own routes: a failure (the service not answering) is answered, never thrown, so
    // the stand-in (and npm start with it) keeps running.
    if (url.pathname.startsWith('/_phone/'))
      return this.servePhone(req.method ?? 'GET', url, raw, send).catch((error: unknown) =>
        send(502, { error: { code: 'ServiceUnreachable', message: error instanceof Error ? error.message : String(error) } }),
      );
    this.requests.push({ method: req.method ?? '', path: url.pathname });
    const refusal = this.refuseNext.shift();
    if (refusal) {
      res.writeHead(refusal, { 'content-type': 'application/json', ...(refusal === 429 ? { 'retry-after': '1' } : {}) });
      res.end(JSON.stringify({ error: { code: refusal === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: 'Try again later.' } }));
      return;
    }
    // As ACS: the signature over method, path and query, date, host and body hash.
    const expected = hmacHeaders(this.accessKey, req.method ?? 'GET', url, raw, new Date(String(req.headers['x-ms-date'])));
    if (req.headers.authorization !== expected.authorization || req.headers['x-ms-content-sha256'] !== expected['x-ms-content-sha256'])
      return send(401, { error: { code: 'Denied', message: 'Denied by the resource provider: the request signature is not valid.' } });
    if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'MissingApiVersion', message: 'The api-version query parameter is required.' } });

    if (req.method === 'POST' && url.pathname === '/messages/notifications:send') {
      const body = JSON.parse(raw) as { channelRegistrationId?: string; to?: string[]; kind?: string };
      if (body.channelRegistrationId !== this.channelRegistrationId) return send(400, { error: { code: 'InvalidChannel', message: 'Unknown channel registration id.' } });
      const to = body.to?.[0] ?? '';
      const messageId = randomUUID();
      const choices = choicesOf(body as Record<string, unknown>);
      this.deliverTo(to, { channel: 'whatsapp', messageId, body: body as Record<string, unknown>, text: shown(body as Record<string, unknown>), ...(choices.length ? { choices } : {}) });
      send(202, { receipts: [{ messageId, to }] });
      // The delivery status, a moment later, as WhatsApp reports it.
      setTimeout(() => {
        if (!this.webhook) return;
        const failed = this.failing.has(to);
        void this.publish('Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated', {
          messageId,
          status: failed ? 'Failed' : 'Delivered',
          channelType: 'whatsapp',
          from: this.channelRegistrationId,
          to: to.replace(/^\+/, ''),
          receivedTimestamp: new Date().toISOString(),
          ...(failed ? { error: { channelCode: '131026', channelMessage: 'Message Undeliverable.' } } : {}),
        }).catch(() => undefined);
      }, 20).unref();
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/messages/streams/')) {
      const item = this.media.get(decodeURIComponent(url.pathname.slice('/messages/streams/'.length)));
      return item ? send(200, item.bytes, item.contentType) : send(404, { error: { code: 'NotFound', message: 'No such media.' } });
    }
    if (req.method === 'POST' && url.pathname === '/sms') {
      const body = JSON.parse(raw) as { from?: string; smsRecipients?: { to: string }[]; message?: string };
      const value = (body.smsRecipients ?? []).map((r) => {
        const messageId = randomUUID();
        if (!this.failing.has(r.to)) this.deliverTo(r.to, { channel: 'sms', messageId, body: { text: body.message ?? '', from: body.from ?? '' }, text: body.message ?? '' });
        return { to: r.to, messageId, httpStatusCode: this.failing.has(r.to) ? 400 : 202, successful: !this.failing.has(r.to), ...(this.failing.has(r.to) ? { errorMessage: 'Invalid destination.' } : {}) };
      });
      return send(202, { value });
    }
    send(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname} is not part of this stand-in.` } });
  }

  private async servePhone(method: string, url: URL, raw: string, send: (status: number, body?: unknown) => void): Promise<void> {
    const [, , number, what] = url.pathname.split('/');
    const phone = decodeURIComponent(number ?? '');
    if (method === 'GET' && what === 'inbox') return send(200, this.inbox(phone, Number(url.searchParams.get('after') ?? 0)));
    const body = JSON.parse(raw || '{}') as { text?: string; choiceId?: string; title?: string; base64?: string; caption?: string };
    if (method === 'POST' && what === 'messages') {
      const status = body.choiceId ? await this.press(phone, body.choiceId, body.title) : await this.say(phone, body.text ?? '');
      return send(200, { status });
    }
    if (method === 'POST' && what === 'photo') return send(200, { status: await this.photo(phone, Buffer.from(body.base64 ?? '', 'base64'), body.caption ?? '') });
    if (method === 'POST' && what === 'sms') return send(200, { status: await this.sms(phone, body.text ?? '') });
    send(404, {});
  }
}

type Interactive = { body: { text: string }; action: { kind: string; content: { buttons?: { id: string; title: string }[]; groups?: { items: { id: string; title: string; description?: string }[] }[] } } };

/** An interactive message's buttons or rows, labelled by place ("c0"…), with the ids and titles sent. */
function choicesOf(body: Record<string, unknown>): NonNullable<Received['choices']> {
  if (body.kind !== 'interactive') return [];
  const m = body.interactiveMessage as Interactive;
  const buttons = m.action.content.buttons?.map((b) => ({ id: b.id, title: b.title, row: false, description: undefined }));
  const options = buttons ?? m.action.content.groups?.flatMap((g) => g.items.map((r) => ({ id: r.id, title: r.title, row: true, description: r.description }))) ?? [];
  return options.map((o, i) => ({ key: `c${i}`, id: o.id, title: o.title, row: o.row, ...(o.description ? { description: o.description } : {}) }));
}

/** A sent message as a phone shows it: the body text, then buttons or list rows labelled by place ("[c0] Title"). */
function shown(body: Record<string, unknown>): string {
  switch (body.kind) {
    case 'text':
      return String(body.content ?? '');
    case 'interactive': {
      const m = body.interactiveMessage as Interactive;
      // A list row's description under its title, as WhatsApp shows it.
      return [m.body.text, ...choicesOf(body).map((o) => `[${o.key}] ${o.title}${o.description ? `\n     ${o.description}` : ''}`)].join('\n');
    }
    case 'template': {
      const tpl = body.template as { name: string; values?: { text?: string }[] };
      return `(template ${tpl.name}) ${(tpl.values ?? []).map((v) => v.text).join(' | ')}`;
    }
    default:
      return JSON.stringify(body);
  }
}
