/**
 * Web Chat on the public page, loaded after the bot's first message (src/main.ts shows that one
 * itself): Bot Framework Web Chat's minimal bundle through Direct Line, Adaptive Cards by the
 * card view (src/card.tsx), Adaptive Cards read to screen readers in their own words.
 */
import ReactWebChat, { createDirectLine, createStore, hooks } from 'botframework-webchat/minimal';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { forgetTyped, openFormOf, rememberTyped, typedIn, withTyped, withValues } from './openForm';
import { AdaptiveCardView, cardSpeech } from './card';
import { keep, readKept, show, words, type Kept, type Token } from './kept';
import { currentConfig, onLanguageChange, servedLanguageOf, switchLanguage } from './pageLanguage';

const CARD = 'application/vnd.microsoft.card.adaptive';

/** Web Chat's own words in the page's language, written into the page by the service (page.ts, catalogue webchat.ui.*). */
interface WebChatWords {
  /** BCP 47, the page's language in South Africa: "zu-ZA". */
  locale: string;
  /** Web Chat's strings by its ids ("TEXT_INPUT_PLACEHOLDER"), with its $1… and [text][RETRY] kept. */
  strings: Record<string, string>;
  /** "$1 minutes ago", "$1 hours ago". */
  minutesAgo: string;
  hoursAgo: string;
  /** January … December. */
  months: string[];
}

/** Web Chat's words now: the page's language, then the chat's when the ratepayer changes it (src/pageLanguage.ts). */
let ui = currentConfig().webChat as WebChatWords | undefined;

/**
 * Web Chat's date library, in the page's language. Web Chat 4.18 formats "5 minutes ago", "2 hours
 * ago", plurals, file sizes and older messages' dates with precompiled Globalize data for its own
 * languages only, English for the rest; a `GLOBALIZE` in the strings replaces it. Intl cannot
 * stand in: Chromium has no isiZulu, isiXhosa, Sepedi, Sesotho or Setswana data and would answer
 * in English. So the words are the catalogue's; numbers, plurals and sizes are Intl's in the
 * language where the browser has it, South African English otherwise (isiZulu's plurals are
 * English's one/other).
 */
function globalizeFor(words: WebChatWords) {
  const intl = Intl.PluralRules.supportedLocalesOf(words.locale).length ? words.locale : 'en-ZA';
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    // Web Chat asks with the skeleton MMMMdhm: "30 November, 08:05" (24-hour, as the bot writes times).
    dateFormatter: () => (date: Date) => `${date.getDate()} ${words.months[date.getMonth()] ?? ''}, ${two(date.getHours())}:${two(date.getMinutes())}`,
    // Called with a negative count (the past).
    relativeTimeFormatter: (unit: 'hour' | 'minute') => (count: number) => (unit === 'hour' ? words.hoursAgo : words.minutesAgo).replace('$1', String(Math.abs(count))),
    plural: (count: number) => new Intl.PluralRules(intl).select(count),
    unitFormatter: (unit: string, options: { form?: 'long' | 'short' }) => (count: number) =>
      new Intl.NumberFormat(intl, { style: 'unit', unit, unitDisplay: options?.form === 'long' ? 'long' : 'short' }).format(count),
  };
}

/**
 * Our strings in every language, English included, rather than Web Chat's: it ships none of the
 * programme's other languages (4.18 maps "af" and the rest to its en-US strings; Dutch is not
 * Afrikaans), and its English asks a ratepayer to "check the console or contact the bot
 * developer"; the catalogues' English is reviewed with the page's own words.
 */
const overrideLocalizedStrings = (words: WebChatWords | undefined) => (words ? { ...words.strings, GLOBALIZE: globalizeFor(words) } : undefined);

/**
 * The form this person has just sent (its verb and the filling-in it belongs to: the intake's
 * draftId, the details' case reference), until its answer arrives. A form the service sends back
 * for it (the same verb and filling-in, with errors under fields) focuses its first field in
 * error; any other card, a replayed one after a reload included, takes no focus.
 */
let awaitingAnswerTo: string | undefined;

/** "intake.submit d6c1…": what identifies a form's filling-in, from a submit's data. */
function formKey(data: Record<string, unknown> | undefined): string | undefined {
  const verb = data?.verb;
  const which = data?.draftId ?? data?.reference;
  return (verb === 'intake.submit' || verb === 'details.submit') && typeof which === 'string' && which ? `${verb} ${which}` : undefined;
}

/** The key of a card's submit action (formKey), if it is a form. */
function cardFormKey(content: Record<string, unknown>): string | undefined {
  const actions = Array.isArray(content.actions) ? (content.actions as { data?: Record<string, unknown> }[]) : [];
  for (const action of actions) {
    const key = formKey(action?.data);
    if (key) return key;
  }
  return undefined;
}

/** Whether focus is somewhere the person is typing outside the cards (the send box): not to be taken from them. */
function typingElsewhere(): boolean {
  const active = document.activeElement;
  return !!active && active !== document.body && !active.closest('.card') && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
}

/**
 * The form as it is drawn once the same filling-in's form has come again below it (in another
 * language, src/openForm.ts): its buttons disabled (Adaptive Cards 1.5 `isEnabled`), so only the
 * newest one is sent. Sent after its successor, it corrected the case with what it still held (the
 * first language's text, then taken for the new language's; tester 9, finding 2).
 */
function superseded(content: Record<string, unknown>): Record<string, unknown> {
  const actions = Array.isArray(content.actions) ? (content.actions as Record<string, unknown>[]) : [];
  return { ...content, actions: actions.map((action) => ({ ...action, isEnabled: false })) };
}

/**
 * The forms answered once: in Teams the service replaces each, once used, with its receipt
 * ("sent", "your answer was 4": `replacesPressed`, bot/platform/teams/context.ts). Direct Line
 * cannot update a message it carried (the channel answers "This channel does not support this
 * operation"; BotFramework-WebChat#2426), so on the page such a form stayed as it came: after a
 * reload the answered survey showed blank with its Send button live, and the sent intake form its
 * "Join the queue" (seen in session 9). The page draws them as sent itself (CardAttachment).
 */
const ANSWERED_ONCE = new Set(['intake.submit', 'details.submit', 'survey.submit', 'case.endChat']);

/** "survey.submit K7M3PQ": a once-answered form's verb and filling-in (draftId, else the case reference), from a submit's data. */
function answeredOnceKey(data: unknown): string | undefined {
  const value = data && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  const verb = value?.verb;
  const which = value?.draftId ?? value?.reference;
  return typeof verb === 'string' && ANSWERED_ONCE.has(verb) && typeof which === 'string' && which ? `${verb} ${which}` : undefined;
}

/** The parts of Web Chat's activities read to find a form's send. */
type SentLike = { id?: string; from?: { role?: string }; value?: unknown; channelData?: { state?: string; clientActivityID?: string } };

/**
 * The sends (Web Chat's clientActivityID) whose POST to Direct Line failed: known at once, where
 * Web Chat marks such a send "send failed" only when its sendTimeout (20 s) runs out waiting for
 * the echo. Direct Line JS answers a failed POST (no connection, a 5xx) with "retry" rather than
 * an error (its catchPostError), so Web Chat keeps waiting; the page tells the person at the press.
 */
const failedSends = new Set<string>();
const failedListeners = new Set<() => void>();
let failedVersion = 0;
function markFailed(clientActivityID: unknown): void {
  if (typeof clientActivityID !== 'string' || failedSends.has(clientActivityID)) return;
  failedSends.add(clientActivityID);
  failedVersion += 1;
  failedListeners.forEach((listener) => listener());
}
const subscribeFailed = (listener: () => void) => {
  failedListeners.add(listener);
  return () => failedListeners.delete(listener);
};

/** A send that did not reach the service: Web Chat's "send failed" (its timeout), or its POST failed (failedSends). */
function sendFailed(activity: SentLike): boolean {
  const state = activity.channelData?.state;
  return state === 'send failed' || (state === 'sending' && failedSends.has(activity.channelData?.clientActivityID ?? ''));
}

/** The person's sends of this once-answered form (same verb and filling-in) after the card came, oldest first. */
function sendsOf(activities: readonly SentLike[], activityId: string | undefined, content: Record<string, unknown>): SentLike[] {
  const actions = Array.isArray(content.actions) ? (content.actions as { data?: unknown }[]) : [];
  const keys = new Set(actions.map((action) => answeredOnceKey(action?.data)).filter((key): key is string => !!key));
  if (!keys.size || !activityId) return [];
  const at = activities.findIndex((a) => a.id === activityId);
  if (at < 0) return [];
  return activities.slice(at + 1).filter((a) => a.from?.role === 'user' && keys.has(answeredOnceKey(a.value) ?? ''));
}

/**
 * What the person sent from a once-answered form (the submit's values), if they sent it after the
 * card came: their own message carrying the same verb and filling-in, live or replayed after a
 * reload (Direct Line keeps the person's submits in the conversation). A send that failed does not
 * count: the form can be sent again. `echoed`: the service has it (not still on its way).
 */
function sentFrom(sends: readonly SentLike[]): { values: Record<string, unknown>; echoed: boolean } | undefined {
  const sent = sends.find((a) => !sendFailed(a));
  return sent ? { values: sent.value as Record<string, unknown>, echoed: sent.channelData?.state !== 'sending' } : undefined;
}

/** Renders a card attachment with the card view; everything else as Web Chat does. */
function CardAttachment(props: { content: Record<string, unknown>; fallback: string; activityId?: string }) {
  const [activities] = hooks.useActivities();
  const sendPostBack = hooks.useSendPostBack();
  const submit = (value: Record<string, unknown>) => {
    // A category chosen on the welcome card is this chat's too: its link (the SMS's) then sends no second form.
    const kept = value.verb === 'category.choose' && typeof value.category === 'string' ? readKept() : undefined;
    if (kept) keep({ ...kept, category: value.category as string });
    awaitingAnswerTo = formKey(value);
    sendPostBack(value);
  };
  // Asked once the card is drawn: the answer to the form just sent, while the person is not typing elsewhere.
  const focusFirstError = () => {
    const key = cardFormKey(props.content);
    if (!key || key !== awaitingAnswerTo) return false;
    awaitingAnswerTo = undefined;
    return !typingElsewhere();
  };
  const key = cardFormKey(props.content);
  // Sends that failed redraw the card: its values, enabled, with the page's "not sent" line.
  useSyncExternalStore(subscribeFailed, () => failedVersion);
  const sends = sendsOf(activities as SentLike[], props.activityId, props.content);
  // Sent: drawn with what was sent in it and its buttons disabled, as Teams shows its receipt instead.
  const sent = sentFrom(sends);
  // Every send of it failed (the connection dropped at the press; tester 11, finding 1): the form
  // as it was sent, with anything typed since, to be pressed again. Before, the card fell back to
  // its content as it came, empty, when Web Chat's sendTimeout (20 s) turned the send from
  // "sending" (drawn as sent) to "send failed".
  const lastFailed = !sent && sends.length > 0 ? sends[sends.length - 1] : undefined;
  const failed = lastFailed?.value as Record<string, unknown> | undefined;
  // Taken when the failure shows (not at each keystroke after it, which would redraw the card under her fingers).
  const failedValues = useMemo(() => (failed && key ? JSON.stringify({ ...failed, ...typedIn(key) }) : undefined), [lastFailed, key]);
  const sentValues = sent ? JSON.stringify(sent.values) : undefined;
  // The service has it: what was typed in it need not be kept any longer (src/openForm.ts).
  useEffect(() => {
    if (sent?.echoed && key) forgetTyped(key);
  }, [sent?.echoed, key]);
  // The same filling-in's form again (sent in another language, or after a reload) shows what was
  // typed in the first; a form sent back for the person's own send shows what the service kept (the answer to it).
  const content = useMemo(() => {
    if (failedValues) return withValues(props.content, JSON.parse(failedValues) as Record<string, unknown>);
    return key?.startsWith('intake.submit ') && key !== awaitingAnswerTo ? withTyped(props.content, key) : props.content;
  }, [props.content, key, failedValues]);
  // A later message of the bot's carrying the same filling-in's form: this one is no longer the one to send.
  const replaced = useMemo(() => {
    if (!key?.startsWith('intake.submit ') || !props.activityId) return false;
    const at = activities.findIndex((a: { id?: string }) => a.id === props.activityId);
    return at >= 0 && activities.slice(at + 1).some((a: { from?: { role?: string }; attachments?: { contentType?: string; content?: unknown }[] }) =>
      a.from?.role !== 'user' && (a.attachments ?? []).some((x) => x.contentType === CARD && !!x.content && typeof x.content === 'object' && cardFormKey(x.content as Record<string, unknown>) === key),
    );
  }, [activities, props.activityId, key]);
  const sentContent = useMemo(() => (sentValues ? superseded(withValues(props.content, JSON.parse(sentValues) as Record<string, unknown>)) : undefined), [sentValues, props.content]);
  if (sentContent) return <AdaptiveCardView content={sentContent} fallback={props.fallback} submit={() => undefined} />;
  if (replaced) return <AdaptiveCardView content={superseded(props.content)} fallback={props.fallback} submit={() => undefined} />;
  const onTyped = key?.startsWith('intake.submit ') ? (values: Record<string, string>) => rememberTyped(key, values) : undefined;
  const view = <AdaptiveCardView content={content} fallback={props.fallback} submit={submit} focusFirstError={focusFirstError} {...(onTyped ? { onTyped } : {})} />;
  if (!failed) return view;
  // Next to the form, in the page's language (catalogue webchat.page.sendFailed); an alert, so a
  // screen reader says it at once.
  return (
    <div>
      {view}
      <p className="send-failed" role="alert">
        {words.sendFailed}
      </p>
    </div>
  );
}

/** What Web Chat passes an attachment renderer (the parts read here; its own type is wider). */
type AttachmentArgs = { attachment: { contentType: string; content?: unknown }; activity: { id?: string; text?: string; summary?: string } };

const attachmentMiddleware =
  () =>
  (next: (args: any) => any) =>
  (args: any) => {
    const { attachment, activity } = (args ?? {}) as Partial<AttachmentArgs>;
    return attachment?.contentType === CARD && attachment.content && typeof attachment.content === 'object' ? (
      <CardAttachment content={attachment.content as Record<string, unknown>} fallback={activity?.summary ?? activity?.text ?? ''} {...(activity?.id ? { activityId: activity.id } : {})} />
    ) : (
      next(args)
    );
  };

/**
 * What a screen reader hears of a card in Web Chat's live region and its message's label: the
 * card's own words (cardSpeech), where Web Chat has no reader of Adaptive Cards in its minimal
 * bundle and would say only "1 attachment". Web Chat renders the component this returns and
 * reads its text; other attachments go on to Web Chat's own.
 */
const attachmentForScreenReaderMiddleware =
  () =>
  (next: (...args: any[]) => any) =>
  (...args: any[]) => {
    const { attachment } = (args[0] ?? {}) as Partial<AttachmentArgs>;
    if (attachment?.contentType !== CARD || !attachment.content || typeof attachment.content !== 'object') return next(...args);
    const said = cardSpeech(attachment.content);
    // Each phrase a sentence of its own, so a reader pauses between them.
    return () => <span>{said.map((phrase) => (/[.!?:…]$/.test(phrase) ? phrase : `${phrase}.`)).join(' ')}</span>;
  };

/** What the page hands Web Chat: a token for the conversation and where it stands. */
export interface ChatStart {
  token: Token;
  /** A conversation kept in this browser, resumed (else one the page has just started). */
  resumed: boolean;
  /** Where Web Chat's stream starts: '0' replays the whole conversation. */
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
  // A POST that fails is known at once (failedSends); the send itself still goes through Web Chat.
  const post = directLine.postActivity.bind(directLine);
  directLine.postActivity = ((activity: { channelData?: { clientActivityID?: string } }) => {
    const source = post(activity as never);
    const id = activity?.channelData?.clientActivityID;
    return {
      subscribe(observer: any, ...rest: any[]) {
        const o = typeof observer === 'function' ? { next: observer, error: rest[0], complete: rest[1] } : (observer ?? {});
        return source.subscribe({
          next: (value: unknown) => {
            if (value === 'retry') markFailed(id);
            o.next?.(value);
          },
          error: (error: unknown) => {
            markFailed(id);
            o.error?.(error);
          },
          complete: () => o.complete?.(),
        });
      },
    };
  }) as unknown as typeof directLine.postActivity;
  const saved: Kept = { conversationId: token.conversationId, userId: token.userId, resumeKey: token.resumeKey, ...(token.category ? { category: token.category } : {}) };
  keep(saved);
  const store = createStore({}, ({ getState }: { getState: () => { activities?: unknown[] } }) => (next: (action: any) => any) => (action: { type: string }) => {
    if (action.type === 'DIRECT_LINE/POST_ACTIVITY') {
      // The unsent intake form on screen goes with each message (never what was typed in it), so a
      // language change sends it again in the new language (src/openForm.ts).
      const openForm = openFormOf((getState().activities ?? []) as never);
      const payload = (action as { payload?: { activity?: { type?: string; channelData?: Record<string, unknown> } } }).payload;
      if (openForm && payload?.activity?.type === 'message') {
        action = { ...action, payload: { ...payload, activity: { ...payload.activity, channelData: { ...payload.activity.channelData, openForm } } } } as typeof action;
      }
    }
    if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
      show(start.resumed ? words.resumed : words.connected, 'ready');
    }
    if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
      start.onShown();
      // The bot's message says its language (its `locale`): the page follows it. The person's own
      // messages echo Web Chat's locale, which follows the page, so they are passed over.
      const activity = (action as { payload?: { activity?: { type?: string; locale?: unknown; from?: { id?: string; role?: string } } } }).payload?.activity;
      const language = activity?.type === 'message' && activity.from?.id !== token.userId && activity.from?.role !== 'user' ? servedLanguageOf(activity.locale) : undefined;
      if (language) void switchLanguage(language);
    }
    if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') show(words.connectFailed, 'error');
    return next(action);
  });
  // Web Chat's renderWebChat() calls ReactDOM.render, which React 19 no longer has: its React
  // component is mounted with createRoot instead.
  const root = createRoot(document.getElementById('webchat')!);
  const styleOptions = { hideUploadButton: true, rootHeight: '100%', bubbleMaxWidth: 600, sendBoxTextWrap: true };
  // Drawn again, with the same store and connection, when the page changes language: Web Chat
  // takes its locale and strings as props, so its words change and the conversation stays.
  const draw = () =>
    root.render(
      <ReactWebChat
        directLine={directLine}
        store={store}
        userID={token.userId}
        // The page's language (its words are in it), so dates and plurals agree with the strings.
        locale={ui?.locale ?? (navigator.language || 'en-ZA')}
        // Its declared type has strings and flags only; its Composer also reads GLOBALIZE from them.
        overrideLocalizedStrings={overrideLocalizedStrings(ui) as unknown as Record<string, string>}
        attachmentMiddleware={attachmentMiddleware}
        attachmentForScreenReaderMiddleware={attachmentForScreenReaderMiddleware}
        styleOptions={styleOptions}
      />,
    );
  onLanguageChange((next) => {
    ui = next.webChat as WebChatWords | undefined;
    draw();
  });
  draw();
}
