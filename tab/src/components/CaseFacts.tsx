/**
 * The parts of a case page that the expert's case page (CasePanel) and the back office's referral
 * page (BackOfficeView) both show, written once: the details from the ratepayer (as the service
 * sends them: ID numbers already masked to the last four, docs/security.md), the notes experts
 * left for the next one, and the audit trail in staff's words. What a ratepayer or an expert
 * typed is rendered as text: React escapes it.
 */
import { Body1, Caption1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { formatTime } from '../format.js';
import type { CasePage } from '../../../bot/platform/contract/tabApi.js';
import { languageName } from '../../../bot/platform/contract/staffWords.js';

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '16px', rowGap: '6px', margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  // An identifier (account, ID, meter number: one word) is never broken; long text still wraps anywhere.
  token: { margin: 0, whiteSpace: 'nowrap' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  note: { padding: '8px 12px', borderLeft: `3px solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorNeutralBackground2 },
  noteText: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  subhead: { margin: '0 0 6px' },
  // A translated answer's original, under the English (as the conversation shows a message's).
  original: { display: 'block', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', color: tokens.colorNeutralForeground2, borderLeft: `2px solid ${tokens.colorNeutralStroke1}`, paddingLeft: '6px', marginTop: '4px' },
  failed: { display: 'block', color: tokens.colorPaletteRedForeground1, marginTop: '4px' },
});

/** The ratepayer's name in the chat, the channel, and each intake answer (sensitive ones arrive masked). */
export function RatepayerFacts(props: { page: Pick<CasePage, 'ratepayerName' | 'channel' | 'intake'> }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      <dt className={styles.term}>Name in chat</dt>
      <dd className={styles.value}>{props.page.ratepayerName}</dd>
      <dt className={styles.term}>Came through</dt>
      <dd className={styles.value}>{props.page.channel}</dd>
      {props.page.intake.map((line) =>
        line.translation ? (
          <TranslatedFactRow key={line.name} line={line} />
        ) : (
          <FactRow key={line.name} label={line.label} value={line.value} masked={line.masked} />
        ),
      )}
    </dl>
  );
}

function FactRow(props: { label: string; value: string; masked?: boolean | undefined }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{props.label}</dt>
      <dd className={/^\S{1,24}$/.test(props.value) ? styles.token : styles.value} {...(props.masked ? { 'aria-label': `${props.label}, hidden except the last four digits ${props.value.slice(-4)}` } : {})}>
        {props.value}
      </dd>
    </>
  );
}

/**
 * A free-text answer (the query) for a reader of English only: the machine translation with the
 * original under it, marked (tester 7, finding 3), or the original marked "Not translated" when
 * the translation failed — as the conversation shows the ratepayer's messages.
 */
function TranslatedFactRow(props: { line: CasePage['intake'][number] }) {
  const styles = useStyles();
  const { line } = props;
  const t = line.translation!;
  return (
    <>
      <dt className={styles.term}>{line.label}</dt>
      {t.status === 'translated' ? (
        <dd className={styles.value} data-testid={`intake-translated-${line.name}`}>
          <span lang={t.to}>{t.text}</span>
          <Caption1 className={styles.original} lang={t.from}>
            Original ({languageName(t.from)}): {line.value}
          </Caption1>
          <Caption1 block className={styles.muted}>
            Machine-translated
          </Caption1>
        </dd>
      ) : (
        <dd className={styles.value} data-testid={`intake-not-translated-${line.name}`}>
          <span lang={t.from}>{line.value}</span>
          <Caption1 className={styles.failed}>
            Not translated ({t.reason}): written in {languageName(t.from)}.
          </Caption1>
        </dd>
      )}
    </>
  );
}

/**
 * The notes experts left for whoever takes the case next (a transfer's required note, a release's
 * optional one), newest first: the next expert reads them before the conversation. Nothing when
 * there are none.
 */
export function HandoverNotes(props: { notes: CasePage['handoverNotes'] }) {
  const styles = useStyles();
  if (props.notes.length === 0) return null;
  return (
    <section aria-labelledby="handover-title">
      <Subtitle2 as="h3" id="handover-title" block className={styles.subhead}>
        {props.notes.length === 1 ? 'Note from the previous expert' : 'Notes from earlier experts'}
      </Subtitle2>
      <ul className={styles.list} aria-label="Notes for the next expert" data-testid="handover-notes">
        {[...props.notes].reverse().map((n, i) => (
          <li key={i} className={styles.note}>
            <Caption1 block className={styles.muted}>
              {n.by.name}, {formatTime(n.at)}
              {n.kind === 'transferred' ? ` · moved from ${n.fromCategoryName} to ${n.toCategoryName}` : ' · released to the queue'}
            </Caption1>
            <Body1 as="p" className={styles.noteText}>
              {n.note}
            </Body1>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A case's audit trail, folded under its heading with the count: the case page and the back office's. */
export function AuditTrail(props: { entries: CasePage['audit'] }) {
  return (
    <details>
      <summary>
        <Subtitle2>Audit trail ({props.entries.length})</Subtitle2>
      </summary>
      <AuditList label="Audit trail" entries={props.entries} />
    </details>
  );
}

/** An audit trail as staff read it, one line an entry: when, who, what, and its detail in staff's words. */
export function AuditList(props: { label: string; entries: CasePage['audit'] }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={props.label}>
      {props.entries.map((e, i) => {
        const detail = e.detailShown ?? e.detail;
        return (
          <li key={i}>
            <Caption1>
              {formatTime(e.at)} · {e.by.kind === 'staff' ? e.by.name : e.by.kind} · {e.action}
              {detail ? ` — ${detail}` : ''}
            </Caption1>
          </li>
        );
      })}
    </ul>
  );
}
