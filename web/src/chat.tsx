/**
 * Web Chat on the public page, loaded after the bot's first message (src/main.ts shows that one
 * itself): Bot Framework Web Chat's minimal bundle through Direct Line, Adaptive Cards by the
 * card view (src/card.tsx), the watermark kept in this browser as activities arrive.
 */
import ReactWebChat, { createDirectLine, createStore, hooks } from 'botframework-webchat/minimal';
import { createRoot } from 'react-dom/client';
import { AdaptiveCardView } from './card';
import { keep, show, words, type Kept, type Token } from './kept';

const CARD = 'application/vnd.microsoft.card.adaptive';

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

/** What the page hands Web Chat: a token for the conversation and where it stands. */
export interface ChatStart {
  token: Token;
  /** A conversation kept in this browser, resumed (else one the page has just started). */
  resumed: boolean;
  /** Where Web Chat's stream starts: '0' replays the whole conversation (the page showed its start itself). */
  watermark?: string;
  /** Called once Web Chat shows the conversation (the page's own first messages can go). */
  onShown(): void;
}

/** Mounts Web Chat (minimal bundle) on #webchat. */
export function mountWebChat(start: ChatStart): void {
  const { token } = start;
  const directLine = createDirectLine({
    token: token.token,
    domain: token.domain,
    // The conversation is always started already (by the page, or before a reload).
    conversationId: token.conversationId,
    ...(start.watermark ? { watermark: start.watermark } : {}),
  });
  const saved: Kept = { conversationId: token.conversationId, userId: token.userId, resumeKey: token.resumeKey, ...(token.watermark ? { watermark: token.watermark } : {}) };
  keep(saved);
  // The watermark after every activity, so a return replays only what came since.
  directLine.activity$.subscribe(() => {
    const watermark = (directLine as unknown as { watermark?: string }).watermark;
    if (watermark && watermark !== saved.watermark) keep(Object.assign(saved, { watermark }));
  });
  const store = createStore({}, () => (next: (action: any) => any) => (action: { type: string }) => {
    if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
      show(start.resumed ? words.resumed : words.connected, 'ready');
    }
    if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') start.onShown();
    if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') show(words.connectFailed, 'error');
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
