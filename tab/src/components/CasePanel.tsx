/**
 * The case page: what the ratepayer told us (ID numbers arrive masked), the account's earlier
 * cases, internal notes, the audit trail, and the actions the person may take. Everything the
 * ratepayer typed is rendered as text: React escapes it.
 */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Subtitle1,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { OUTCOME_LABELS, STATE_LABELS, decidedInWords, formatClock, formatDay, formatTime, formatWait, handlerInWords, overLimit } from '../format.js';
import { AuditList, AuditTrail, HandoverNotes, RatepayerFacts } from './CaseFacts.js';
import { Conversation } from './Conversation.js';
import { RulesPanel, type RuleAction } from './RulesPanel.js';
import { ScrollBox, Token } from './ScrollBox.js';
import type { CasePage, Me } from '../../../bot/platform/contract/tabApi.js';
import { formatDisputeReference } from '../../../bot/domain/dispute.js';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: '16px',
    padding: '16px 20px',
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
  },
  head: { display: 'flex', alignItems: 'center', gap: '10px', flexWrap: 'wrap' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
  value: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  note: { padding: '8px 12px', borderLeft: `3px solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorNeutralBackground2 },
  noteText: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  form: { display: 'flex', flexDirection: 'column', gap: '8px' },
  flush: { margin: 0 },
  subhead: { margin: '0 0 6px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, letterSpacing: '0.04em', whiteSpace: 'nowrap' },
});

const STATE_COLOURS = { waiting: 'warning', in_progress: 'brand', resolved: 'success', cancelled: 'informative', no_show: 'informative' } as const;

/** The case page and its actions. */
export function CasePanel(props: {
  page: CasePage;
  me: Me;
  onClaim: () => Promise<boolean>;
  onNote: (text: string) => Promise<boolean>;
  /** The dialogs' actions: `onError` shows a refusal inside the dialog, not behind it. */
  onRelease: (note: string | undefined, onError: (message: string) => void) => Promise<boolean>;
  onTransfer: (toCategory: string, note: string, onError: (message: string) => void) => Promise<boolean>;
  onResolve: (body: { outcome: string; summary: string; dueDate?: string }, onError: (message: string) => void) => Promise<boolean>;
  onSend: (text: string) => Promise<boolean>;
  onNoShow: () => Promise<boolean>;
  /** Turns machine translation off or on for the case (issue 16). */
  onTranslation: (on: boolean) => Promise<boolean>;
  /** Issue 20: lodge a dispute, record an arrangement or an ESP registration. */
  onRule: (action: RuleAction) => Promise<boolean>;
  onOpen: (ref: string) => void;
  /**
   * Asked each time a new page is shown: true once after an action that changed the case (a claim,
   * release, transfer, resolution, no-show), whose button is then usually gone, so focus goes to
   * the case's heading instead of dropping to the page body.
   */
  takeFocus?: () => boolean;
}) {
  const { page, me } = props;
  const openDispute = page.rules.dispute && !page.rules.dispute.settledAt ? page.rules.dispute : undefined;
  // Issue 19: the earlier case this one follows, when the person may open it.
  const earlier = page.follows && !page.follows.restricted ? page.follows : undefined;
  const styles = useStyles();
  const [dialog, setDialog] = useState<'transfer' | 'resolve' | 'release'>();
  /** Why the open dialog's action was refused (a due date in the past…), shown inside the dialog. */
  const [dialogError, setDialogError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const noteBox = useRef<HTMLTextAreaElement>(null);
  /** The button that opened the dialog: focus goes back to it when the dialog is closed unsubmitted. */
  const opener = useRef<HTMLElement | null>(null);
  const openDialog = (which: 'transfer' | 'resolve' | 'release') => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDialogError(undefined);
    setDialog(which);
  };
  const closeDialog = () => {
    setDialog(undefined);
    setDialogError(undefined);
    // After the dialog has gone (its surface unmounts on the next render): back to the opener, or
    // to the heading when the opener is gone or disabled.
    setTimeout(() => {
      const back = opener.current;
      if (back?.isConnected && !(back as HTMLButtonElement).disabled) back.focus();
      else heading.current?.focus();
    });
  };
  const { takeFocus } = props;
  useEffect(() => {
    if (takeFocus?.()) heading.current?.focus();
  }, [page, takeFocus]);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const noteTooLong = overLimit(note, me.limits.noteCharacters);
  const run = async (action: () => Promise<boolean>, after?: () => void) => {
    setBusy(true);
    const ok = await action();
    setBusy(false);
    if (ok) after?.();
  };

  return (
    <article className={styles.panel} aria-labelledby="case-title" data-testid="case-page">
      <div className={styles.head}>
        {/* Focusable by script only: where focus goes after an action whose button is gone. */}
        <h2 id="case-title" className={styles.flush} tabIndex={-1} ref={heading}>
          <Subtitle1>
            Case <span className={styles.mono}>{page.displayReference}</span>
          </Subtitle1>
        </h2>
        <Badge appearance="filled" color={STATE_COLOURS[page.state]} data-testid="case-state">
          {/* A case closed without being resolved says so ("Referred to the back office", "Not resolved"), not "Resolved". */}
          {page.state === 'resolved' && (page.outcome?.kind === 'referred_back_office' || page.outcome?.kind === 'not_resolved') ? OUTCOME_LABELS[page.outcome.kind] : STATE_LABELS[page.state]}
        </Badge>
        <Body1>{page.categoryName}</Body1>
        <Badge appearance="tint" color={page.translation.needed ? 'important' : 'informative'} data-testid="case-language">
          Writes in {page.language.name}
        </Badge>
      </div>
      <Caption1 className={styles.muted}>
        {page.state === 'in_progress' && page.assignedTo
          ? `With ${page.assignedTo.name} since ${formatTime(page.assignedTo.since)} · `
          : // Every expert who had it, not the last one only (tester 8).
            handlerInWords(page)
            ? `${handlerInWords(page)} · `
            : ''}
        In the queue since {formatTime(page.waitingSince)}
        {page.state === 'waiting' ? ` (${formatWait(Date.now() - Date.parse(page.waitingSince))})` : ''}
        {/* A referral: the back office's outcome named apart from the expert's referral. */}
        {page.outcome ? ` · ${decidedInWords({ outcome: page.outcome.kind, ...(page.referredTo ? { referredTo: page.referredTo } : {}) }, page.outcome.dueDate ? formatDay(page.outcome.dueDate) : undefined)}` : ''}
      </Caption1>
      {page.endChatRequestedAt && (
        // Tester 7, finding 10: the request was only transcript lines, easy to miss. At the top of
        // the case, above the actions it asks for; gone once the case is closed or the ratepayer writes again.
        <MessageBar intent="warning" layout="multiline" data-testid="end-chat-requested">
          <MessageBarBody>
            <MessageBarTitle>The ratepayer asked to end the chat at {formatClock(page.endChatRequestedAt)}.</MessageBarTitle>{' '}
            Resolve the case, or send a message if you still need something.
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        {page.allowed.claim && (
          <Button appearance="primary" disabled={busy} onClick={() => void run(props.onClaim)}>
            Claim this case
          </Button>
        )}
        {page.allowed.resolve && (
          <Button appearance="primary" disabled={busy} onClick={() => openDialog('resolve')}>
            Resolve…
          </Button>
        )}
        {page.allowed.transfer && (
          <Button disabled={busy} onClick={() => openDialog('transfer')}>
            Transfer…
          </Button>
        )}
        {page.allowed.release && (
          <Button disabled={busy} onClick={() => openDialog('release')}>
            Release to queue…
          </Button>
        )}
      </div>
      {page.outcome && (
        <section aria-label="Outcome">
          {/* Once the back office has finished a referral, the summary is its decision, not the expert's. */}
          <Subtitle2 as="h3" block className={styles.subhead}>{page.referredTo?.outcome ? `Outcome: ${page.referredTo.team}'s decision` : 'Outcome'}</Subtitle2>
          <Body1 as="p" className={styles.value}>
            {page.outcome.summary}
          </Body1>
        </section>
      )}

      {page.translation.needed && (
        <section aria-label="Translation" className={styles.actions} data-testid="translation">
          <Caption1 className={styles.muted}>
            {page.translation.on
              ? `${page.language.name}: the ratepayer's query and messages are machine-translated into English for you, with the original beside them; yours reach them in ${page.language.name}, marked as machine-translated.`
              : `Translation is off: messages go as written, both ways (you write to the ratepayer in ${page.language.name}).`}
          </Caption1>
          {page.allowed.translation && (
            <Button size="small" disabled={busy} onClick={() => void run(() => props.onTranslation(!page.translation.on))}>
              {page.translation.on ? `Turn translation off (I speak ${page.language.name})` : 'Turn translation on'}
            </Button>
          )}
        </section>
      )}

      <HandoverNotes notes={page.handoverNotes} />

      <Conversation page={page} limit={me.limits.messageCharacters} onSend={props.onSend} onNoShow={props.onNoShow} />

      <section aria-labelledby="intake-title">
        <Subtitle2 as="h3" id="intake-title" block className={styles.subhead}>
          Details from the ratepayer
        </Subtitle2>
        {page.detailsAsked && (
          <MessageBar intent="warning" data-testid="details-asked">
            <MessageBarBody>
              Asked of the ratepayer for {page.detailsAsked.categoryName} on {formatTime(page.detailsAsked.at)}, not answered yet:{' '}
              {page.detailsAsked.fields.map((f) => f.label).join(', ')}. The case can still be claimed; ask for them in the chat if you need them now.
            </MessageBarBody>
          </MessageBar>
        )}
        <RatepayerFacts page={page} />
      </section>

      <RulesPanel page={page} today={new Date().toLocaleDateString('sv-SE')} onAction={props.onRule} />

      <section aria-labelledby="notes-title">
        <Subtitle2 as="h3" id="notes-title" block className={styles.subhead}>
          Internal notes
        </Subtitle2>
        {page.notes.length === 0 ? (
          <Caption1 block className={styles.muted}>No notes yet. Notes are for staff only; the ratepayer never sees them.</Caption1>
        ) : (
          <ul className={styles.list} aria-label="Notes" data-testid="notes">
            {page.notes.map((n, i) => (
              <li key={i} className={styles.note}>
                <Caption1 block className={styles.muted}>
                  {n.by.name}, {formatTime(n.at)}
                </Caption1>
                <Body1 as="p" className={styles.noteText}>
                  {n.text}
                </Body1>
              </li>
            ))}
          </ul>
        )}
        {page.allowed.note && (
          <form
            className={styles.form}
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (note.trim() && !noteTooLong) void run(
                  () => props.onNote(note.trim()),
                  () => {
                    setNote('');
                    // "Add note" is disabled once the box is empty: focus goes back to the box.
                    noteBox.current?.focus();
                  },
                );
            }}
          >
            <Field label="Add a note" {...(noteTooLong ? { validationMessage: noteTooLong } : {})}>
              <Textarea ref={noteBox} value={note} onChange={(_, d) => setNote(d.value)} resize="vertical" />
            </Field>
            <div>
              <Button type="submit" disabled={busy || !note.trim() || !!noteTooLong}>
                Add note
              </Button>
            </div>
          </form>
        )}
      </section>

      <section aria-labelledby="history-title">
        <Subtitle2 as="h3" id="history-title" block className={styles.subhead}>
          Earlier cases on this account
        </Subtitle2>
        {page.history.length === 0 ? (
          <Caption1 block className={styles.muted}>
            None.
          </Caption1>
        ) : (
          <ScrollBox label="Earlier cases table">
          <Table size="small" aria-labelledby="history-title">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Reference</TableHeaderCell>
                <TableHeaderCell>Category</TableHeaderCell>
                <TableHeaderCell>Outcome</TableHeaderCell>
                <TableHeaderCell>Opened</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.history.map((h, i) =>
                h.restricted ? (
                  <TableRow key={`restricted-${i}`}>
                    <TableCell colSpan={4}>{h.label}</TableCell>
                  </TableRow>
                ) : (
                <TableRow key={h.reference}>
                  <TableCell><Token>{h.canOpen ? <Link onClick={() => props.onOpen(h.reference)}>{h.displayReference}</Link> : h.displayReference}</Token></TableCell>
                  <TableCell>{h.categoryName}</TableCell>
                  <TableCell>{decidedInWords(h) ?? STATE_LABELS[h.state]}</TableCell>
                  <TableCell>{formatTime(h.createdAt)}</TableCell>
                </TableRow>
                ),
              )}
            </TableBody>
          </Table>
          </ScrollBox>
        )}
      </section>

      {(page.follows || page.followedBy?.length) && (
        <section aria-labelledby="linked-title">
          <Subtitle2 as="h3" id="linked-title" block className={styles.subhead}>
            Linked cases
          </Subtitle2>
          {page.follows?.restricted && <Caption1 block>Follows: {page.follows.label}</Caption1>}
          {earlier && (
              <div>
                <Caption1 block>
                  Follows{' '}
                  <Token>{earlier.canOpen ? <Link onClick={() => props.onOpen(earlier.reference)}>{earlier.displayReference}</Link> : earlier.displayReference}</Token>{' '}
                  ({earlier.categoryName}, {decidedInWords(earlier) ?? STATE_LABELS[earlier.state]}, opened {formatTime(earlier.createdAt)})
                  {earlier.outcomeSummary ? `: ${earlier.outcomeSummary}` : ''}
                </Caption1>
                <details>
                  <summary>
                    <Caption1>Its history ({earlier.audit.length})</Caption1>
                  </summary>
                  <AuditList label="History of the earlier case" entries={earlier.audit} />
                </details>
              </div>
          )}
          {page.followedBy?.map((l, i) =>
            l.restricted ? (
              <Caption1 block key={`later-${i}`}>Followed by: {l.label}</Caption1>
            ) : (
              <Caption1 block key={l.reference}>
                Followed by <Token>{l.canOpen ? <Link onClick={() => props.onOpen(l.reference)}>{l.displayReference}</Link> : l.displayReference}</Token> ({STATE_LABELS[l.state]}, opened {formatTime(l.createdAt)})
              </Caption1>
            ),
          )}
        </section>
      )}

      <AuditTrail entries={page.audit} />

      {/* The dialogs stay mounted and are closed through `open`: a Fluent dialog unmounted while open
          leaves the rest of the page aria-hidden (its modal attributes are never taken back). */}
      <ReleaseDialog open={dialog === 'release'} busy={busy} limit={me.limits.noteCharacters} error={dialog === 'release' ? dialogError : undefined} onClose={closeDialog} onRelease={(n) => run(() => (setDialogError(undefined), props.onRelease(n, setDialogError)), () => setDialog(undefined))} />
      {(
        <TransferDialog
          open={dialog === 'transfer'}
          busy={busy}
          limit={me.limits.noteCharacters}
          categories={me.categories.filter((c) => c.code !== page.category)}
          error={dialog === 'transfer' ? dialogError : undefined}
          onClose={closeDialog}
          onTransfer={(to, n) => run(() => (setDialogError(undefined), props.onTransfer(to, n, setDialogError)), () => setDialog(undefined))}
        />
      )}
      {(
        // Issue 20: an open dispute is the back office's to investigate: only the referral is offered,
        // due by the dispute's deadline (the dialog is built anew when the dispute is lodged).
        <ResolveDialog
          key={openDispute ? 'dispute' : 'any'}
          open={dialog === 'resolve'}
          busy={busy}
          limit={me.limits.noteCharacters}
          outcomes={openDispute ? me.outcomes.filter((o) => o === 'referred_back_office') : me.outcomes}
          {...(openDispute ? { dueBy: { date: openDispute.investigationDueOn, reference: formatDisputeReference(openDispute.reference) } } : {})}
          error={dialog === 'resolve' ? dialogError : undefined}
          onClose={closeDialog}
          onResolve={(b) => run(() => (setDialogError(undefined), props.onResolve(b, setDialogError)), () => setDialog(undefined))}
        />
      )}
    </article>
  );
}



/** A dialog holding one form: a title, its fields, Cancel and the form's own button. */
function FormDialog(props: { open: boolean; title: string; submitLabel: string; busy: boolean; error?: string | undefined; onClose: () => void; onSubmit: () => void; children: ReactNode }) {
  return (
    <Dialog open={props.open} onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            props.onSubmit();
          }}
        >
          <DialogBody>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogContent>
              {/* A refusal of the action, inside the dialog where the person is (tester 10, finding
                  14), announced at once: role="alert" is read out when its text appears. */}
              <div role="alert" data-testid="dialog-error">
                {props.error && (
                  <MessageBar intent="error" layout="multiline">
                    <MessageBarBody>{props.error}</MessageBarBody>
                  </MessageBar>
                )}
              </div>
              {props.children}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={props.onClose}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={props.busy}>
                {props.submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function ReleaseDialog(props: { open: boolean; busy: boolean; limit: number; error?: string | undefined; onClose: () => void; onRelease: (note?: string) => Promise<void> }) {
  const [note, setNote] = useState('');
  const tooLong = overLimit(note, props.limit);
  return (
    <FormDialog
      open={props.open}
      title="Release to the queue"
      submitLabel="Release"
      busy={props.busy}
      error={props.error}
      onClose={props.onClose}
      onSubmit={() => {
        if (!tooLong) void props.onRelease(note.trim() || undefined);
      }}
    >
      <Body1 as="p">The case goes back to its queue in the place it had, for the next expert.</Body1>
      <Field label="Why (optional, kept on the audit trail)" {...(tooLong ? { validationMessage: tooLong } : {})}>
        <Textarea value={note} onChange={(_, d) => setNote(d.value)} />
      </Field>
    </FormDialog>
  );
}

function TransferDialog(props: {
  open: boolean;
  busy: boolean;
  limit: number;
  categories: { code: string; name: string }[];
  error?: string | undefined;
  onClose: () => void;
  onTransfer: (to: string, note: string) => Promise<void>;
}) {
  const [to, setTo] = useState(props.categories[0]?.code ?? '');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  return (
    <FormDialog
      open={props.open}
      title="Transfer to another category"
      submitLabel="Transfer"
      busy={props.busy}
      error={props.error}
      onClose={props.onClose}
      onSubmit={() => {
        setTried(true);
        if (to && note.trim() && !overLimit(note, props.limit)) void props.onTransfer(to, note.trim());
      }}
    >
      <Body1 as="p">The case joins that queue keeping its original wait.</Body1>
      <Field label="Category" required>
        <Select value={to} onChange={(_, d) => setTo(d.value)}>
          {props.categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Note for the next expert" required validationMessage={overLimit(note, props.limit) ?? (tried && !note.trim() ? 'Say why the case is moving.' : undefined)}>
        <Textarea value={note} onChange={(_, d) => setNote(d.value)} />
      </Field>
    </FormDialog>
  );
}

function ResolveDialog(props: {
  open: boolean;
  busy: boolean;
  limit: number;
  outcomes: string[];
  /** An open dispute's investigation deadline: the latest due date of its referral. */
  dueBy?: { date: string; reference: string };
  error?: string | undefined;
  onClose: () => void;
  onResolve: (body: { outcome: string; summary: string; dueDate?: string }) => Promise<void>;
}) {
  const [outcome, setOutcome] = useState(props.outcomes[0] ?? 'resolved');
  const [summary, setSummary] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [tried, setTried] = useState(false);
  const referral = outcome === 'referred_back_office';
  return (
    <FormDialog
      open={props.open}
      title="Resolve the case"
      submitLabel="Resolve"
      busy={props.busy}
      error={props.error}
      onClose={props.onClose}
      onSubmit={() => {
        setTried(true);
        if (!summary.trim() || overLimit(summary, props.limit)) return;
        void props.onResolve({ outcome, summary: summary.trim(), ...(referral && dueDate ? { dueDate } : {}) });
      }}
    >
      <Field label="Outcome" required>
        <RadioGroup value={outcome} onChange={(_, d) => setOutcome(d.value)}>
          {props.outcomes.map((o) => (
            <Radio key={o} value={o} label={OUTCOME_LABELS[o] ?? o} />
          ))}
        </RadioGroup>
      </Field>
      {referral && (
        <Field
          label="Back office due date (optional)"
          hint={
            props.dueBy
              ? `Dispute ${props.dueBy.reference} is open: the back office investigates it by ${props.dueBy.date}. Leave it empty for that date; an earlier date may be set.`
              : "Leave it empty for the programme's response time; an earlier date may be set."
          }
        >
          <Input type="date" value={dueDate} max={props.dueBy?.date} onChange={(_, d) => setDueDate(d.value)} />
        </Field>
      )}
      {/* Tester 10, finding 14: internal shorthand reached the ratepayer word for word. Said as the
          back office's dialog says it ("the ratepayer receives it"). */}
      <Field
        label="Summary (the ratepayer receives it)"
        required
        hint="Sent to the ratepayer on their receipt and, if they gave an e-mail address, by e-mail; machine-translated into their language when they do not write in English. Write it for them: keep internal notes in Notes."
        validationMessage={overLimit(summary, props.limit) ?? (tried && !summary.trim() ? 'Write what was done or agreed.' : undefined)}
      >
        <Textarea value={summary} onChange={(_, d) => setSummary(d.value)} />
      </Field>
    </FormDialog>
  );
}
