/**
 * The desk's left column: "My cases" (the cases the person is working) first, then "My queue", the
 * waiting cases in the person's categories, oldest first, with waits ticking, in a box of its own
 * that scrolls (tester 11, finding 8: with 21 waiting, her own cases were 1,100 px down the page),
 * then the cases colleagues are working on.
 *
 * The waiting list holds still while the person's pointer or keyboard focus is on it (finding 3):
 * see steadyRows (queueState.ts) and HOLD_MS.
 */
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
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useLayoutEffect, useRef, useState, type MouseEvent, type PointerEvent } from 'react';
import { ScrollBox } from './ScrollBox.js';
import { displayReference, formatTime, formatWait } from '../format.js';
import { languageName } from '../../../bot/platform/contract/staffWords.js';
import { steadyRows, type QueueState, type ShownRow } from '../queueState.js';
import type { Me, QueueItem, WorkItem } from '../../../bot/platform/contract/tabApi.js';
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
  column: { display: 'flex', flexDirection: 'column', gap: '16px', minWidth: 0 },
  // The waiting list scrolls within the window's height (less the header, her own cases and the
  // queue's heading), never less than about six rows; its column headings stay in sight.
  queueBox: {
    maxHeight: 'max(15rem, calc(100vh - 24rem))',
    overflowY: 'auto',
    '& thead th': { position: 'sticky', top: 0, zIndex: 1, backgroundColor: tokens.colorNeutralBackground1 },
  },
  // A case no longer waiting, kept in its place: greyed. Only colours change, never a size, so no
  // row moves (see the category cell below).
  gone: {
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground3,
    ':hover': { backgroundColor: tokens.colorNeutralBackground3 },
  },
  // The category keeps its room (hidden, still laid out); why the case left is written over it.
  reasonCell: { position: 'relative' },
  hidden: { visibility: 'hidden' },
  reason: {
    position: 'absolute',
    inset: 0,
    display: 'flex',
    alignItems: 'center',
    padding: `0 ${tokens.spacingHorizontalS}`,
    overflow: 'hidden',
    color: tokens.colorNeutralForeground2,
    fontWeight: tokens.fontWeightSemibold,
  },
});

/**
 * How long the waiting list stays held after the pointer and focus have left it (ms): long enough
 * for a pointer that slips off and comes back, short enough that the list soon shows only
 * cases that are waiting.
 */
const HOLD_MS = 2500;

/** What a row kept in place says about a case no longer waiting: its button's word and the reason. */
function whyGone(item: QueueItem, state: QueueState): { button: string; words: string; spoken: string } {
  const ref = displayReference(item.reference);
  // Each spoken name holds the button's visible word (WCAG 2.5.3, label in name).
  if (state.mine.some((w) => w.reference === item.reference)) return { button: 'Yours', words: 'Yours now', spoken: `Case ${ref} is yours now` };
  const other = state.others.find((w) => w.reference === item.reference);
  if (other) return { button: 'Taken', words: `Taken by ${other.assignedTo.name}`, spoken: `Case ${ref} is taken by ${other.assignedTo.name}` };
  const words =
    {
      'case.claimed': 'Taken',
      'case.transferred': 'Moved to another queue',
      'case.cancelled': 'The ratepayer left the queue',
      'case.resolved': 'Closed',
      'case.no_show': 'Closed',
    }[state.left[item.reference] as string] ?? 'No longer waiting';
  if (words === 'Taken') return { button: 'Taken', words, spoken: `Case ${ref} is taken` };
  return { button: 'Gone', words, spoken: `Case ${ref} is gone: ${words.toLowerCase()}` };
}

/** The queue row (its reference) at a point of the window, if any. */
function rowAt(x: number, y: number): string | undefined {
  return rowOf(document.elementFromPoint(x, y));
}
function rowOf(target: EventTarget | null): string | undefined {
  return target instanceof Element ? (target.closest('tr[data-reference]')?.getAttribute('data-reference') ?? undefined) : undefined;
}

/** Where the pointer last moved over the waiting list, and the row it was on then. */
interface Aim {
  x: number;
  y: number;
  touch: boolean;
  reference: string | undefined;
}


/** The desk's left column. `onNotice`: tells the person something (the case side's status line). */
export function QueuePanel(props: {
  me: Me;
  state: QueueState;
  openRef: string | undefined;
  onOpen: (ref: string) => void;
  onClaim: (ref: string) => Promise<boolean>;
  onClaimNext: () => Promise<boolean>;
  onNotice: (message: string) => void;
}) {
  const styles = useStyles();
  const now = useNow() + props.state.clockOffsetMs;
  const [busy, setBusy] = useState<string>();
  const { waiting, mine, others } = props.state;

  // Held while the pointer or keyboard focus is on the list, a claim is on its way, and HOLD_MS after.
  const [pointerOn, setPointerOn] = useState(false);
  const [focusOn, setFocusOn] = useState(false);
  const [lingering, setLingering] = useState(false);
  const settle = useRef<ReturnType<typeof setTimeout>>(undefined);
  const linger = () => {
    clearTimeout(settle.current);
    setLingering(true);
    settle.current = setTimeout(() => setLingering(false), HOLD_MS);
  };
  useEffect(() => () => clearTimeout(settle.current), []);
  const held = pointerOn || focusOn || lingering || !!busy;
  const shown = useRef<ShownRow[]>([]);
  const rows = steadyRows(shown.current, waiting, held);
  useLayoutEffect(() => {
    shown.current = rows;
  });

  // The row under the pointer when it last moved. A click on another row's Claim means that row
  // came under a still pointer (the list held still, but something above it grew: her own cases,
  // a message): it was not the one she aimed at, so nothing is claimed. A scroll (hers) moves rows
  // under the pointer too, so the row is read again after one.
  const aim = useRef<Aim>(undefined);
  useEffect(() => {
    const scrolled = () => {
      if (aim.current) aim.current.reference = rowAt(aim.current.x, aim.current.y);
    };
    window.addEventListener('scroll', scrolled, { passive: true, capture: true });
    return () => window.removeEventListener('scroll', scrolled, { capture: true });
  }, []);
  const onPointerMove = (e: PointerEvent) => {
    // A "move" to where the pointer already is (some drivers send one with each click) is no aiming.
    if (aim.current && aim.current.x === e.clientX && aim.current.y === e.clientY) return;
    aim.current = { x: e.clientX, y: e.clientY, touch: e.pointerType === 'touch', reference: rowOf(e.target) };
  };

  const run = async (key: string, action: () => Promise<boolean>) => {
    setBusy(key);
    try {
      await action();
    } finally {
      setBusy(undefined);
      linger();
    }
  };
  const claim = (e: MouseEvent, item: QueueItem) => {
    // detail 0: pressed with the keyboard, where focus, not the pointer, says which case.
    const pointed = aim.current;
    if (e.detail > 0 && pointed && !pointed.touch && pointed.reference !== item.reference) {
      props.onNotice('The queue moved under the pointer as you clicked, so nothing was claimed. Point at the case you want and click Claim again.');
      return;
    }
    void run(item.reference, () => props.onClaim(item.reference));
  };
  const supervisor = props.me.staff.role === 'supervisor';

  return (
    <div className={styles.column}>
      <section className={styles.panel} aria-labelledby="my-cases-title">
        <Subtitle2 as="h2" id="my-cases-title" className={styles.flush}>
          My cases
        </Subtitle2>
        <WorkItems items={mine} empty="You have no case open." label="My cases" onOpen={props.onOpen} now={now} testId="my-cases" />
      </section>
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
        {rows.length === 0 ? (
          <Caption1 className={styles.muted} role="status">
            No one is waiting. New cases appear here by themselves.
          </Caption1>
        ) : (
          <div
            onPointerEnter={() => setPointerOn(true)}
            onPointerMove={onPointerMove}
            onPointerLeave={() => {
              setPointerOn(false);
              aim.current = undefined;
              linger();
            }}
            // Keyboard focus holds it (a keyboard user keeps her place); the focus a click leaves on a
            // link or button does not: the pointer says where a mouse user is, and once it has gone to
            // the case page the list should close up, not wait for her next click elsewhere.
            onFocus={(e) => setFocusOn(e.target.matches(':focus-visible'))}
            onBlur={(e) => {
              if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
              setFocusOn(false);
              linger();
            }}
          >
            <ScrollBox label="Waiting cases table" className={styles.queueBox}>
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
                  {rows.map(({ item, gone }) => {
                    const waitedMs = now - Date.parse(item.waitingSince);
                    const over = waitedMs > item.waitLimitMinutes * 60_000;
                    const ref = displayReference(item.reference);
                    const why = gone ? whyGone(item, props.state) : undefined;
                    const category = (
                      <>
                        {item.categoryName}
                        {item.language && (
                          <Caption1 className={styles.muted} data-testid="queue-language">
                            {' '}
                            · {languageName(item.language)}
                          </Caption1>
                        )}
                      </>
                    );
                    return (
                      <TableRow
                        key={item.reference}
                        data-reference={item.reference}
                        data-gone={gone || undefined}
                        className={mergeClasses(props.openRef === item.reference && styles.selected, gone && styles.gone)}
                      >
                        <TableCell>
                          <Link className={styles.mono} onClick={() => props.onOpen(item.reference)} aria-label={`Open case ${ref}`}>
                            {ref}
                          </Link>
                          {item.callbackAt && <Caption1 className={styles.muted}> · call back {formatTime(item.callbackAt)}</Caption1>}
                          {item.carriedOver && !item.callbackAt && <Caption1 className={styles.muted}> · from an earlier session</Caption1>}
                          {item.returned && <Caption1 className={styles.muted}> · {item.returned === 'released' ? 'released' : 'transferred'}</Caption1>}
                        </TableCell>
                        {/* The same elements whether the case is waiting or gone, so the row keeps its size and a
                            focused button stays the focused element (keyboard users keep their place). */}
                        <TableCell className={styles.reasonCell}>
                          <span className={gone ? styles.hidden : undefined}>{category}</span>
                          {why && <span className={styles.reason}>{why.words}</span>}
                        </TableCell>
                        <TableCell>
                          <span
                            className={over && !gone ? styles.over : undefined}
                            aria-label={`waiting ${formatWait(waitedMs)}${over ? `, over the ${item.waitLimitMinutes}-minute limit` : ''}`}
                          >
                            {formatWait(waitedMs)}
                          </span>{' '}
                          {over && (
                            <Badge appearance="filled" color={gone ? 'informative' : 'danger'} size="small" className={styles.count}>
                              over {item.waitLimitMinutes} min
                            </Badge>
                          )}
                        </TableCell>
                        <TableCell>
                          <Button
                            size="small"
                            appearance={gone ? 'subtle' : 'secondary'}
                            disabledFocusable={gone || !!busy}
                            onClick={(e) => {
                              if (!gone) claim(e, item);
                            }}
                            aria-label={why ? why.spoken : `Claim case ${ref}`}
                          >
                            {why ? why.button : 'Claim'}
                          </Button>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </ScrollBox>
          </div>
        )}
        {others.length > 0 && (
          <div>
            <Subtitle2 as="h3" block className={styles.subhead}>
              {supervisor ? 'Being worked on' : 'Colleagues are working on'}
            </Subtitle2>
            <WorkItems items={others} empty="" label={supervisor ? 'Being worked on' : 'Colleagues are working on'} onOpen={props.onOpen} now={now} showWho />
          </div>
        )}
      </section>
    </div>
  );
}

/** A list of cases being worked on. */
function WorkItems(props: { items: WorkItem[]; empty: string; label: string; onOpen: (ref: string) => void; now: number; showWho?: boolean; testId?: string }) {
  const styles = useStyles();
  if (props.items.length === 0)
    return (
      <Caption1 block className={styles.muted}>
        {props.empty}
      </Caption1>
    );
  return (
    <ul className={styles.list} aria-label={props.label} data-testid={props.testId}>
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
  );
}
