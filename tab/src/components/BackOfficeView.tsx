/**
 * The back-office view (issue 19): the open referrals of the person's teams, soonest due first
 * (overdue and escalated ones marked), and a referral's page with what the referral needs: who
 * referred it and why, the notes experts left on handing it over, the details from the ratepayer
 * (account, holder, contact, the query and any indigent details, ID numbers masked to the last
 * four by the service), the session's transcript (the expert's case page's own rendering, Conversation.tsx
 * Transcript: translations, typed commands, the bot's lines in English), the notes, the audit trail, and the actions: update the ratepayer, needs more time (a new date and the reason they
 * are told), done (the final outcome; their receipt goes out), and an internal note. Reads
 * GET /api/back-office/referrals every 15 s, and again when the live stream says a referral of the
 * person's teams changed. What a person typed stays in its box when the service refuses it.
 *
 * Someone else's change to the open referral (a colleague, a supervisor, the escalation ladder)
 * reloads its page at once and is said above it, with who made it (tester 11, finding 9); once
 * someone else has finished it, the page shows their decision, the forms that no longer apply go,
 * and what the person had typed in them stays on the page, read-only, to copy.
 */
import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Caption1,
  Card,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReferralItem, ReferralList, ReferralPage } from '../../../bot/platform/contract/backOffice.js';
import { OUTCOME_LABELS, formatClock, formatDay, formatDayOf, formatTime, todayInProgramme } from '../format.js';
import type { LiveFeed } from '../liveStream.js';
import { changesByOthers, type ChangedElsewhere } from '../referralChanges.js';
import { formatCents } from '../../../bot/domain/money.js';
import { disputeOpen, formatDisputeReference } from '../../../bot/domain/dispute.js';
import { AuditTrail, HandoverNotes, RatepayerFacts } from './CaseFacts.js';
import { Transcript } from './Conversation.js';
import { useNow } from './useNow.js';

const useStyles = makeStyles({
  root: { display: 'flex', gap: '16px', padding: '16px', flexWrap: 'wrap', alignItems: 'flex-start' },
  list: { flex: '1 1 420px', minWidth: 0 },
  page: { flex: '1 1 480px', minWidth: 0, display: 'flex', flexDirection: 'column', gap: '12px', padding: '12px' },
  form: { display: 'flex', flexDirection: 'column', gap: '8px' },
  subhead: { margin: '0 0 6px' },
  text: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
});

const STAGE: Record<ReferralItem['stage'], { label: string; color: 'informative' | 'warning' | 'danger' | 'success' }> = {
  waiting: { label: 'Waiting', color: 'informative' },
  with_expert: { label: 'With an expert', color: 'informative' },
  back_office: { label: 'Open', color: 'informative' },
  overdue: { label: 'Overdue', color: 'warning' },
  escalated: { label: 'Escalated', color: 'danger' },
  done: { label: 'Done', color: 'success' },
};
const OUTCOMES = [
  { value: 'resolved', label: 'Resolved' },
  { value: 'arrangement_made', label: 'Arrangement made' },
  { value: 'not_resolved', label: 'Not resolved' },
];

const fmtRef = (r: string) => `${r.slice(0, 3)}-${r.slice(3)}`;

/** A refusal of the back-office API: its message, and the status (409: already finished). */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the back-office API; a refusal's message (or its field problems) as the error's message (Refused). */
async function call<T>(getToken: () => Promise<string>, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${await getToken()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const answer = (await res.json().catch(() => ({}))) as { message?: string; problems?: { field: string; message: string }[] };
  if (!res.ok) throw new Refused(res.status, answer.problems?.length ? answer.problems.map((p) => (/^[A-Z]/.test(p.message) ? p.message : `${p.field} ${p.message}`)).join(' ') : (answer.message ?? `The service answered ${res.status}.`));
  return answer as T;
}

const referralPath = (reference: string) => `/api/back-office/referrals/${encodeURIComponent(reference)}`;

/**
 * The view. `myId`: the signed-in person (their own changes are not news to them); `live`: the
 * desk's live stream (absent: the list is polled only).
 */
export function BackOfficeView(props: { getToken: () => Promise<string>; myId: string; live?: LiveFeed }) {
  const styles = useStyles();
  const { getToken, myId, live } = props;
  const [list, setList] = useState<ReferralList>();
  const [error, setError] = useState<string>();
  const [page, setPage] = useState<ReferralPage>();
  // What someone else changed on the open page, said until the person acts or opens another.
  const [elsewhere, setElsewhere] = useState<ChangedElsewhere>();
  const pageRef = useRef<ReferralPage | undefined>(undefined);
  pageRef.current = page;
  const teamsRef = useRef<string[]>([]);
  teamsRef.current = list?.teams.map((t) => t.code) ?? [];

  const load = useCallback(async () => {
    try {
      setList(await call<ReferralList>(getToken, 'GET', '/api/back-office/referrals'));
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [getToken]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 15_000);
    return () => clearInterval(timer);
  }, [load]);

  // Today in the programme's zone, for "due today"; the list re-renders with each poll.
  const today = todayInProgramme();

  const open = async (reference: string) => {
    try {
      const opened = await call<ReferralPage>(getToken, 'GET', referralPath(reference));
      setElsewhere(undefined);
      setPage(opened);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  /**
   * Reads the open page again (someone else changed it, or the stream reconnected) and says what
   * others changed; `who`: the event's sender. A page the person has since left is not replaced.
   */
  const refresh = useCallback(
    async (who?: Parameters<typeof changesByOthers>[3]) => {
      const reference = pageRef.current?.reference;
      if (!reference) return;
      try {
        const after = await call<ReferralPage>(getToken, 'GET', referralPath(reference));
        const before = pageRef.current;
        if (before?.reference !== reference) return;
        const change = changesByOthers(before, after, myId, who);
        pageRef.current = after;
        setPage(after);
        if (change) setElsewhere(change);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [getToken, myId],
  );

  useEffect(
    () =>
      live?.subscribe({
        onEvent: (event) => {
          if (event.team && teamsRef.current.includes(event.team)) void load();
          if (event.reference === pageRef.current?.reference && event.by.id !== myId) void refresh(event.by);
        },
        onResync: () => {
          void load();
          void refresh();
        },
      }),
    [live, load, refresh, myId],
  );

  return (
    <div className={styles.root}>
      <section className={styles.list} aria-labelledby="bo-list-title">
        <Subtitle2 as="h2" id="bo-list-title" block className={styles.subhead}>
          Back office: open referrals{list ? ` (${list.teams.map((t) => t.name).join(', ')})` : ''}
        </Subtitle2>
        {error && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        {!list && !error && <Spinner label="Loading the referrals…" />}
        {list && list.referrals.length === 0 && <Body1 as="p" block>No open referrals for your teams.</Body1>}
        {list && list.referrals.length > 0 && (
          <Table aria-label="Open referrals, soonest due first" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Case</TableHeaderCell>
                <TableHeaderCell>Category</TableHeaderCell>
                <TableHeaderCell>Team</TableHeaderCell>
                <TableHeaderCell>Due</TableHeaderCell>
                <TableHeaderCell>Stage</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.referrals.map((r) => (
                <TableRow key={r.reference} aria-selected={page?.reference === r.reference}>
                  <TableCell>
                    <Button appearance="transparent" onClick={() => void open(r.reference)} aria-label={`Open case ${fmtRef(r.reference)}`}>
                      {fmtRef(r.reference)}
                    </Button>
                    {r.dispute ? (
                      <div data-testid="referral-dispute">
                        <Badge appearance="filled" color="important">
                          Formal dispute {formatDisputeReference(r.dispute.reference)}
                        </Badge>
                        <Caption1>
                          {' '}
                          {formatCents(r.dispute.totalCents)} on credit-control hold · investigation by {formatDay(r.dispute.investigationDueOn)}
                        </Caption1>
                      </div>
                    ) : null}
                  </TableCell>
                  <TableCell>{r.categoryName}</TableCell>
                  <TableCell>{r.team.name}</TableCell>
                  <TableCell>
                    {formatDay(r.dueDate)}
                    {/* Due today says so (tester 11, finding 10): "due soon" is for the reminder's days before. */}
                    {r.stage === 'back_office' && r.dueDate === today ? <Caption1> · due today</Caption1> : r.reminded && r.stage === 'back_office' ? <Caption1> · due soon</Caption1> : null}
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={STAGE[r.stage].color}>
                      {STAGE[r.stage].label}
                    </Badge>
                    {r.escalatedTo ? <Caption1> to {r.escalatedTo}</Caption1> : null}
                    {/* The ratepayer wrote since the team's last update: their words are on the page. */}
                    {r.ratepayerWroteAt ? (
                      <div data-testid="referral-ratepayer-wrote">
                        <Caption1>Ratepayer wrote {formatTime(r.ratepayerWroteAt)}</Caption1>
                      </div>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
      {page && (
        <ReferralCard
          key={page.reference}
          page={page}
          today={today}
          elsewhere={elsewhere}
          getToken={getToken}
          onChanged={(p) => {
            setElsewhere(undefined);
            pageRef.current = p;
            setPage(p);
            void load();
          }}
          onRefused={() => void refresh()}
        />
      )}
    </div>
  );
}

/**
 * One referral: its facts, the transcript, the notes and the actions. `today`: the programme's
 * date; `elsewhere`: what someone else changed since it was opened; `onRefused`: the service
 * refused an action as too late (409: someone else finished it), so the page is read again.
 */
function ReferralCard(props: {
  page: ReferralPage;
  today: string;
  elsewhere: ChangedElsewhere | undefined;
  getToken: () => Promise<string>;
  onChanged: (page: ReferralPage) => void;
  onRefused: () => void;
}) {
  const styles = useStyles();
  const { page, getToken } = props;
  const r = page.referral;
  const openDispute = disputeOpen(page.rules.dispute) ? page.rules.dispute : undefined;
  const [update, setUpdate] = useState('');
  const [note, setNote] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('resolved');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Dates a message still "sending…" or "not confirmed", as on the expert's case page.
  const now = useNow(5000);
  const reference = page.reference;
  const path = referralPath(reference);
  // Someone else's change replaces what this person's last action said.
  useEffect(() => {
    if (props.elsewhere) setNotice(undefined);
  }, [props.elsewhere]);
  // What the person typed in a form that is no longer offered (someone else finished the
  // referral): kept on the page, read-only, to copy into the next thing they do.
  const drafts = [
    { label: 'Your update for the ratepayer (not sent)', text: update, shown: page.backOffice.update },
    { label: 'Your new due date (not saved)', text: dueDate ? formatDay(dueDate) : '', shown: page.backOffice.moreTime },
    { label: 'Your reason for more time (not sent)', text: reason, shown: page.backOffice.moreTime },
    { label: 'What you wrote was decided (not sent)', text: summary, shown: page.backOffice.done },
    { label: 'Your internal note (not saved)', text: note, shown: page.backOffice.note },
  ].filter((d) => !d.shown && d.text.trim());
  const decided = props.elsewhere?.decided;

  const act = async (what: string, body: unknown, done: string, clear: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await call<ReferralPage>(getToken, 'POST', `${path}/${what}`, body);
      clear();
      setNotice(done);
      props.onChanged(next);
    } catch (e) {
      // What was typed stays in its box (or, once the form has gone, below: see `drafts`).
      setError((e as Error).message);
      // Too late: someone else finished it. The page read again shows who and what they decided.
      if (e instanceof Refused && e.status === 409) props.onRefused();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className={styles.page} aria-labelledby="bo-case-title">
      <Subtitle2 as="h2" id="bo-case-title">
        Case {page.displayReference} · {page.categoryName}
      </Subtitle2>
      <Body1>
        <Body1Strong>{r.team.name}</Body1Strong> · due {formatDay(r.dueDate)}
        {!r.done && r.dueDate === props.today ? ' (today)' : ''} ·{' '}
        <Badge appearance="tint" color={STAGE[page.stage].color}>
          {STAGE[page.stage].label}
        </Badge>
      </Body1>
      {openDispute && (
        <MessageBar intent="warning" data-testid="referral-dispute-facts">
          <MessageBarBody>
            <Body1Strong>Formal dispute {formatDisputeReference(openDispute.reference)}</Body1Strong> (Municipal Systems Act s102): {formatCents(openDispute.totalCents)} disputed on the statement of{' '}
            {formatDay(openDispute.statementDate)}; the ratepayer keeps paying {formatCents(openDispute.keepPayingCents)} a month. Credit control is on hold for the disputed amount
            while the dispute is open. The ratepayer must be told the outcome in writing by {formatDay(openDispute.investigationDueOn)} (the by-laws allow no extension); they
            may appeal to the Municipal Manager from {formatDay(openDispute.appealFrom)}.
          </MessageBarBody>
        </MessageBar>
      )}
      {/* Dates as everywhere on the page, "Mon, 30 Nov 2026"; an escalation on its day in the programme's zone (tester 11, finding 12). */}
      {r.escalations.length > 0 && <Caption1 data-testid="referral-escalations">Escalated: {r.escalations.map((e) => `${e.name} on ${formatDayOf(e.at)}`).join('; ')}</Caption1>}
      {r.extensions.length > 0 && <Caption1 data-testid="referral-extensions">More time: {r.extensions.map((e) => `${formatDay(e.from)} → ${formatDay(e.to)} (${e.reason})`).join('; ')}</Caption1>}
      {props.elsewhere && (
        <MessageBar intent={decided ? 'warning' : 'info'} role="status" data-testid="changed-elsewhere">
          <MessageBarBody>
            {decided && (
              <Body1 as="p" block className={styles.text}>
                <Body1Strong>
                  {decided.by} finished this referral while you had it open ({decided.at}): {decided.outcome}.
                </Body1Strong>{' '}
                Nothing more can be sent or saved on it here{drafts.length ? '; what you typed is kept below, to copy' : ''}.
              </Body1>
            )}
            {props.elsewhere.lines.map((line, i) => (
              <Body1 as="p" block key={i} className={styles.text}>
                {line}
              </Body1>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <section aria-labelledby="bo-referred-title">
        <Subtitle2 as="h3" id="bo-referred-title" block className={styles.subhead}>
          Referred by {page.assignedTo?.name ?? 'the expert'}
        </Subtitle2>
        {/* Until done, the outcome is the expert's referral: why it was referred. */}
        {page.outcome && !r.done && (
          <Body1 as="p" block className={styles.text}>
            {page.outcome.kind === 'referred_back_office' ? '' : `${OUTCOME_LABELS[page.outcome.kind]}: `}
            {page.outcome.summary}
          </Body1>
        )}
      </section>
      {/* Once done, the outcome is the back office's own: what was decided, by whom and when (tester 11, finding 9). */}
      {r.done && page.outcome && (
        <section aria-labelledby="bo-decision-title" data-testid="referral-decision">
          <Subtitle2 as="h3" id="bo-decision-title" block className={styles.subhead}>
            Decided: {OUTCOME_LABELS[page.outcome.kind] ?? page.outcome.kind}
          </Subtitle2>
          <Body1 as="p" block className={styles.text}>
            By {r.done.by.name} on {formatDayOf(r.done.at)} at {formatClock(r.done.at)}. What the ratepayer was told: {page.outcome.summary}
          </Body1>
        </section>
      )}
      {drafts.length > 0 && (
        <section aria-labelledby="bo-drafts-title" data-testid="referral-drafts" className={styles.form}>
          <Subtitle2 as="h3" id="bo-drafts-title" block className={styles.subhead}>
            What you typed
          </Subtitle2>
          {drafts.map((d) => (
            <Field key={d.label} label={d.label}>
              <Textarea readOnly value={d.text} />
            </Field>
          ))}
        </section>
      )}
      <HandoverNotes notes={page.handoverNotes} />
      <section aria-labelledby="bo-intake-title">
        <Subtitle2 as="h3" id="bo-intake-title" block className={styles.subhead}>
          Details from the ratepayer
        </Subtitle2>
        <RatepayerFacts page={page} />
      </section>
      <section aria-label="The session's conversation">
        <Subtitle2 as="h3" block className={styles.subhead}>Conversation</Subtitle2>
        {page.transcript.length === 0 && <Caption1 block>No messages in the session.</Caption1>}
        {/* As the expert's case page shows it (tester 8, finding 5): the ratepayer's words in English
            beside what they wrote, a typed command named for what it asks, the bot's lines in English. */}
        {page.transcript.length > 0 && <Transcript page={page} now={now} />}
      </section>
      {/* What the ratepayer wrote in their chat since the referral (tester 11, finding 6): their
          answer to an update, a deadline of theirs. React escapes the text. */}
      <section aria-labelledby="bo-from-ratepayer-title" data-testid="referral-from-ratepayer">
        <Subtitle2 as="h3" id="bo-from-ratepayer-title" block className={styles.subhead}>
          From the ratepayer since the referral
        </Subtitle2>
        {(r.fromRatepayer ?? []).length === 0 ? (
          <Caption1 block>Nothing yet. What the ratepayer writes in their chat while the referral is open comes here.</Caption1>
        ) : (
          r.fromRatepayer!.map((m, i) => (
            <Body1 as="p" block key={i} className={styles.text}>
              {formatTime(m.at)}: {m.text}
            </Body1>
          ))
        )}
      </section>
      <section aria-label="Notes">
        <Subtitle2 as="h3" block className={styles.subhead}>Notes</Subtitle2>
        {page.notes.length === 0 ? (
          <Caption1 block>No notes yet.</Caption1>
        ) : (
          page.notes.map((n, i) => (
            <Body1 as="p" block key={i} className={styles.text}>
              {n.by.name}: {n.text}
            </Body1>
          ))
        )}
      </section>
      <AuditTrail entries={page.audit} />
      {page.backOffice.update && (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void act('update', { text: update }, 'The ratepayer was sent your update.', () => setUpdate('')); }}>
          <Field label="Update the ratepayer" hint="Sent to their chat, with the case reference and your team's name.">
            <Textarea value={update} onChange={(_, d) => setUpdate(d.value)} />
          </Field>
          <Button type="submit" disabled={busy || !update.trim()}>Send the update</Button>
        </form>
      )}
      {page.backOffice.moreTime && (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void act('more-time', { dueDate, reason }, 'The due date moved; the ratepayer was told why.', () => { setDueDate(''); setReason(''); }); }}>
          <Field
            label="New due date"
            required
            hint={openDispute ? `At the latest ${formatDay(openDispute.investigationDueOn)}: the dispute's investigation date, which the by-laws do not extend.` : undefined}
          >
            <Input type="date" value={dueDate} onChange={(_, d) => setDueDate(d.value)} />
          </Field>
          <Field label="Why more time is needed (the ratepayer is told)" required>
            <Textarea value={reason} onChange={(_, d) => setReason(d.value)} />
          </Field>
          <Button type="submit" disabled={busy || !dueDate || !reason.trim()}>Needs more time</Button>
        </form>
      )}
      {page.backOffice.done && (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void act('done', { outcome, summary }, 'Done: the ratepayer was sent the receipt.', () => setSummary('')); }}>
          <Field label="Outcome" required>
            <Dropdown value={OUTCOMES.find((o) => o.value === outcome)?.label ?? ''} selectedOptions={[outcome]} onOptionSelect={(_, d) => setOutcome(d.optionValue ?? 'resolved')}>
              {OUTCOMES.map((o) => (
                <Option key={o.value} value={o.value}>
                  {o.label}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label="What was decided (the ratepayer receives it)" required>
            <Textarea value={summary} onChange={(_, d) => setSummary(d.value)} />
          </Field>
          <Button type="submit" appearance="primary" disabled={busy || !summary.trim()}>Done</Button>
        </form>
      )}
      {page.backOffice.note && (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void act('notes', { text: note }, 'Note added.', () => setNote('')); }}>
          <Field label="Internal note (never shown to the ratepayer)">
            <Textarea value={note} onChange={(_, d) => setNote(d.value)} />
          </Field>
          <Button type="submit" disabled={busy || !note.trim()}>Add the note</Button>
        </form>
      )}
    </Card>
  );
}
