/** "My queue": waiting cases in the person's categories, oldest first, with waits ticking. */
import {
  Badge,
  Button,
  Caption1,
  Link,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ScrollBox } from './ScrollBox.js';
import { displayReference, formatTime, formatWait } from '../format.js';
import { languageName } from '../../../bot/platform/contract/staffWords.js';
import type { QueueState } from '../queueState.js';
import type { Me, WorkItem } from '../../../bot/platform/contract/tabApi.js';
import { useNow } from './useNow.js';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    padding: '16px',
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
  },
  head: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  // The count stays whole inside its badge, however narrow the panel.
  count: { whiteSpace: 'nowrap', flexShrink: 0 },
  grow: { flexGrow: 1 },
  flush: { margin: 0 },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  // A reference is never broken across lines ("2NT-/27U" at phone width).
  mono: { fontFamily: tokens.fontFamilyMonospace, letterSpacing: '0.04em', whiteSpace: 'nowrap' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '4px' },
  subhead: { margin: '8px 0 4px' },
});

/** The queue panel. */
export function QueuePanel(props: {
  me: Me;
  state: QueueState;
  openRef: string | undefined;
  onOpen: (ref: string) => void;
  onClaim: (ref: string) => Promise<boolean>;
  onClaimNext: () => Promise<boolean>;
}) {
  const styles = useStyles();
  const now = useNow() + props.state.clockOffsetMs;
  const [busy, setBusy] = useState<string>();
  const { waiting, mine, others } = props.state;
  const run = async (key: string, action: () => Promise<boolean>) => {
    setBusy(key);
    await action();
    setBusy(undefined);
  };
  const supervisor = props.me.staff.role === 'supervisor';

  return (
    <section className={styles.panel} aria-labelledby="queue-title">
      <div className={styles.head}>
        <Subtitle2 as="h2" id="queue-title" className={styles.flush}>
          {supervisor ? 'All queues' : 'My queue'}
        </Subtitle2>
        <Badge appearance="tint" className={styles.count} aria-label={`${waiting.length} waiting`} data-testid="waiting-count">
          {waiting.length} waiting
        </Badge>
        <span className={styles.grow} />
        <Button appearance="primary" disabled={waiting.length === 0 || !!busy} onClick={() => void run('next', props.onClaimNext)}>
          Claim next
        </Button>
      </div>
      <Caption1 className={styles.muted}>
        {supervisor ? 'Every category' : props.me.categories.filter((c) => props.me.staff.skills.includes(c.code)).map((c) => c.name).join(' · ')}
      </Caption1>
      {waiting.length === 0 ? (
        <Caption1 className={styles.muted} role="status">
          No one is waiting. New cases appear here by themselves.
        </Caption1>
      ) : (
        <ScrollBox label="Waiting cases table">
        <Table size="small" aria-label="Waiting cases, oldest first">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Reference</TableHeaderCell>
              <TableHeaderCell>Category</TableHeaderCell>
              <TableHeaderCell>Waiting</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {waiting.map((item) => {
              const waitedMs = now - Date.parse(item.waitingSince);
              const over = waitedMs > item.waitLimitMinutes * 60_000;
              const ref = displayReference(item.reference);
              return (
                <TableRow key={item.reference} data-reference={item.reference} className={props.openRef === item.reference ? styles.selected : undefined}>
                  <TableCell>
                    <Link className={styles.mono} onClick={() => props.onOpen(item.reference)} aria-label={`Open case ${ref}`}>
                      {ref}
                    </Link>
                    {item.callbackAt && (
                      <Caption1 className={styles.muted}> · call back {formatTime(item.callbackAt)}</Caption1>
                    )}
                    {item.carriedOver && !item.callbackAt && <Caption1 className={styles.muted}> · from an earlier session</Caption1>}
                    {item.returned && (
                      <Caption1 className={styles.muted}> · {item.returned === 'released' ? 'released' : 'transferred'}</Caption1>
                    )}
                  </TableCell>
                  <TableCell>
                    {item.categoryName}
                    {item.language && (
                      <Caption1 className={styles.muted} data-testid="queue-language">
                        {' '}
                        · {languageName(item.language)}
                      </Caption1>
                    )}
                  </TableCell>
                  <TableCell>
                    <span className={over ? styles.over : undefined} aria-label={`waiting ${formatWait(waitedMs)}${over ? `, over the ${item.waitLimitMinutes}-minute limit` : ''}`}>
                      {formatWait(waitedMs)}
                    </span>{' '}
                    {over && (
                      <Badge appearance="filled" color="danger" size="small" className={styles.count}>
                        over {item.waitLimitMinutes} min
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    <Button size="small" disabled={!!busy} onClick={() => void run(item.reference, () => props.onClaim(item.reference))} aria-label={`Claim case ${ref}`}>
                      Claim
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        </ScrollBox>
      )}
      <WorkList title="My cases" items={mine} empty="You have no case open." onOpen={props.onOpen} now={now} testId="my-cases" />
      {others.length > 0 && <WorkList title={supervisor ? 'Being worked on' : 'Colleagues are working on'} items={others} empty="" onOpen={props.onOpen} now={now} showWho />}
    </section>
  );
}

function WorkList(props: { title: string; items: WorkItem[]; empty: string; onOpen: (ref: string) => void; now: number; showWho?: boolean; testId?: string }) {
  const styles = useStyles();
  return (
    <div>
      <Subtitle2 as="h3" block className={styles.subhead}>
        {props.title}
      </Subtitle2>
      {props.items.length === 0 ? (
        <Caption1 block className={styles.muted}>
          {props.empty}
        </Caption1>
      ) : (
        <ul className={styles.list} aria-label={props.title} data-testid={props.testId}>
          {props.items.map((w) => (
            <li key={w.reference}>
              <Link className={styles.mono} onClick={() => props.onOpen(w.reference)} aria-label={`Open case ${displayReference(w.reference)}`}>
                {displayReference(w.reference)}
              </Link>{' '}
              <Caption1>
                {w.categoryName}
                {props.showWho ? ` · ${w.assignedTo.name}` : ''} · with an expert for {formatWait(props.now - Date.parse(w.assignedTo.since))}
              </Caption1>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
