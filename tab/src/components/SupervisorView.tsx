/**
 * The supervisor view: every queue and every agent of the session (who is on which case, for how
 * long), reassigning a case to an agent with its skill, a chart of the queue's length over the
 * session and of the waits, and a CSV export of the session's cases (no ID numbers, names or
 * contact details: the service leaves them out). Reads GET /api/supervisor/overview every 10 s.
 */
import { LineChart, VerticalStackedBarChart } from '@fluentui/react-charts';
import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Caption1,
  Card,
  CardHeader,
  Dropdown,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Subtitle2,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { languageName } from '../../../bot/platform/contract/staffWords.js';
import type { SupervisorOverview } from '../../../bot/platform/contract/tabApi.js';
import { clockTime, countAxis, timeTickCount, timeTicks } from '../chartAxes.js';
import { count, waitsInWords } from '../reportWords.js';
import { StackingTable } from './StackingTable.js';
import { useWidth } from './useWidth.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '16px', padding: '16px' },
  row: { display: 'flex', gap: '16px', flexWrap: 'wrap', alignItems: 'stretch' },
  // minWidth 0: on a phone the chart takes the screen's width, not more (the page must not scroll sideways).
  chart: { flex: '1 1 480px', minWidth: 0, padding: '12px' },
  queues: { flex: '1 1 420px', minWidth: 0 },
  agents: { flex: '1 1 420px', minWidth: 0 },
  ref: { whiteSpace: 'nowrap' },
  // The chart library capitalises every word of a legend ("Taken By An Expert"); ours are in
  // sentence case like every other label, so they are shown as written.
  legend: { textTransform: 'none' },
  line: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap', padding: '4px 0' },
  // Every agent the same way, whatever the width and the length of their skills (tester 7,
  // finding 13: one flowing line wrapped for some agents and not others): name and presence,
  // then their categories, then their cases (or none), each on its own line.
  agent: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: '2px',
    padding: '6px 0',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    ':last-child': { borderBottom: 'none' },
  },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  // The wait chart on a narrow card: a row per bucket, its label, then its bar lying down, then its counts.
  waitRows: { display: 'grid', gridTemplateColumns: 'max-content 1fr max-content', columnGap: '8px', rowGap: '6px', alignItems: 'center', margin: 0, padding: 0 },
  waitRow: { display: 'contents' },
  waitTrack: { display: 'flex', height: '14px', minWidth: 0, borderLeft: `1px solid ${tokens.colorNeutralStroke1}` },
  waitKey: { display: 'flex', flexWrap: 'wrap', gap: '4px 16px', padding: '12px 0 0', margin: 0, listStyle: 'none' },
  // Read out, not shown: what the bar's colours say, for a screen reader.
  unseen: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  swatch: { display: 'inline-block', width: '12px', height: '12px', marginRight: '6px', verticalAlign: 'middle' },
});

/**
 * Below this width (CSS px) of their box, the queues and follow-through tables show each row as a
 * block of "label value" lines (StackingTable): side by side, their seven columns need about 550
 * px, and a phone's 320 px showed three and a half of them (tester 9, finding 5).
 */
const STACK_TABLES_BELOW = 640;

/** The wait chart's two kinds of case, in the order they are stacked, with their colours. */
const WAIT_KINDS = [
  { key: 'served', legend: 'Taken by an expert', color: tokens.colorPaletteGreenBackground3 },
  { key: 'notServed', legend: 'Still waiting or left', color: tokens.colorPaletteMarigoldBackground3 },
] as const;

const fmtRef = (r: string) => `${r.slice(0, 3)}-${r.slice(3)}`;
const mins = (n: number) => (n === 1 ? '1 min' : `${n} min`);

/**
 * Per category, the share of the session's ratepayers taken by an expert who waited within the
 * wait they were told at queueing (at most 5 minutes longer): where the promise breaks.
 */
function EstimatesKeptList(props: { queues: SupervisorOverview['queues'] }) {
  return (
    <ul aria-label="Waited within their estimate" data-testid="estimates-kept" style={{ margin: '0 0 8px', paddingLeft: 0, listStyle: 'none' }}>
      {props.queues.map((q) => (
        <li key={q.code}>
          <Caption1>
            {q.name}:{' '}
            {q.estimates.taken === 0
              ? 'nobody taken yet'
              : `${Math.round((100 * q.estimates.withinEstimate) / q.estimates.taken)} % waited within their estimate (${q.estimates.withinEstimate} of ${q.estimates.taken})`}
          </Caption1>
        </li>
      ))}
    </ul>
  );
}

/** Reassign control: choose an agent with the case's skill, then Assign. */
function Reassign(props: { reference: string; category: string; current?: string; agents: SupervisorOverview['agents']; onAssign: (ref: string, agentId: string) => Promise<void> }) {
  const choices = props.agents.filter((a) => a.skills.includes(props.category) && a.id !== props.current);
  const [agentId, setAgentId] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (choices.length === 0) return <Caption1>No other agent has this skill</Caption1>;
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
      <Dropdown
        aria-label={`Agent for case ${fmtRef(props.reference)}`}
        placeholder="Choose an agent"
        size="small"
        style={{ minWidth: 180 }}
        onOptionSelect={(_e, d) => setAgentId(d.optionValue)}
      >
        {choices.map((a) => (
          <Option key={a.id} value={a.id} text={a.name}>
            {`${a.name}${a.cases.length ? ` (on ${a.cases.length})` : ''}`}
          </Option>
        ))}
      </Dropdown>
      <Button
        size="small"
        disabled={!agentId || busy}
        aria-label={`${props.current ? 'Reassign' : 'Assign'} case ${fmtRef(props.reference)}`}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onAssign(props.reference, agentId!);
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.current ? 'Reassign' : 'Assign'}
      </Button>
    </span>
  );
}

/**
 * "Close as spam" (issue 17): two steps, so a slip of the finger closes nothing; the ratepayer is
 * told politely by the service and the audit trail names the supervisor.
 */
function CloseAsSpam(props: { reference: string; onClose: (ref: string) => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <Button size="small" appearance="subtle" aria-label={`Close as spam: case ${fmtRef(props.reference)}`} onClick={() => setAsking(true)}>
        Close as spam
      </Button>
    );
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
      <Button
        size="small"
        disabled={busy}
        aria-label={`Confirm close: case ${fmtRef(props.reference)} as spam`}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onClose(props.reference);
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        Confirm close
      </Button>
      <Button size="small" appearance="subtle" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </span>
  );
}

/**
 * Below this width (CSS px) of the wait card's content the chart's bars lie down, a row each with
 * its label: eight labels ("0–5 min" … "over 60 min", 43 to 67 px wide, each on one line) side by
 * side need steps of about 70 px, which the upright chart has from 620 px (its axes take about 85);
 * with less they would run into each other, or the chart drop some (tester 8, finding 7: at 320 px
 * "0–5 min" had no label under its bar; tester 9, finding 6).
 */
const LYING_BARS_BELOW = 620;

/**
 * The wait chart on a narrow card: one row per bucket with its label, its bar lying down (taken,
 * then still waiting or left, to the scale of the fullest bucket) and its count (the split read
 * out to a screen reader), and the colours' key below, wrapping. Eight upright bars at 320 px leave no room for their labels.
 */
function WaitBars(props: { waits: SupervisorOverview['waits'] }) {
  const styles = useStyles();
  const most = Math.max(1, ...props.waits.map((b) => b.served + b.notServed));
  return (
    <div data-testid="wait-bars">
      <ul className={styles.waitRows} aria-label="How long cases waited">
        {props.waits.map((b) => (
          <li key={b.label} className={styles.waitRow}>
            <Caption1>{b.label}</Caption1>
            <span className={styles.waitTrack} aria-hidden="true">
              {WAIT_KINDS.map((k) => (b[k.key] ? <span key={k.key} data-kind={k.key} style={{ width: `${(100 * b[k.key]) / most}%`, background: k.color }} /> : null))}
            </span>
            <Caption1>
              {b.served + b.notServed}
              <span className={styles.unseen}>{` (${b.served} taken by an expert, ${b.notServed} still waiting or left)`}</span>
            </Caption1>
          </li>
        ))}
      </ul>
      <ul className={styles.waitKey} aria-label="Key">
        {WAIT_KINDS.map((k) => (
          <li key={k.key}>
            <span className={styles.swatch} style={{ background: k.color }} />
            <Caption1>{k.legend}</Caption1>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The whole supervisor view. */
export function SupervisorView(props: { getToken: () => Promise<string>; /** One region's view (a channel tab pinned to it). */ region?: string }) {
  const styles = useStyles();
  const [data, setData] = useState<SupervisorOverview>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [queueCard, queueCardWidth] = useWidth<HTMLDivElement>();
  const [waitCard, waitCardWidth] = useWidth<HTMLDivElement>();

  const call = useCallback(
    async (method: string, path: string, body?: unknown) => {
      const token = await props.getToken();
      const res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) {
        const b = (await res.json().catch(() => ({}))) as { message?: string };
        throw new Error(b.message ?? `The service answered ${res.status}.`);
      }
      return res;
    },
    [props],
  );

  const load = useCallback(async () => {
    try {
      // A region code is programme data, not personal: it may travel in the URL.
      const regionQuery = props.region ? `?region=${encodeURIComponent(props.region)}` : '';
      setData((await (await call('GET', `/api/supervisor/overview${regionQuery}`)).json()) as SupervisorOverview);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [call, props.region]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [load]);

  const assign = async (reference: string, agentId: string) => {
    try {
      const res = await call('POST', `/api/supervisor/cases/${reference}/assign`, { agentId });
      const body = (await res.json()) as { assignedTo: { name: string } };
      setNotice(`Case ${fmtRef(reference)} is now with ${body.assignedTo.name}.`);
      await load();
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  const closeAsSpam = async (reference: string) => {
    try {
      await call('POST', `/api/supervisor/cases/${reference}/spam`, {});
      setNotice(`Case ${fmtRef(reference)} was closed as spam; the ratepayer was told it was closed.`);
      await load();
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  const exportCsv = async () => {
    if (!data) return;
    const regionQuery = data.region ? `&region=${encodeURIComponent(data.region.code)}` : '';
    const res = await call('GET', `/api/supervisor/cases.csv?session=${encodeURIComponent(data.session.id)}${regionQuery}`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `cases-${data.session.id.replace(':', '')}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  if (error && !data)
    return (
      <MessageBar intent="error" style={{ margin: 16 }}>
        <MessageBarBody>{error}</MessageBarBody>
      </MessageBar>
    );
  if (!data) return <Spinner label="Loading the session…" style={{ paddingTop: 48 }} />;

  const s = data.summary;
  // The charts show the programme's clock (its zone, 24-hour), as the header does, and whole counts.
  const tz = data.session.timeZone;
  const timeline = data.timeline.map((p) => {
    const at = new Date(p.at);
    const time = clockTime(at, tz);
    return { x: at, y: p.waiting, xAxisCalloutData: time, xAxisCalloutAccessibilityData: { ariaLabel: `${time}: ${p.waiting} waiting` } };
  });
  const queueAxis = countAxis(Math.max(0, ...data.timeline.map((p) => p.waiting)));
  const waitAxis = countAxis(Math.max(0, ...data.waits.map((b) => b.served + b.notServed)));
  const timeAxis = timeline.length ? timeTicks(timeline[0]!.x, timeline[timeline.length - 1]!.x, tz, timeTickCount(queueCardWidth)) : [];
  const narrowWaits = waitCardWidth > 0 && waitCardWidth < LYING_BARS_BELOW;
  return (
    <div className={styles.root} data-testid="supervisor-view">
      <div className={styles.line}>
        <Subtitle2 as="h2">
          {data.session.label}
          {data.region ? ` · ${data.region.name}` : ''}
        </Subtitle2>
        <Badge appearance="tint" color={data.session.open ? 'success' : 'informative'}>
          {data.session.open ? 'Open' : 'Closed'}
        </Badge>
        <span style={{ flex: 1 }} />
        <Button appearance="primary" onClick={() => void exportCsv()}>
          Export cases (CSV)
        </Button>
      </div>
      {notice && (
        <MessageBar intent="info" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <StackingTable
        label="Queues now"
        boxLabel="Queues now table"
        columns={['Category', 'Waiting', 'Longest wait', 'With an expert', 'Resolved', 'Referred to the back office', 'Not resolved', 'Cancelled / no-show', 'Agents active']}
        rows={s.categories.map((c) => ({
          key: c.code,
          cells: [
            { value: c.name },
            { value: c.waiting },
            { value: c.waiting ? mins(c.longestWaitMinutes) : '–', className: c.overLimit ? styles.over : undefined },
            { value: c.inProgress },
            { value: c.resolved },
            { value: c.referred ?? 0 },
            { value: c.notResolved ?? 0 },
            { value: c.cancelledOrNoShow },
            { value: c.agentsActive },
          ],
        }))}
        stackBelow={STACK_TABLES_BELOW}
      />
      {(s.waitingByLanguage ?? []).some((l) => l.code !== 'en') && (
        // Issue 16: who waits for which language, so a speaker can be moved onto the queue.
        <Body1 as="p" data-testid="waiting-by-language">
          Waiting by language: {(s.waitingByLanguage ?? []).map((l) => `${languageName(l.code)} ${l.waiting}`).join(' · ')}
        </Body1>
      )}
      <div className={styles.row}>
        <Card className={styles.chart} data-testid="queue-chart" ref={queueCard}>
          <CardHeader header={<Body1Strong>Queue length over the session</Body1Strong>} />
          <LineChart
            // Steps, not slopes: each count holds until the next point (the series gives every change, queueLengthSeries).
            data={{ chartTitle: 'Cases waiting', lineChartData: [{ legend: 'Cases waiting', data: timeline, color: tokens.colorBrandBackground, lineOptions: { curve: 'stepAfter' } }] }}
            height={240}
            yAxisTitle="Waiting"
            hideLegend
            tickValues={timeAxis}
            customDateTimeFormatter={(at: Date) => clockTime(at, tz)}
            yMaxValue={queueAxis.yMaxValue}
            yAxisTickCount={queueAxis.yAxisTickCount}
          />
        </Card>
        <Card className={styles.chart} data-testid="wait-chart" ref={waitCard}>
          <CardHeader header={<Body1Strong>How long cases waited</Body1Strong>} />
          {narrowWaits ? (
            // On a narrow card the bars lie down, a row each beside its label (LYING_BARS_BELOW).
            <WaitBars waits={data.waits} />
          ) : (
            <VerticalStackedBarChart
              data={data.waits.map((b) => ({
                xAxisPoint: b.label,
                chartData: [
                  ...WAIT_KINDS.map((k) => ({ legend: k.legend, data: b[k.key], color: k.color })),
                ],
              }))}
              height={240}
              // Waits, not cases: a case handed back to the queue waits twice (waitDistribution).
              yAxisTitle="Waits"
              // Both legends shown, on two lines if need be, never folded into "+2 more" (tester 8, finding 7).
              legendProps={{ styles: { legend: styles.legend }, enabledWrapLines: true }}
              // Each label on one line, as the page's text reads it: "5–10 min", not "5–10" over "min"
              // (tester 9, finding 6: the chart wrapped its labels to the bars' 48 px steps). The bars
              // are spread over the card's width instead, which from LYING_BARS_BELOW up gives every
              // label room beside the next; so none is dropped (the chart's own test for overlap
              // wants 10 px more than a label needs, and dropped "45–60 min"; tester 8, finding 7).
              xAxisInnerPadding={0.5}
              xAxisOuterPadding={0}
              barWidth="auto"
              maxBarWidth={32}
              hideTickOverlap={false}
              yMaxValue={waitAxis.yMaxValue}
              yAxisTickCount={waitAxis.yAxisTickCount}
            />
          )}
        </Card>
      </div>
      <div className={styles.row}>
        <Card className={styles.queues}>
          <CardHeader header={<Body1Strong>All queues</Body1Strong>} />
          <EstimatesKeptList queues={data.queues} />
          <ul aria-label="Waiting cases" style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
            {data.queues.flatMap((q) =>
              q.waiting.map((w) => (
                <li key={w.reference} className={styles.line}>
                  <Body1Strong className={styles.ref}>{fmtRef(w.reference)}</Body1Strong>
                  <Body1>{q.name}</Body1>
                  <Caption1>{w.channel}</Caption1>
                  <Caption1 className={w.overLimit ? styles.over : undefined}>waiting {mins(w.waitMinutes)}</Caption1>
                  <Reassign reference={w.reference} category={q.code} agents={data.agents} onAssign={assign} />
                  <CloseAsSpam reference={w.reference} onClose={closeAsSpam} />
                </li>
              )),
            )}
            {data.queues.every((q) => q.waiting.length === 0) && <Caption1>Nobody is waiting.</Caption1>}
          </ul>
        </Card>
        <Card className={styles.agents}>
          <CardHeader header={<Body1Strong>All agents</Body1Strong>} />
          <ul aria-label="Agents" style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
            {data.agents.map((a) => (
              <li key={a.id} className={styles.agent} data-testid={`agent-${a.id}`}>
                <span className={styles.line} data-part="head">
                  <Body1Strong>{a.name}</Body1Strong>
                  {/* 'informative', not 'subtle': Fluent's subtle outline badge is white text, unreadable on the card. */}
                  <Badge appearance="outline" color={a.present ? 'success' : 'informative'}>
                    {a.present ? 'Tab open' : 'Away'}
                  </Badge>
                </span>
                <Caption1 data-part="skills">{a.skillNames.join(', ')}</Caption1>
                {a.cases.length === 0 && <Caption1 data-part="cases">No case now</Caption1>}
                {a.cases.map((c) => (
                  <span key={c.reference} className={styles.line} data-part="cases">
                    <Body1>
                      on <span className={styles.ref}>{fmtRef(c.reference)}</span> ({c.categoryName}) for {mins(c.minutes)}
                    </Body1>
                    <Reassign reference={c.reference} category={c.category} current={a.id} agents={data.agents} onAssign={assign} />
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </Card>
      </div>
      {data.report.followThrough && <FollowThroughTable measures={data.report.followThrough} />}
      <Caption1>
        {/* Closed: the report is final, and says who was carried over to the next session (tester 11). */}
        {data.session.open ? 'Session report so far' : 'Session report'}: {count(data.report.totals.total, 'case', 'cases')}, {waitsInWords(data.report.totals, s.totals)}
        {!data.session.open && data.report.carriedOver.waiting.length > 0 ? `, ${data.report.carriedOver.waiting.length} still waiting at the close, carried over to the next session` : ''}, satisfaction{' '}
        {data.report.satisfaction.count ? `${data.report.satisfaction.average} / 5 (${data.report.satisfaction.count})` : 'no answers yet'}.
      </Caption1>
    </div>
  );
}

type Measures = NonNullable<SupervisorOverview['report']['followThrough']>;

/** Issue 19: the session's follow-through measures, per category and per expert. */
function FollowThroughTable(props: { measures: Measures }) {
  const rows = [
    ...props.measures.byCategory.map((m) => ({ ...m, group: 'Category' })),
    ...props.measures.byExpert.map((m) => ({ ...m, group: 'Expert' })),
    { key: 'all', name: 'All', group: '', ...props.measures.totals },
  ];
  return (
    <Card>
      <CardHeader header={<Body1Strong>Follow-through</Body1Strong>} />
      <StackingTable
        label="Follow-through per category and per expert"
        boxLabel="Follow-through measures"
        columns={['Category or expert', 'Finished', 'At first contact', 'Reopened', 'Referred', 'Overdue', 'Median days to done']}
        rows={rows.map((m) => ({
          key: `${m.group}:${m.key}`,
          cells: [
            { value: m.group ? `${m.name} (${m.group.toLowerCase()})` : m.name },
            { value: m.finished },
            { value: m.firstContact },
            { value: m.reopened },
            { value: m.referred },
            { value: m.overdue },
            { value: m.medianDaysToDone ?? '–' },
          ],
        }))}
        stackBelow={STACK_TABLES_BELOW}
      />
    </Card>
  );
}
