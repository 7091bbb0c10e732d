/**
 * The conversation with the ratepayer on the case page: every message in order (theirs, the
 * expert's, and what the bot told them), each expert message with whether it reached their
 * chat, a box to write to them, and the no-show button once they have been silent long enough.
 * Everything is rendered as text: React escapes it, and only files Teams hosts (the service marks
 * them `linkable`) are links; any other address is shown as text with a warning.
 */
import { Badge, Body1, Button, Caption1, Field, Link, Subtitle2, Textarea, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { deliveryStatus, formatTime, overLimit } from '../format.js';
import type { CasePage, TranscriptEntry } from '../../../bot/platform/contract/tabApi.js';
import { COMMAND_LABELS, languageName } from '../../../bot/platform/contract/staffWords.js';
import { SentCard } from './SentCard.js';

const useStyles = makeStyles({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: '8px',
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    maxHeight: '360px',
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  message: { maxWidth: '80%', padding: '6px 10px', borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  expert: { alignSelf: 'flex-end', backgroundColor: tokens.colorBrandBackground2 },
  system: { alignSelf: 'center', maxWidth: '90%', backgroundColor: 'transparent', color: tokens.colorNeutralForeground3, textAlign: 'center' },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 },
  // A card's English, line by line, reads from the start of each line (the bot's lines are centred).
  cardWords: { textAlign: 'start' },
  original: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', color: tokens.colorNeutralForeground2, borderLeft: `2px solid ${tokens.colorNeutralStroke1}`, paddingLeft: '6px', marginTop: '4px' },
  meta: { color: tokens.colorNeutralForeground3, display: 'flex', gap: '6px', alignItems: 'center', flexWrap: 'wrap' },
  failed: { color: tokens.colorPaletteRedForeground1 },
  untrusted: { color: tokens.colorPaletteDarkOrangeForeground1, overflowWrap: 'anywhere' },
  photo: { display: 'block', maxWidth: '100%', maxHeight: '320px', marginTop: '4px', borderRadius: tokens.borderRadiusMedium },
  form: { display: 'flex', flexDirection: 'column', gap: '8px' },
  row: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  // WhatsApp's buttons or list rows under a bot line, drawn as buttons (not pressable here).
  shownChoices: { display: 'flex', gap: '4px', flexWrap: 'wrap', justifyContent: 'center', alignItems: 'center', marginTop: '4px' },
  shownChoice: {
    padding: '2px 8px',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
});

/**
 * The choices a WhatsApp ratepayer got with a bot line, as WhatsApp showed them: its reply buttons
 * or its list's rows, in their language (tester finding: the SMS numbering was shown instead).
 */
function ShownChoices(props: { choices: NonNullable<CasePage['transcript'][number]['shownChoices']>; lang: string }) {
  const styles = useStyles();
  const label = props.choices.as === 'buttons' ? 'WhatsApp buttons' : 'WhatsApp list';
  return (
    <div className={styles.shownChoices} role="group" aria-label={label} data-testid="shown-choices">
      <Caption1>{label}:</Caption1>
      {props.choices.titles.map((title, i) => (
        <Caption1 key={i} className={styles.shownChoice} lang={props.lang}>
          {title}
        </Caption1>
      ))}
    </div>
  );
}

const safeUrl = (url: string) => (/^https:\/\//i.test(url) ? url : undefined);

/** The host of an address, as text ("an address that cannot be read" when it is not one). */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'no host';
  } catch {
    return 'an address that cannot be read';
  }
}

/** The conversation section. */
export function Conversation(props: {
  page: CasePage;
  /** The most a message may hold, in characters (from /api/me). */
  limit: number;
  onSend: (text: string) => Promise<boolean>;
  onNoShow: () => Promise<boolean>;
}) {
  const { page } = props;
  const styles = useStyles();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(Date.now());
  const box = useRef<HTMLTextAreaElement>(null);

  const awaitingOutcome = page.transcript.some((m) => deliveryStatus(m, now) === 'sending');
  useEffect(() => {
    // The clock ticks while the no-show button may appear, or a message may turn unconfirmed.
    if (!page.noShowFrom && !awaitingOutcome) return;
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, [page.noShowFrom]);

  const tooLong = overLimit(text, props.limit);
  const send = async () => {
    const message = text.trim();
    if (!message || busy || tooLong) return;
    setBusy(true);
    // What was typed stays in the box until the service has it.
    const sent = await props.onSend(message);
    if (sent) setText('');
    setBusy(false);
    // The Send button is disabled once the box is empty: focus goes back to the box, for the next message.
    if (sent) box.current?.focus();
  };
  const noShowIn = page.noShowFrom ? Date.parse(page.noShowFrom) - now : undefined;

  return (
    <section aria-labelledby="conversation-title">
      <Subtitle2 as="h3" id="conversation-title" block style={{ margin: '0 0 6px' }}>
        Conversation with {page.ratepayerName}
      </Subtitle2>
      {page.transcript.length === 0 ? (
        <Caption1 block className={styles.meta}>
          {page.state === 'waiting' ? 'Claim the case to talk with the ratepayer.' : 'No messages yet.'}
        </Caption1>
      ) : (
        <Transcript page={page} now={now} />
      )}
      {page.allowed.message && (
        <form
          className={styles.form}
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void send();
          }}
        >
          <Field
            label={`Message to ${page.ratepayerName}`}
            hint="Enter sends; Shift+Enter starts a new line. The ratepayer sees your first name; a long message reaches their chat in numbered parts."
            {...(tooLong ? { validationMessage: tooLong } : {})}
          >
            <Textarea
              ref={box}
              value={text}
              onChange={(_, d) => setText(d.value)}
              resize="vertical"
              onKeyDown={(e: KeyboardEvent<HTMLTextAreaElement>) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  void send();
                }
              }}
            />
          </Field>
          <div className={styles.row}>
            <Button type="submit" appearance="primary" disabled={busy || !text.trim() || !!tooLong}>
              Send
            </Button>
            {page.allowed.noShow && (
              <Button
                disabled={busy || (noShowIn !== undefined && noShowIn > 0)}
                onClick={() => {
                  setBusy(true);
                  void props.onNoShow().finally(() => setBusy(false));
                }}
              >
                {noShowIn !== undefined && noShowIn > 0 ? `No answer? Mark a no-show in ${Math.ceil(noShowIn / 60_000)} min` : 'Mark as no-show'}
              </Button>
            )}
          </div>
        </form>
      )}
      {page.survey && (
        <Body1 as="p">
          Satisfaction: {page.survey.rating} / 5{page.survey.comment ? ` — “${page.survey.comment}”` : ''}
        </Body1>
      )}
    </section>
  );
}

/**
 * The messages of a case, in order, as staff read them (the expert's case page and the back
 * office's referral page: one rendering, tester 8, finding 5): the ratepayer's words with their
 * English translation and the original beside it, a command word they typed named for what it
 * asks and not translated, the bot's lines in English beside what the ratepayer read, each
 * expert message with whether it reached their chat. `now` (ms) dates "sending…" and "not confirmed".
 */
export function Transcript(props: { page: Pick<CasePage, 'transcript' | 'language'>; now: number }) {
  const { page, now } = props;
  const styles = useStyles();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // A block body: newer browsers return a promise from scrollIntoView, and an effect must not.
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [page.transcript.length]);
  return (
    // It scrolls when long: tabIndex lets a keyboard user reach and scroll it (WCAG 2.1.1).
    <ol className={styles.list} aria-label="Messages" data-testid="transcript" tabIndex={0}>
      {page.transcript.map((m) => {
        const delivery = deliveryStatus(m, now);
        return (
          <li key={m.id} className={mergeClasses(styles.message, m.from === 'expert' && styles.expert, m.from === 'system' && styles.system)}>
            <Caption1 block className={styles.meta}>
              <span>{m.from === 'system' ? 'Sent by the bot' : m.author}</span>
              <span>{formatTime(m.at)}</span>
              {m.from === 'expert' && delivery === 'sending' && <Badge appearance="tint" color="informative">sending…</Badge>}
              {m.from === 'expert' && delivery === 'delivered' && <span aria-label="delivered">✓ delivered</span>}
              {delivery === 'unconfirmed' && (
                <Badge appearance="tint" color="warning">
                  not confirmed
                </Badge>
              )}
              {delivery === 'failed' && (
                <Badge appearance="filled" color="danger">
                  not delivered
                </Badge>
              )}
            </Caption1>
            {m.card ? (
              <>
                <SentCard card={m.card} fallback={m.text} />
                {m.from === 'system' && (m.translation?.status === 'catalogue' || m.translation?.status === 'translated') && (
                  // The card is what the ratepayer saw, in their language; its words in English
                  // below (a card's own: its title, questions and choices, line by line).
                  <Caption1 block className={mergeClasses(styles.original, styles.cardWords)} lang={m.translation.to} data-testid="bot-line">
                    In English ({m.translation.status === 'catalogue' ? "the bot's own words" : 'machine-translated'}):{'\n'}
                    {m.translation.text}
                  </Caption1>
                )}
              </>
            ) : m.from === 'system' && (m.translation?.status === 'catalogue' || m.translation?.status === 'translated') ? (
              // The bot's line in English for the expert, what the ratepayer read beside it: its
              // catalogue words (exact), else a machine translation, marked which.
              <div data-testid="bot-line">
                <Body1 as="p" className={styles.text} lang={m.translation.to}>
                  {m.translation.text}
                </Body1>
                <Caption1 block className={styles.original} lang={m.translation.from}>
                  Sent in {languageName(m.translation.from)}: {m.text}
                </Caption1>
                {m.shownChoices && <ShownChoices choices={m.shownChoices} lang={m.translation.from} />}
                <Caption1 block className={styles.meta}>
                  {botLineMark(m.translation)}
                </Caption1>
              </div>
            ) : m.from === 'ratepayer' && m.command ? (
              // A command word they typed ("kanselleer"): named for what it asks, the word as
              // typed beside it; not a message, so never machine-translated (tester 7, finding 10).
              <div data-testid="command">
                <Body1 as="p" className={styles.text}>
                  {COMMAND_LABELS[m.command]}
                </Body1>
                <Caption1 block className={styles.original} lang={page.language.code}>
                  As typed ({page.language.name}): {m.text}
                </Caption1>
                <Caption1 block className={styles.meta}>
                  A command word, not a message: not translated
                </Caption1>
              </div>
            ) : (m.translation?.status === 'translated' || m.translation?.status === 'catalogue') && m.from === 'ratepayer' ? (
              // Issue 16: the ratepayer's words in English for the expert, the original beside
              // them; what they sent by a card (a button, a form's "Label: value" lines) in the
              // bot's own English words, not a translation.
              <div data-testid={m.translation.status === 'catalogue' ? 'sent-by-card' : 'translated'}>
                <Body1 as="p" className={styles.text} lang={m.translation.to}>
                  {m.translation.text}
                </Body1>
                <Caption1 block className={styles.original} lang={m.translation.from}>
                  {m.translation.status === 'catalogue' ? 'As they saw it' : 'Original'} ({languageName(m.translation.from)}): {m.text}
                </Caption1>
                <Caption1 block className={styles.meta}>
                  {m.translation.status === 'catalogue' ? "Sent with the bot's buttons or form: its own words in English, not a translation" : 'Machine-translated'}
                </Caption1>
              </div>
            ) : (
              <>
                <Body1 as="p" className={styles.text} {...(m.from !== 'expert' && m.translation ? { lang: m.translation.from } : {})}>
                  {m.text}
                </Body1>
                {m.shownChoices && <ShownChoices choices={m.shownChoices} lang={page.language.code} />}
                {m.translation?.status === 'translated' && (
                  // The expert's own words above; what the ratepayer read below.
                  <Caption1 block className={styles.original} lang={m.translation.to} data-testid="translated">
                    Sent in {languageName(m.translation.to)} (machine-translated): {m.translation.text}
                  </Caption1>
                )}
                {m.translation?.status === 'failed' && (
                  <Caption1 block className={styles.failed} data-testid="not-translated">
                    Not translated ({m.translation.reason}): {m.from === 'expert' ? `the ratepayer got your words in ${languageName(m.translation.from)}, marked so` : `written in ${languageName(m.translation.from)}`}.
                  </Caption1>
                )}
                {m.translation?.status === 'off' && (
                  <Caption1 block className={styles.meta}>
                    Translation off: {m.from === 'expert' ? 'sent as written' : `as written, in ${languageName(m.translation.from)}`}
                  </Caption1>
                )}
              </>
            )}
            {m.delivery?.status === 'failed' && m.delivery.reason && (
              <Caption1 block className={styles.failed} role="alert">
                {m.delivery.reason}
              </Caption1>
            )}
            {delivery === 'unconfirmed' && (
              <Caption1 block className={styles.meta}>
                The bot could not confirm this reached the ratepayer (it may have restarted while sending). Write again if it matters.
              </Caption1>
            )}
            {m.attachments?.map((a, i) =>
              // A photo the service keeps (WhatsApp), sent inline by the API: shown as the picture.
              a.linkable && /^data:image\/(jpeg|png|webp);base64,/.test(a.url) ? (
                <img key={i} src={a.url} alt={`${a.name} (photo from the ratepayer)`} className={styles.photo} />
              ) : a.linkable && safeUrl(a.url) ? (
                <Link key={i} href={safeUrl(a.url)} target="_blank" rel="noopener noreferrer">
                  📎 {a.name}
                </Link>
              ) : (
                // Not a file Teams hosts: an address nobody vouches for is shown, never linked.
                <Caption1 key={i} block className={styles.untrusted} data-testid="untrusted-file">
                  ⚠ {a.name} — not a file Teams keeps, so it is not a link. Do not open it; ask the ratepayer to attach the file in the chat. ({hostOf(a.url)})
                </Caption1>
              ),
            )}
          </li>
        );
      })}
      <li ref={end} aria-hidden="true" />
    </ol>
  );
}

/**
 * How a bot line's English for staff came about: the catalogue's own words, or a machine
 * translation; with the back office's own words inside it (an update), what became of those for
 * the ratepayer (tester 10, finding 7: the update was marked as the bot's words only).
 */
function botLineMark(translation: NonNullable<TranscriptEntry['translation']>): string {
  if (translation.status !== 'catalogue') return 'Machine-translated';
  if (translation.holds?.status === 'translated')
    return "The bot's own words in English; the back office's update in it was machine-translated for the ratepayer, marked so";
  if (translation.holds?.status === 'failed') return "The bot's own words in English; the back office's update in it could not be translated, so it went as written, marked so";
  return "The bot's own words in English, not a translation";
}
