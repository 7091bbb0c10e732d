/**
 * The ACS Advanced Messaging REST API for WhatsApp, as this service uses it
 * (POST {endpoint}/messages/notifications:send, GET {endpoint}/messages/streams/{id}): text,
 * interactive reply buttons (at most 3) and lists (at most 10 rows), approved templates, and the
 * download of a photo a person sent. Shapes as in the api-version below (Azure REST API specs,
 * specification/communication/Communication.Messages).
 */
import { AcsClient } from '../acs/client.js';

/**
 * The api-version sent: the first whose interactive messages have the `action` shape used here
 * (`whatsAppButtonAction` / `whatsAppListAction`). Check it against the resource before deploying
 * (docs/whatsapp.md).
 */
const MESSAGES_API_VERSION = '2025-01-15-preview';

/**
 * WhatsApp's limits on interactive messages, in characters (Meta's Cloud API reference: a reply
 * button's title 20, a list row's title 24 and its description 72, the body 1024): titles are cut
 * to fit.
 */
const BUTTON_TITLE = 20;
const ROW_TITLE = 24;
const ROW_DESCRIPTION = 72;
const BODY = 1024;

const cut = (s: string, n: number) => ([...s].length <= n ? s : [...s].slice(0, n - 1).join('') + '…');

/**
 * Whether `pressed`, the title WhatsApp sent with a pressed button or list row, is `title` as it
 * was sent: whole, or cut to fit a button or a row (WhatsApp echoes what it showed).
 */
export function isTitleAsSent(pressed: string, title: string): boolean {
  return pressed === title || pressed === cut(title, BUTTON_TITLE) || pressed === cut(title, ROW_TITLE);
}

/** What can be sent on WhatsApp. */
export type WhatsAppContent =
  | { kind: 'text'; text: string }
  | { kind: 'buttons'; text: string; buttons: { id: string; title: string }[] }
  | { kind: 'list'; text: string; button: string; rows: { id: string; title: string; description?: string }[] }
  | { kind: 'template'; name: string; language: string; params: string[] };

/** The body of one send to one recipient. */
function notificationBody(channelRegistrationId: string, to: string, content: WhatsAppContent): Record<string, unknown> {
  const base = { channelRegistrationId, to: [to] };
  switch (content.kind) {
    case 'text':
      return { ...base, kind: 'text', content: content.text };
    case 'buttons':
      return {
        ...base,
        kind: 'interactive',
        interactiveMessage: {
          body: { kind: 'text', text: cut(content.text, BODY) },
          action: { kind: 'whatsAppButtonAction', content: { kind: 'buttonSet', buttons: content.buttons.map((b) => ({ id: b.id, title: cut(b.title, BUTTON_TITLE) })) } },
        },
      };
    case 'list':
      return {
        ...base,
        kind: 'interactive',
        interactiveMessage: {
          body: { kind: 'text', text: cut(content.text, BODY) },
          action: {
            kind: 'whatsAppListAction',
            content: {
              kind: 'group',
              title: cut(content.button, BUTTON_TITLE),
              groups: [
                {
                  title: cut(content.button, ROW_TITLE),
                  items: content.rows.map((r) => {
                    // A title too long for a row is shortened there and given whole as the row's
                    // description, which WhatsApp shows under it ("Rekening- en faktuurnav…", then
                    // "Rekening- en faktuurnavrae"). No description at all otherwise: it is optional.
                    const cutTitle = [...r.title].length > ROW_TITLE;
                    const description = cutTitle ? (r.description ? `${r.title}: ${r.description}` : r.title) : r.description;
                    return { id: r.id, title: cut(r.title, ROW_TITLE), ...(description ? { description: cut(description, ROW_DESCRIPTION) } : {}) };
                  }),
                },
              ],
            },
          },
        },
      };
    case 'template':
      return {
        ...base,
        kind: 'template',
        template: {
          name: content.name,
          language: content.language,
          values: content.params.map((text, i) => ({ name: `p${i + 1}`, kind: 'text', text })),
          bindings: { kind: 'whatsApp', body: content.params.map((_, i) => ({ refValue: `p${i + 1}` })) },
        },
      };
  }
}

/** The WhatsApp channel of one ACS resource. */
export class WhatsAppMessages {
  constructor(
    private readonly client: AcsClient,
    /** The channel registration id of the City's WhatsApp Business number in the ACS resource (a GUID). */
    readonly channelRegistrationId: string,
  ) {}

  /** Sends one message; resolves with ACS's message id (its delivery status events name it). */
  async send(to: string, content: WhatsAppContent): Promise<string> {
    const response = await this.client.request('POST', `/messages/notifications:send?api-version=${MESSAGES_API_VERSION}`, notificationBody(this.channelRegistrationId, to, content));
    const body = (await response.json()) as { receipts?: { messageId?: string }[] };
    return body.receipts?.[0]?.messageId ?? '';
  }

  /** Downloads what a person sent (a photo): its bytes and type. */
  async media(id: string): Promise<{ bytes: Buffer; contentType: string }> {
    const response = await this.client.request('GET', `/messages/streams/${encodeURIComponent(id)}?api-version=${MESSAGES_API_VERSION}`);
    return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  }
}
