/**
 * The public chat page: Bot Framework Web Chat (minimal bundle) through Direct Line, with a token
 * from the service (`POST /api/webchat/token`; the secret stays there). The conversation is kept
 * in this browser (its id, our random user id, the service's resume key and the watermark: no
 * name, number or message) so a reload or a return resumes it; "Clear this chat" forgets it.
 */
import ReactWebChat, { createDirectLine, createStore, hooks } from 'botframework-webchat/minimal';
import { createRoot } from 'react-dom/client';
import { AdaptiveCardView } from './card';

const KEPT = 'ratepayer-desk.webchat';
const CARD = 'application/vnd.microsoft.card.adaptive';

interface Config {
  programme: string;
  categories: { code: string; name: string }[];
}

interface Kept {
  conversationId: string;
  userId: string;
  resumeKey: string;
  watermark?: string;
}

interface Token extends Kept {
  token: string;
  domain: string;
}

const config = JSON.parse(document.getElementById('desk-config')?.textContent ?? '{}') as Config;
const statusLine = document.getElementById('status')!;

function show(text: string, state: 'busy' | 'ready' | 'error' = 'busy'): void {
  statusLine.textContent = text;
  statusLine.dataset.state = state;
}

function readKept(): Kept | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(KEPT) ?? 'null') as Kept | null;
    return kept && typeof kept.conversationId === 'string' && typeof kept.resumeKey === 'string' && typeof kept.userId === 'string' ? kept : undefined;
  } catch {
    return undefined;
  }
}

function keep(kept: Kept): void {
  try {
    localStorage.setItem(KEPT, JSON.stringify(kept));
  } catch {
    // Storage off (private mode): the chat works, it just cannot be resumed after a reload.
  }
}

document.getElementById('forget')!.addEventListener('click', () => {
  localStorage.removeItem(KEPT);
  location.reload();
});

/** The category of the page's link, if it names one of the programme's. */
const category = config.categories?.find((c) => c.code === new URLSearchParams(location.search).get('category'));
if (category) document.getElementById('category')!.textContent = category.name;

async function fetchToken(kept: Kept | undefined): Promise<Token> {
  const response = await fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kept ? { conversationId: kept.conversationId, userId: kept.userId, resumeKey: kept.resumeKey } : {}),
  });
  // A conversation that cannot be resumed (ended, or kept by an older setup): start a new one.
  if (kept && (response.status === 403 || response.status === 410)) {
    localStorage.removeItem(KEPT);
    return fetchToken(undefined);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Token> & { message?: string };
  if (!response.ok || !body.token) throw new Error(body.message ?? 'The chat could not start: please reload the page in a minute.');
  return { ...(body as Token), ...(kept?.watermark ? { watermark: kept.watermark } : {}) };
}

/** Renders a card attachment with the card view; everything else as Web Chat does. */
function CardAttachment(props: { content: Record<string, unknown>; fallback: string }) {
  const sendPostBack = hooks.useSendPostBack();
  return <AdaptiveCardView content={props.content} fallback={props.fallback} submit={(value) => sendPostBack(value)} />;
}

/** What Web Chat passes an attachment renderer (the parts read here; its own type is wider). */
type AttachmentArgs = { attachment: { contentType: string; content?: unknown }; activity: { text?: string; summary?: string } };

const attachmentMiddleware =
  () =>
  (next: (args: any) => any) =>
  (args: any) => {
    const { attachment, activity } = (args ?? {}) as Partial<AttachmentArgs>;
    return attachment?.contentType === CARD && attachment.content && typeof attachment.content === 'object' ? (
      <CardAttachment content={attachment.content as Record<string, unknown>} fallback={activity?.summary ?? activity?.text ?? ''} />
    ) : (
      next(args)
    );
  };

async function start(): Promise<void> {
  const kept = readKept();
  const token = await fetchToken(kept);
  const resumed = !!kept && kept.conversationId === token.conversationId;
  const directLine = createDirectLine({
    token: token.token,
    domain: token.domain,
    ...(resumed ? { conversationId: token.conversationId, ...(token.watermark ? { watermark: token.watermark } : {}) } : {}),
  });
  const saved: Kept = { conversationId: token.conversationId, userId: token.userId, resumeKey: token.resumeKey, ...(token.watermark ? { watermark: token.watermark } : {}) };
  keep(saved);
  // The watermark after every activity, so a return replays only what came since.
  directLine.activity$.subscribe(() => {
    const watermark = (directLine as unknown as { watermark?: string }).watermark;
    if (watermark && watermark !== saved.watermark) keep(Object.assign(saved, { watermark }));
  });
  const store = createStore({}, ({ dispatch }: { dispatch: (action: unknown) => void }) => (next: (action: any) => any) => (action: { type: string }) => {
    if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
      show(resumed ? 'Connected: your chat is back.' : 'Connected.', 'ready');
      // A category link starts the chat as pressing that category on the welcome card would.
      if (!resumed && category) dispatch({ type: 'WEB_CHAT/SEND_POST_BACK', payload: { value: { verb: 'category.choose', category: category.code } } });
    }
    if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') show('The chat could not connect: please reload the page in a minute.', 'error');
    return next(action);
  });
  // Web Chat's renderWebChat() calls ReactDOM.render, which React 19 no longer has: its React
  // component is mounted with createRoot instead.
  createRoot(document.getElementById('webchat')!).render(
    <ReactWebChat
      directLine={directLine}
      store={store}
      userID={token.userId}
      locale={navigator.language || 'en-ZA'}
      attachmentMiddleware={attachmentMiddleware}
      styleOptions={{ hideUploadButton: true, rootHeight: '100%', bubbleMaxWidth: 600, sendBoxTextWrap: true }}
    />,
  );
}

start().catch((error: unknown) => show(error instanceof Error ? error.message : 'The chat could not start: please reload the page in a minute.', 'error'));
