/**
 * The case page's rules panels (issue 20): the formal billing dispute, the repayment arrangement
 * calculator and the ESP registration. The calculator shows the plan as the expert types, with
 * the same pure function the service records it with (bot/domain/arrangement.ts), so what is
 * shown is what is recorded; its term starts at the one `suggestTerm` proposes from the monthly
 * payment the ratepayer proposed at intake (the expert may type another). Amounts are typed in rands as statements print them and sent in
 * whole cents; what the person typed stays in the form when the service refuses it.
 */
import { Body1, Button, Caption1, Checkbox, Field, Input, Radio, RadioGroup, Select, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { ACCOUNT_TYPES, calculateArrangement, suggestTerm, type AccountType } from '../../../bot/domain/arrangement.js';
import { arrangementBesideDispute, disputeOpen, formatDisputeReference } from '../../../bot/domain/dispute.js';
import { formatCents } from '../../../bot/domain/money.js';
import type { CasePage } from '../../../bot/platform/contract/tabApi.js';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  subhead: { margin: '0 0 6px' },
  row: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'end' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '16px', rowGap: '4px', margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  item: { padding: '8px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, display: 'flex', flexDirection: 'column', gap: '6px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The account types as staff know them. */
const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = {
  domestic: 'Domestic',
  esp: 'Indigent (ESP)',
  pensioner: 'Pensioner',
  business: 'Business',
};

/** The same, mid-sentence ("For indigent (ESP) accounts…": the abbreviation keeps its capitals). */
const ACCOUNT_TYPE_WORDS: Record<AccountType, string> = {
  domestic: 'domestic',
  esp: 'indigent (ESP)',
  pensioner: 'pensioner',
  business: 'business',
};

/** Rands as typed ("R1 234,50", "1234.5") to whole cents, or undefined when it is not an amount. */
function centsOf(text: string): number | undefined {
  const s = text.replace(/[\s\u00a0]/g, '').replace(/^R/i, '');
  const m = /^(\d{1,11})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const randsText = (cents: number | undefined) => (cents === undefined ? '' : (cents / 100).toFixed(2));

/** The body of one rules action as the API takes it. */
export type RuleAction =
  | { kind: 'dispute'; body: Record<string, unknown> }
  | { kind: 'arrangement'; body: Record<string, unknown> }
  | { kind: 'esp-registration'; body: Record<string, unknown> };

function Facts(props: { rows: [string, string][] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {props.rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

interface ItemDraft {
  amount: string;
  reason: string;
  meter: boolean;
  billed: string;
  own: string;
  estimated: boolean;
}

const emptyItem = (): ItemDraft => ({ amount: '', reason: '', meter: false, billed: '', own: '', estimated: false });

/** The three rules panels. `onAction` sends one to the service; true when it was saved. */
export function RulesPanel(props: { page: CasePage; today: string; onAction: (action: RuleAction) => Promise<boolean> }) {
  const { page } = props;
  const rules = page.rules;
  return (
    <>
      <DisputeSection page={page} today={props.today} onAction={props.onAction} />
      {(rules.canRecord || rules.arrangement) && <ArrangementSection page={page} onAction={props.onAction} />}
      {(rules.canRecord || rules.espRegistration) && <EspSection page={page} today={props.today} onAction={props.onAction} />}
    </>
  );
}

function DisputeSection(props: { page: CasePage; today: string; onAction: (action: RuleAction) => Promise<boolean> }) {
  const styles = useStyles();
  const { rules } = props.page;
  const [statementDate, setStatementDate] = useState('');
  const [statementTotal, setStatementTotal] = useState('');
  const [items, setItems] = useState<ItemDraft[]>([emptyItem()]);
  const [keepPaying, setKeepPaying] = useState('');
  const [basis, setBasis] = useState<'undisputed' | 'average'>('undisputed');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const d = rules.dispute;
  if (!d && !rules.canLodgeDispute) return null;
  const setItem = (i: number, change: Partial<ItemDraft>) => setItems(items.map((item, j) => (j === i ? { ...item, ...change } : item)));
  const submit = async () => {
    const bad = items.findIndex((item) => centsOf(item.amount) === undefined);
    if (bad >= 0) return setProblem(`Amount ${bad + 1} is not an amount in rands (for example 1 234.50).`);
    const keep = centsOf(keepPaying);
    if (keep === undefined) return setProblem('The amount to keep paying is not an amount in rands (for example 850.00).');
    const statementCents = statementTotal.trim() === '' ? undefined : centsOf(statementTotal);
    if (statementTotal.trim() !== '' && statementCents === undefined) return setProblem('The amount due on the statement is not an amount in rands (for example 1 900.00).');
    setProblem(undefined);
    setBusy(true);
    await props.onAction({
      kind: 'dispute',
      body: {
        statementDate,
        ...(statementCents !== undefined ? { statementTotalCents: statementCents } : {}),
        items: items.map((item) => ({
          amountCents: centsOf(item.amount)!,
          reason: item.reason,
          ...(item.meter ? { meter: { billed: Number(item.billed), own: Number(item.own), estimated: item.estimated } } : {}),
        })),
        keepPayingCents: keep,
        keepPayingBasis: basis,
      },
    });
    setBusy(false);
  };
  return (
    <section aria-labelledby="dispute-title" className={styles.section} data-testid="dispute-panel">
      <Subtitle2 as="h3" id="dispute-title" block className={styles.subhead}>
        Billing dispute (Municipal Systems Act s102)
      </Subtitle2>
      {!d && rules.disputeNote && (
        <Caption1 block data-testid="dispute-note">
          {rules.disputeNote}
        </Caption1>
      )}
      {d ? (
        <>
          <Facts
            rows={[
              ['Dispute reference', formatDisputeReference(d.reference)],
              ['Statement of', d.statementTotalCents !== undefined ? `${d.statementDate} (${formatCents(d.statementTotalCents)} due)` : d.statementDate],
              ['Disputed', formatCents(d.totalCents)],
              ['Keep paying meanwhile', `${formatCents(d.keepPayingCents)} (${d.keepPayingBasis === 'average' ? 'average monthly amount' : 'undisputed part'})`],
              ['Investigation due', d.investigationDueOn],
              ['Appeal possible from', d.appealFrom],
              ['Lodged', `${d.lodgedOn} by ${d.lodgedBy.name}`],
            ]}
          />
          <ul aria-label="Disputed amounts">
            {d.items.map((item, i) => (
              <li key={i}>
                {formatCents(item.amountCents)}: {item.reason}
                {item.meter ? ` (bill ${item.meter.billed}${item.meter.estimated ? ', estimated' : ''}; ratepayer reads ${item.meter.own})` : ''}
              </li>
            ))}
          </ul>
          <Caption1 className={styles.muted}>The ratepayer has the receipt. Credit control may not be applied to the disputed amount while the dispute is open.</Caption1>
        </>
      ) : (
        <form
          className={styles.section}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field label="Statement date" required>
            <Input type="date" value={statementDate} max={props.today} onChange={(_, v) => setStatementDate(v.value)} />
          </Field>
          <Field label="Amount due on the statement (rands)" hint="Needed when the ratepayer keeps paying the undisputed part: that part is this amount less what is disputed.">
            <Input inputMode="decimal" value={statementTotal} onChange={(_, v) => setStatementTotal(v.value)} />
          </Field>
          {items.map((item, i) => (
            <fieldset key={i} className={styles.item}>
              <legend>Disputed amount {i + 1}</legend>
              <div className={styles.row}>
                <Field label={`Amount ${i + 1} (rands)`} required>
                  <Input inputMode="decimal" value={item.amount} onChange={(_, v) => setItem(i, { amount: v.value })} />
                </Field>
                <Field label={`Reason ${i + 1} (one line)`} required style={{ flexGrow: 1 }}>
                  <Input value={item.reason} maxLength={200} onChange={(_, v) => setItem(i, { reason: v.value })} />
                </Field>
              </div>
              <Checkbox label="A meter reading is disputed" checked={item.meter} onChange={(_, v) => setItem(i, { meter: !!v.checked })} />
              {item.meter && (
                <div className={styles.row}>
                  <Field label="Reading on the bill">
                    <Input inputMode="numeric" value={item.billed} onChange={(_, v) => setItem(i, { billed: v.value })} />
                  </Field>
                  <Field label="Reading the ratepayer sees">
                    <Input inputMode="numeric" value={item.own} onChange={(_, v) => setItem(i, { own: v.value })} />
                  </Field>
                  <Checkbox label="The bill's reading was estimated" checked={item.estimated} onChange={(_, v) => setItem(i, { estimated: !!v.checked })} />
                </div>
              )}
              {items.length > 1 && (
                <Button appearance="subtle" onClick={() => setItems(items.filter((_, j) => j !== i))}>
                  Remove amount {i + 1}
                </Button>
              )}
            </fieldset>
          ))}
          <div className={styles.row}>
            <Button onClick={() => setItems([...items, emptyItem()])}>Add another amount</Button>
          </div>
          <Field label="Amount to keep paying each month meanwhile (rands)" required>
            <Input inputMode="decimal" value={keepPaying} onChange={(_, v) => setKeepPaying(v.value)} />
          </Field>
          <Field label="That amount is">
            <RadioGroup value={basis} onChange={(_, v) => setBasis(v.value as 'undisputed' | 'average')} layout="horizontal">
              <Radio value="undisputed" label="the undisputed part" />
              <Radio value="average" label="their average monthly amount" />
            </RadioGroup>
          </Field>
          {problem && (
            <Body1 role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
              {problem}
            </Body1>
          )}
          <div className={styles.row}>
            <Button appearance="primary" type="submit" disabled={busy}>
              Lodge dispute
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function ArrangementSection(props: { page: CasePage; onAction: (action: RuleAction) => Promise<boolean> }) {
  const styles = useStyles();
  const { rules } = props.page;
  const [type, setType] = useState<AccountType>('domestic');
  const [debt, setDebt] = useState(randsText(rules.fromIntake.arrearsCents));
  /** The term the expert typed; undefined while they keep the suggested one. */
  const [typedMonths, setMonths] = useState<string>();
  const [income, setIncome] = useState(randsText(rules.fromIntake.monthlyIncomeCents));
  const [busy, setBusy] = useState(false);
  const limits = rules.arrangementLimits[type];
  const debtCents = centsOf(debt);
  const incomeCents = income.trim() === '' ? undefined : centsOf(income);
  // The shortest term within the limits whose instalment fits what the ratepayer proposed (else the longest).
  const proposed = rules.fromIntake.proposedMonthlyCents;
  const suggestion =
    debtCents !== undefined && proposed !== undefined && proposed > 0
      ? suggestTerm({ accountType: type, debtCents, ...(incomeCents !== undefined ? { monthlyIncomeCents: incomeCents } : {}) }, limits, proposed)
      : undefined;
  const suggested = suggestion?.ok ? suggestion.plan : undefined;
  const months = typedMonths ?? String(suggested?.months ?? limits.maxMonths);
  const result =
    debtCents === undefined
      ? undefined
      : calculateArrangement({ accountType: type, debtCents, months: Number(months), ...(incomeCents !== undefined ? { monthlyIncomeCents: incomeCents } : {}) }, limits);
  // While a dispute is open (s102) the arrangement may cover only the undisputed arrears: the same
  // rule the service applies (dispute.ts arrangementBesideDispute), shown before the expert records.
  const openDispute = disputeOpen(rules.dispute) ? rules.dispute : undefined;
  const [accountArrears, setAccountArrears] = useState(randsText(rules.fromIntake.arrearsCents));
  const accountArrearsCents = centsOf(accountArrears);
  const beside = openDispute && debtCents !== undefined ? arrangementBesideDispute(openDispute, debtCents, accountArrearsCents) : undefined;
  const a = rules.arrangement;
  return (
    <section aria-labelledby="arrangement-title" className={styles.section} data-testid="arrangement-panel">
      <Subtitle2 as="h3" id="arrangement-title" block className={styles.subhead}>
        Repayment arrangement
      </Subtitle2>
      {a && (
        <Facts
          rows={[
            ['Agreed', `${ACCOUNT_TYPE_LABELS[a.accountType]}, ${a.months} months, by ${a.agreedBy.name}`],
            ['Arrears', formatCents(a.debtCents)],
            ...(a.downPaymentCents ? ([['Down payment', formatCents(a.downPaymentCents)]] as [string, string][]) : []),
            ['Each month', a.runs.map((r) => `${r.count} × ${formatCents(r.amountCents)}`).join(', then ')],
            ...(a.affordabilityBasisPoints !== undefined ? ([['Share of income', `${(a.affordabilityBasisPoints / 100).toFixed(1)} %`]] as [string, string][]) : []),
            ...(a.leavesOut
              ? ([['Leaves out', `${formatCents(a.leavesOut.disputedCents)} disputed (${formatDisputeReference(a.leavesOut.reference)}) of arrears of ${formatCents(a.leavesOut.arrearsCents)}`]] as [string, string][])
              : []),
          ]}
        />
      )}
      {a && !a.leavesOut && openDispute && (
        <Body1 data-testid="arrangement-before-dispute" style={{ color: tokens.colorPaletteRedForeground1 }}>
          This arrangement was recorded before dispute {formatDisputeReference(openDispute.reference)}: if its arrears include the {formatCents(openDispute.totalCents)} now
          disputed, record it again below for the undisputed arrears only (the acknowledgement of debt must not cover the disputed amount).
        </Body1>
      )}
      {rules.canRecord && (
        <form
          className={styles.section}
          aria-label="Arrangement calculator"
          onSubmit={(e) => {
            e.preventDefault();
            if (!result?.ok || (beside && !beside.ok)) return;
            setBusy(true);
            void props
              .onAction({
                kind: 'arrangement',
                body: {
                  accountType: type,
                  debtCents,
                  months: Number(months),
                  ...(incomeCents !== undefined ? { monthlyIncomeCents: incomeCents } : {}),
                  ...(openDispute && accountArrearsCents !== undefined ? { arrearsCents: accountArrearsCents } : {}),
                },
              })
              .finally(() => setBusy(false));
          }}
        >
          <div className={styles.row}>
            <Field label="Account type">
              <Select value={type} onChange={(_, v) => setType(v.value as AccountType)}>
                {ACCOUNT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {ACCOUNT_TYPE_LABELS[t]}
                  </option>
                ))}
              </Select>
            </Field>
            {openDispute && (
              <Field
                label="Account's arrears, disputed amount included (rands)"
                hint={`Dispute ${formatDisputeReference(openDispute.reference)} holds ${formatCents(openDispute.totalCents)}: the arrangement covers only the rest.`}
                validationMessage={accountArrears !== '' && accountArrearsCents === undefined ? 'Not an amount in rands (for example 12 000.00).' : undefined}
              >
                <Input inputMode="decimal" value={accountArrears} onChange={(_, v) => setAccountArrears(v.value)} />
              </Field>
            )}
            <Field label="Arrears (rands)" validationMessage={debt !== '' && debtCents === undefined ? 'Not an amount in rands (for example 12 000.00).' : undefined}>
              <Input inputMode="decimal" value={debt} onChange={(_, v) => setDebt(v.value)} />
            </Field>
            <Field
              label={`Months (${limits.minMonths}–${limits.maxMonths})`}
              hint={
                suggested && proposed !== undefined
                  ? suggested.instalmentCents <= proposed
                    ? `Suggested: ${suggested.months} months, the shortest term whose instalment fits the ${formatCents(proposed)} a month the ratepayer proposed.`
                    : `Suggested: ${suggested.months} months, the longest allowed; even then the instalment is above the ${formatCents(proposed)} a month the ratepayer proposed.`
                  : undefined
              }
            >
              <Input type="number" min={limits.minMonths} max={limits.maxMonths} value={months} onChange={(_, v) => setMonths(v.value)} />
            </Field>
            <Field label="Household income a month (rands)" validationMessage={income !== '' && incomeCents === undefined ? 'Not an amount in rands.' : undefined}>
              <Input inputMode="decimal" value={income} onChange={(_, v) => setIncome(v.value)} />
            </Field>
          </div>
          <output aria-live="polite" data-testid="arrangement-preview">
            {beside && !beside.ok ? (
              <Body1 style={{ color: tokens.colorPaletteRedForeground1 }}>{beside.problem}</Body1>
            ) : !result ? (
              <Caption1 className={styles.muted}>Enter the arrears to see the plan.</Caption1>
            ) : result.ok ? (
              <Body1>
                {result.plan.downPaymentCents ? `${formatCents(result.plan.downPaymentCents)} down (${limits.downPaymentPercent} %), then ` : ''}
                {result.plan.runs.map((r) => `${r.count} × ${formatCents(r.amountCents)}`).join(' and ')} a month
                {result.plan.affordabilityBasisPoints !== undefined ? ` · ${(result.plan.affordabilityBasisPoints / 100).toFixed(1)} % of income` : ''}
                {rules.fromIntake.proposedMonthlyCents !== undefined ? ` · the ratepayer proposed ${formatCents(rules.fromIntake.proposedMonthlyCents)} a month` : ''}
              </Body1>
            ) : (
              <Body1 style={{ color: tokens.colorPaletteRedForeground1 }}>
                {result.error.code === 'termOutOfRange'
                  ? `For ${ACCOUNT_TYPE_WORDS[type]} accounts the term is ${result.error.minMonths} to ${result.error.maxMonths} months.`
                  : result.error.code === 'debtTooSmallForTerm'
                    ? `The arrears cover at most ${result.error.maxMonths} instalments.`
                    : 'Check the amounts.'}
              </Body1>
            )}
          </output>
          <div className={styles.row}>
            {suggested && typedMonths !== undefined && typedMonths !== String(suggested.months) && (
              <Button onClick={() => setMonths(undefined)}>Use the suggested {suggested.months} months</Button>
            )}
            <Button appearance="primary" type="submit" disabled={busy || !result?.ok || (beside !== undefined && !beside.ok)}>
              {a ? 'Record this arrangement instead' : 'Record arrangement'}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function EspSection(props: { page: CasePage; today: string; onAction: (action: RuleAction) => Promise<boolean> }) {
  const styles = useStyles();
  const { rules } = props.page;
  const [registeredOn, setRegisteredOn] = useState(props.today);
  const [applicationNumber, setApplicationNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmAbove, setConfirmAbove] = useState(false);
  const r = rules.espRegistration;
  // The income the ratepayer gave against the threshold, next to the button (tester 10, finding 9).
  const income = rules.fromIntake.monthlyIncomeCents;
  const threshold = rules.espThreshold;
  const above = income !== undefined && threshold !== undefined && income > threshold.monthlyIncomeCents;
  const docs = rules.espDocuments;
  return (
    <section aria-labelledby="esp-title" className={styles.section} data-testid="esp-panel">
      <Subtitle2 as="h3" id="esp-title" block className={styles.subhead}>
        ESP registration (indigent register)
      </Subtitle2>
      {rules.espThreshold && (
        <Caption1 className={styles.muted}>
          Income threshold in force: {formatCents(rules.espThreshold.monthlyIncomeCents)} a month (from {rules.espThreshold.from}). A registration lasts {rules.espRegistrationMonths} months.
        </Caption1>
      )}
      {r && (
        <Facts
          rows={[
            ['Registered on', `${r.registeredOn}${r.applicationNumber ? ` (application ${r.applicationNumber})` : ''}`],
            ['Lapses on', r.lapsesOn],
            ['Reminder', r.remindedAt ? `sent ${r.remindedAt.slice(0, 10)}` : `on ${r.remindOn}`],
            ...(r.aboveThreshold
              ? ([['Above the threshold', `income ${formatCents(r.aboveThreshold.incomeCents)} a month, threshold ${formatCents(r.aboveThreshold.thresholdCents)}: registered on the expert's confirmation`]] as [string, string][])
              : []),
          ]}
        />
      )}
      {docs && (
        <div data-testid="esp-documents">
          <Caption1 block>Documents the ratepayer was asked for at intake:</Caption1>
          <ul aria-label="Documents asked for">
            {docs.asked.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
          <Caption1 block>What the ratepayer said they have (written while waiting):</Caption1>
          {docs.answers.length === 0 ? (
            <Caption1 block className={styles.muted}>
              Nothing yet: ask which documents they have.
            </Caption1>
          ) : (
            <ul aria-label="The ratepayer's answer about the documents">
              {docs.answers.map((a) => (
                <li key={a.at}>
                  {a.text}
                  {a.inEnglish && a.inEnglish !== a.text ? ` (in English: ${a.inEnglish})` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {rules.canRecord && (
        <form
          className={styles.row}
          aria-label="Record ESP registration"
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            void props
              .onAction({
                kind: 'esp-registration',
                body: { registeredOn, ...(applicationNumber.trim() ? { applicationNumber: applicationNumber.trim() } : {}), ...(above && confirmAbove ? { confirmAboveThreshold: true } : {}) },
              })
              .finally(() => setBusy(false));
          }}
        >
          {income !== undefined && threshold !== undefined && (
            <Body1 data-testid="esp-income-check" style={above ? { color: tokens.colorPaletteRedForeground1 } : undefined}>
              {above
                ? `Household income given: ${formatCents(income)} a month, above the threshold of ${formatCents(threshold.monthlyIncomeCents)} by ${formatCents(income - threshold.monthlyIncomeCents)}.`
                : `Household income given: ${formatCents(income)} a month, within the threshold of ${formatCents(threshold.monthlyIncomeCents)}.`}
            </Body1>
          )}
          {above && (
            <Checkbox
              label="Register anyway: the City accepted this household although the income given is above the threshold"
              checked={confirmAbove}
              onChange={(_, v) => setConfirmAbove(!!v.checked)}
            />
          )}
          <Field label="Registered on" required>
            <Input type="date" value={registeredOn} max={props.today} onChange={(_, v) => setRegisteredOn(v.value)} />
          </Field>
          <Field label="ESP application number (optional)">
            <Input value={applicationNumber} maxLength={40} onChange={(_, v) => setApplicationNumber(v.value)} />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy || (above && !confirmAbove)}>
            {r ? 'Record a new registration' : 'Record registration'}
          </Button>
        </form>
      )}
    </section>
  );
}
