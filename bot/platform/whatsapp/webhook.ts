/**
 * The webhook Event Grid delivers Communication Services events to: POST /api/whatsapp/events
 * (Event Grid schema). Only the configured subscription is accepted: its URL carries a secret of
 * the service's own (?key=…), compared in constant time; anything else gets 401 before it is
 * read. The subscription-validation handshake is answered with the validation code. Received
 * WhatsApp messages go to the channel (bot/platform/whatsapp/channel.ts), delivery statuses too;
 * received SMS to the SMS handler. A message from a conversation over its rate limit is skipped
 * (Event Grid is told it was taken, so it is not sent again). A failure answers 500, so Event
 * Grid delivers the event again later (it is processed once: event ids are recorded).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import { RateLimiter, type RateLimit } from '../http/rateLimiter.js';
import { log } from '../log.js';
import type { InboundWhatsApp, WhatsAppChannel } from './channel.js';

/** The path of the webhook. */
const WHATSAPP_EVENTS_PATH = '/api/whatsapp/events';

/** An Event Grid event (Event Grid schema), as much as is read here. */
interface GridEvent {
  id?: unknown;
  eventType?: unknown;
  data?: Record<string, unknown>;
}

/** What the webhook hands events to. */
export interface WebhookDeps {
  secret: string;
  whatsapp?: WhatsAppChannel;
  /** Received SMS ("STOP", "STATUS <reference>"): bot/platform/sms/notices.ts. */
  sms?: { received(from: string, text: string, eventId: string): Promise<void> };
  /** Per conversation (a sender's number): as on the bot endpoint. */
  rateLimit: RateLimit;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether the request carries the subscription's secret (compared in constant time, whatever its length). */
function authorised(req: restify.Request, secret: string): boolean {
  const key = new URL(req.url ?? '/', 'http://x').searchParams.get('key') ?? '';
  return secret.length > 0 && timingSafeEqual(digest(key), digest(secret));
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
/** ACS gives WhatsApp numbers as digits ("27821234567"): E.164 with its plus. */
const e164 = (v: unknown) => {
  const s = str(v).replace(/[^\d+]/g, '');
  return s.startsWith('+') ? s : s ? `+${s}` : '';
};

/** A received WhatsApp message, as the channel takes it. */
function inbound(event: GridEvent): InboundWhatsApp | undefined {
  const d = event.data ?? {};
  const from = e164(d.from);
  if (!from || typeof event.id !== 'string') return undefined;
  const interactive = (d.interactive ?? {}) as { buttonReply?: { id?: unknown; title?: unknown }; listReply?: { id?: unknown; title?: unknown } };
  const reply = interactive.buttonReply ?? interactive.listReply;
  const button = (d.button ?? {}) as { text?: unknown; payload?: unknown };
  const media = (d.media ?? {}) as { id?: unknown; mimeType?: unknown; caption?: unknown };
  return {
    eventId: event.id,
    from,
    text: str(d.content) || str(media.caption) || str(button.text) || str(reply?.title),
    ...(reply && str(reply.id) ? { choiceId: str(reply.id) } : {}),
    ...(str(media.id) ? { media: { id: str(media.id), mimeType: str(media.mimeType) } } : {}),
    receivedAt: str(d.receivedTimestamp) || new Date().toISOString(),
  };
}

/** Registers the webhook. */
export function registerWhatsAppWebhook(server: restify.Server, deps: WebhookDeps): void {
  const limiter = new RateLimiter(deps.rateLimit);
  server.post(WHATSAPP_EVENTS_PATH, async (req: restify.Request, res: restify.Response) => {
    res.header('cache-control', 'no-store');
    if (!authorised(req, deps.secret)) {
      res.send(401, { error: 'unauthorised', message: 'This webhook takes events only from its Event Grid subscription.' });
      return;
    }
    const events: GridEvent[] = Array.isArray(req.body) ? (req.body as GridEvent[]) : [];
    if (!events.length) {
      res.send(400, { error: 'invalid', message: 'Send an array of Event Grid events.' });
      return;
    }
    try {
      for (const event of events) {
        const type = str(event.eventType);
        if (type === 'Microsoft.EventGrid.SubscriptionValidationEvent') {
          res.send(200, { validationResponse: str(event.data?.validationCode) });
          return;
        }
        if (type === 'Microsoft.Communication.AdvancedMessageReceived' && deps.whatsapp) {
          const message = inbound(event);
          if (!message) continue;
          if (!limiter.take(message.from).ok) {
            log.warn({ component: 'whatsapp' }, 'a WhatsApp message was skipped: its sender is over the rate limit');
            continue;
          }
          await deps.whatsapp.receive(message);
        } else if (type === 'Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated' && deps.whatsapp) {
          const d = event.data ?? {};
          const error = (d.error ?? {}) as { channelCode?: unknown; channelMessage?: unknown };
          await deps.whatsapp.deliveryStatus({
            to: e164(d.to),
            messageId: str(d.messageId),
            status: str(d.status),
            ...(str(error.channelMessage) ? { error: `${str(error.channelMessage)}${str(error.channelCode) ? `, code ${str(error.channelCode)}` : ''}` } : {}),
          });
        } else if (type === 'Microsoft.Communication.SMSReceived' && deps.sms) {
          const d = event.data ?? {};
          const from = e164(d.from);
          if (!from || !limiter.take(from).ok) continue;
          await deps.sms.received(from, str(d.message), str(event.id));
        }
      }
      res.send(200, {});
    } catch (error) {
      log.error({ err: error, component: 'whatsapp' }, 'an Event Grid event could not be processed; Event Grid will deliver it again');
      res.send(500, { error: 'failed', message: 'The event could not be processed now; it will be delivered again.' });
    }
  });
}
