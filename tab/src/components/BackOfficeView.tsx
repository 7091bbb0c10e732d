/**
 * The back-office view (issue 19): the open referrals of the person's teams, soonest due first
 * (overdue and escalated ones marked), and a referral's page with what the referral needs: who
 * referred it and why, the notes experts left on handing it over, the details from the ratepayer
 * (account, holder, contact, the query and any indigent details, ID numbers masked to the last
 * four by the service), the session's transcript (the expert's case page's own rendering, Conversation.tsx
 * Transcript: translations, typed commands, the bot's lines in English), the notes, the audit trail, and the actions: update the ratepayer, needs more time (a new date and the reason they
 * are told), done (the final outcome; their receipt goes out), and an internal note. Reads
 * GET /api/back-office/referrals every 15 s. What a person typed stays in its box when the service
 * refuses it.
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
import { useCallback, useEffect, useState } from 'react';
import type { ReferralItem, ReferralList, ReferralPage } from '../../../bot/platform/contract/backOffice.js';
import { OUTCOME_LABELS, formatDay, formatTime } from '../format.js';
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

/** Calls the back-office API; a refusal's message (or its field problems) as the error's message. */
async function call<T>(getToken: () => Promise<string>, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${await getToken()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const answer = (await res.json().catch(() => ({}))) as { message?: string; problems?: { field: string; message: string }[] };
  if (!res.ok) throw new Error(answer.problems?.length ? answer.problems.map((p) => (/^[A-Z]/.test(p.message) ? p.message : `${p.field} ${p.message}`)).join(' ') : (answer.message ?? `The service answered ${res.status}.`));
  return answer as T;
}

/** The view. */
export function BackOfficeView(props: { getToken: () => Promise<string> }) {
  const styles = useStyles();
  const { getToken } = props;
  const [list, setList] = useState<ReferralList>();
  const [error, setError] = useState<string>();
  const [page, setPage] = useState<ReferralPage>();

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

  const open = async (reference: string) => {
    try {
      setPage(await call<ReferralPage>(getToken, 'GET', `/api/back-office/referrals/${encodeURIComponent(reference)}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };

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
                    {r.reminded && r.stage === 'back_office' ? <Caption1> · due soon</Caption1> : null}
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
      {page && <ReferralCard key={page.reference} page={page} getToken={getToken} onChanged={(p) => { setPage(p); void load(); }} />}
    </div>
  );
}

/** One referral: its facts, the transcript, the notes and the actions. */
function ReferralCard(props: { page: ReferralPage; getToken: () => Promise<string>; onChanged: (page: ReferralPage) => void }) {
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
  const path = `/api/back-office/referrals/${encodeURIComponent(reference)}`;

  const act = async (what: string, body: unknown, done: string, clear: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await call<ReferralPage>(getToken, 'POST', `${path}/${what}`, body);
      clear();
      setNotice(done);
      props.onChanged(next);
    } catch (e) {
      // What was typed stays in its box.
      setError((e as Error).message);
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
        <Body1Strong>{r.team.name}</Body1Strong> · due {formatDay(r.dueDate)} ·{' '}
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
      {r.escalations.length > 0 && <Caption1>Escalated: {r.escalations.map((e) => `${e.name} on ${e.at.slice(0, 10)}`).join('; ')}</Caption1>}
      {r.extensions.length > 0 && <Caption1>More time: {r.extensions.map((e) => `${e.from} → ${e.to} (${e.reason})`).join('; ')}</Caption1>}
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
        {/* Once done, the outcome is the back office's own: its label says so. */}
        {page.outcome && (
          <Body1 as="p" block className={styles.text}>
            {page.outcome.kind === 'referred_back_office' ? '' : `${OUTCOME_LABELS[page.outcome.kind]} by the back office: `}
            {page.outcome.summary}
          </Body1>
        )}
      </section>
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
