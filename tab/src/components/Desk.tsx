/** The signed-in desk: header, the live queue on the left, search and the case page on the right. */
import { Badge, Body1Strong, Button, Caption1, MessageBar, MessageBarBody, Spinner, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Api } from '../api.js';
import { displayReference } from '../format.js';
import { openLiveStream, type LiveFeed, type LiveListener } from '../liveStream.js';
import { applyEvent, emptyQueue, fromSnapshot, type QueueState } from '../queueState.js';
import { startDesk, type DeskAnswers, type DeskStart } from '../startup.js';
import { queueCategories } from '../../../bot/domain/access.js';
import type { CaseMovedAway, CasePage, Me, QueueEvent, QueueView, TabConfig } from '../../../bot/platform/contract/tabApi.js';
import { staffRoleLabel } from '../../../bot/platform/contract/staffWords.js';
import { LoadBoundary } from './LoadBoundary.js';
import { QueuePanel } from './QueuePanel.js';
import { SearchPanel } from './SearchPanel.js';
// The case page (its dialogs, the conversation) is never on the first screen: its own chunk,
// fetched once the desk shows, so it does not hold up the queue.
const loadCasePanel = () => import('./CasePanel.js');
const CasePanel = lazy(() => loadCasePanel().then((m) => ({ default: m.CasePanel })));
// The supervisor view (with its charts) loads only when a supervisor opens it: agents' tab stays small.
const SupervisorView = lazy(() => import('./SupervisorView.js').then((m) => ({ default: m.SupervisorView })));
const BackOfficeView = lazy(() => import('./BackOfficeView.js').then((m) => ({ default: m.BackOfficeView })));

/** What the person is told when a rules action is saved (issue 20). */
const RULE_NOTICES = {
  dispute: 'Dispute lodged on {ref}; the ratepayer has been sent the receipt.',
  arrangement: 'Arrangement recorded on {ref}; the ratepayer has been sent its summary.',
  'esp-registration': 'ESP registration recorded on {ref}; the ratepayer will be reminded before it lapses.',
} as const;

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    padding: '10px 20px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    flexWrap: 'wrap',
  },
  grow: { flexGrow: 1 },
  body: {
    display: 'grid',
    gridTemplateColumns: 'minmax(340px, 440px) 1fr',
    gap: '20px',
    padding: '16px 20px',
    alignItems: 'start',
    // minmax(0, …): a column is never wider than the screen because of a wide table (it scrolls in its box).
    '@media (max-width: 820px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  right: { display: 'flex', flexDirection: 'column', gap: '16px', minWidth: 0 },
  placeholder: { color: tokens.colorNeutralForeground3, padding: '24px 0' },
});

type Status = 'connecting' | 'live' | 'reconnecting';

/**
 * What another person's change to the open case means, as the status line says it; undefined
 * for changes that only add to the page (a note, a message, corrected details).
 */
function changedBySomeoneElse(event: QueueEvent, myId: string): string | undefined {
  const ref = displayReference(event.reference);
  const who = event.by.kind === 'ratepayer' ? 'The ratepayer' : event.by.name;
  switch (event.kind) {
    case 'case.claimed':
      return event.working?.assignedTo.staffId === myId
        ? `Case ${ref} is yours now: ${who} gave it to you.`
        : `Case ${ref} is now with ${event.working?.assignedTo.name ?? who}.`;
    case 'case.released':
      return `${who} put case ${ref} back in its queue.`;
    case 'case.transferred':
      return `${who} moved case ${ref} to another queue.`;
    case 'case.resolved':
      return `${who} closed case ${ref}.`;
    case 'case.cancelled':
      return `Case ${ref} is cancelled: the ratepayer left the queue.`;
    case 'case.no_show':
      return `Case ${ref} is closed as a no-show.`;
    default:
      return undefined;
  }
}

/** The desk. */
/**
 * Resolves once the page shows no dialog and the modal's hiding of the rest of the page has been
 * taken back (checked each frame, for at most two seconds).
 */
function whenNoDialogIsOpen(): Promise<void> {
  const until = performance.now() + 2000;
  return new Promise((resolve) => {
    const check = () => {
      if ((!document.querySelector('[role="dialog"]') && !document.querySelector('[aria-hidden="true"]:has([role="main"], main, h1)')) || performance.now() > until) resolve();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

export function Desk(props: {
  config: TabConfig;
  api: Api;
  /** The first requests, already sent (see startup.ts). */
  start?: DeskStart;
  /** Their answers, when they came before the desk first rendered. */
  answers?: DeskAnswers;
  onSignOut?: () => void;
  onSessionExpired: () => void;
  /** A channel tab's view: open on the supervisor view (of one region), for a supervisor. */
  pinned?: { region?: string };
}) {
  const { api, start, answers } = props;
  const styles = useStyles();
  const [me, setMe] = useState<Me | undefined>(answers?.me);
  const [error, setError] = useState<string>();
  const [queue, setQueue] = useState<QueueState>(() => (answers ? fromSnapshot(answers.queue, emptyQueue) : emptyQueue));
  const [status, setStatus] = useState<Status>('connecting');
  const [openRef, setOpenRef] = useState<string>();
  const [page, setPage] = useState<CasePage>();
  const [pageError, setPageError] = useState<string>();
  const [pageLoading, setPageLoading] = useState(false);
  const [supervising, setSupervising] = useState(!!props.pinned);
  // Issue 19: the back-office view, for staff with back-office teams (and supervisors).
  const [backOffice, setBackOffice] = useState(false);
  const [notice, setNotice] = useState<string>();
  const openRefRef = useRef<string | undefined>(undefined);
  openRefRef.current = openRef;
  // The back-office view hears the same stream (tester 11, finding 9): a referral's page shows a
  // colleague's or a supervisor's change as it happens.
  const liveListeners = useRef(new Set<LiveListener>());
  const liveFeed = useRef<LiveFeed>({
    subscribe: (listener) => {
      liveListeners.current.add(listener);
      return () => liveListeners.current.delete(listener);
    },
  });

  // The parent passes a new function on each of its renders; the live stream must not reconnect for that.
  const sessionExpired = useRef(props.onSessionExpired);
  sessionExpired.current = props.onSessionExpired;
  const onSessionExpired = useCallback(() => sessionExpired.current(), []);
  const handleError = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onSessionExpired();
      return (e as Error).message;
    },
    [onSessionExpired],
  );

  // The person and the first snapshot of the queue are asked for together (often already on their
  // way: see startup.ts) and shown in one render, the desk with its queue, not an empty queue first.
  useEffect(() => {
    if (answers) return;
    let current = true;
    const first = start ?? startDesk(api);
    first.me.then(
      async (person) => {
        try {
          const view = await first.queue;
          if (current) setQueue((previous) => fromSnapshot(view, previous));
        } catch (e) {
          if (current) setError(`The queue could not be loaded: ${handleError(e)}`);
        }
        if (current) setMe(person);
      },
      (e) => {
        if (current) setError(`Could not sign you in: ${handleError(e)}`);
      },
    );
    return () => {
      current = false;
    };
  }, [api, start, answers, handleError]);

  // Reloads can overlap (the stream's "ready", then a "reset"): only the latest one asked is shown,
  // so a slow, older answer never replaces a newer queue.
  const latestReload = useRef(0);
  const loadQueue = useCallback(async (): Promise<QueueView | undefined> => {
    const asked = ++latestReload.current;
    try {
      const view = await api.queue();
      if (asked === latestReload.current) setQueue((previous) => fromSnapshot(view, previous));
      return view;
    } catch (e) {
      if (asked === latestReload.current) setError(`The queue could not be loaded: ${handleError(e)}`);
      return undefined;
    }
  }, [api, handleError]);

  const openCase = useCallback(
    async (ref: string, quiet = false) => {
      setOpenRef(ref);
      openRefRef.current = ref;
      if (!quiet) {
        setNotice(undefined);
        setPageLoading(true);
        setPageError(undefined);
      }
      // An answer for a case no longer the open one (another was opened or claimed meanwhile) is
      // dropped: a slow page must not replace the one the person has moved on to.
      const stillOpen = () => openRefRef.current === ref;
      try {
        const page = await api.casePage(ref);
        if (!stillOpen()) return;
        setPage(page);
        setPageError(undefined);
      } catch (e) {
        if (!stillOpen()) return;
        // Refused or gone while open (moved to a category not theirs, or deleted): what was on the
        // screen is closed too, not left showing the ratepayer's details after access ended.
        const lost = e instanceof ApiError && (e.status === 403 || e.status === 404);
        setPageError(handleError(e));
        if (!quiet || lost) setPage(undefined);
      } finally {
        if (stillOpen()) setPageLoading(false);
      }
    },
    [api, handleError],
  );

  const categories = me ? queueCategories(me.staff, me.categories.map((c) => c.code)) : [];
  const categoriesKey = categories.join(',');

  useEffect(() => {
    if (!me) return;
    const mine = categoriesKey.split(',');
    let firstReady = true;
    return openLiveStream(api.getToken, {
      onReady: () => {
        for (const listener of liveListeners.current) listener.onResync();
        void loadQueue().then((view) => {
          // A reload (or Teams bringing the tab back) in the middle of a conversation opens the
          // case the expert is working on, once live, instead of "Claim a case…" while the
          // ratepayer waits for an answer (tester 7, finding 13). Only when it is one case: with
          // several, which was on the screen is not known, and the list is one click away.
          if (firstReady && view && view.mine.length === 1 && !openRefRef.current) void openCase(view.mine[0]!.reference);
          firstReady = false;
        });
      },
      onReset: () => {
        for (const listener of liveListeners.current) listener.onResync();
        void loadQueue();
      },
      onStatus: setStatus,
      onUnauthorised: onSessionExpired,
      onEvent: (event: QueueEvent) => {
        for (const listener of liveListeners.current) listener.onEvent(event);
        setQueue((state) => applyEvent(state, event, me.staff, mine));
        if (event.reference === openRefRef.current && event.by.id !== me.staff.id) {
          // Someone else changed the open case: the status line says so, not what this person last did.
          const said = changedBySomeoneElse(event, me.staff.id);
          if (said) setNotice(said);
          void openCase(event.reference, true);
        }
      },
    });
  }, [api, me, categoriesKey, loadQueue, openCase, onSessionExpired]);

  useEffect(() => {
    // A failed prefetch is left alone: opening a case imports it again, under a LoadBoundary.
    if (me) void loadCasePanel().catch(() => undefined);
  }, [me]);

  /** Set by an action that changes the case; the case page takes it once to move focus to its heading. */
  const focusCase = useRef(false);
  const takeFocus = useCallback(() => {
    const take = focusCase.current;
    focusCase.current = false;
    return take;
  }, []);

  /**
   * Runs an action that returns the case page, showing what happened. `moveFocus`: the action
   * changes the case (its button usually goes), so focus goes to the case's heading.
   */
  /**
   * Runs a case action and shows its result. `onError`: where a refusal is shown instead of the
   * page's banner — a dialog's own message (tester 10, finding 14: an error behind a modal dialog
   * is hidden from a keyboard or screen-reader user in it).
   */
  const act = async (what: string, action: () => Promise<CasePage | CaseMovedAway>, moveFocus = true, onError?: (message: string) => void) => {
    setNotice(undefined);
    try {
      const result = await action();
      if ('movedAway' in result) {
        // A transfer out of this person's categories: the case is no longer theirs to see. The
        // transfer dialog closes once this returns, and a Fluent dialog unmounted while open
        // leaves the page aria-hidden (CasePanel), so the case closes once no dialog is left.
        setPageError(undefined);
        setNotice(`Case ${result.displayReference} moved to ${result.categoryName}, keeping its wait. It is not one of your categories, so it is closed here.`);
        void whenNoDialogIsOpen().then(() => {
          if (openRefRef.current !== result.reference) return;
          setPage(undefined);
          setOpenRef(undefined);
        });
        return true;
      }
      focusCase.current = moveFocus;
      setPage(result);
      setOpenRef(result.reference);
      openRefRef.current = result.reference;
      // An opening still on its way (now dropped: see openCase) leaves no spinner behind.
      setPageLoading(false);
      setPageError(undefined);
      setNotice(what.replace('{ref}', result.displayReference));
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'queue_empty') setNotice(e.message);
      else if (onError) onError(handleError(e));
      else setPageError(handleError(e));
      return false;
    }
  };

  if (error)
    return (
      <MessageBar intent="error" style={{ margin: 24 }}>
        <MessageBarBody>{error}</MessageBarBody>
      </MessageBar>
    );
  if (!me) return <Spinner label="Signing you in…" style={{ paddingTop: 64 }} />;
  // Only supervisors have the supervisor view: an agent who opens a channel tab gets the desk.
  // Someone who works only back-office teams has no queue: their tab is the back-office view.
  const backOfficeOnly = me.staff.role !== 'supervisor' && me.staff.skills.length === 0 && (me.backOfficeTeams?.length ?? 0) > 0;
  const showBackOffice = backOfficeOnly || (backOffice && (me.backOfficeTeams?.length ?? 0) > 0);
  const showSupervisor = supervising && me.staff.role === 'supervisor' && !showBackOffice;

  return (
    <div>
      <header className={styles.header}>
        <Title3 as="h1">Ratepayer Desk</Title3>
        <Caption1>{props.config.programme.name}</Caption1>
        <span className={styles.grow} />
        <Badge
          appearance="filled"
          color={status === 'live' ? 'success' : 'warning'}
          aria-live="polite"
          aria-label={status === 'live' ? 'Live: the queue updates by itself' : 'Reconnecting to live updates'}
        >
          {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </Badge>
        <Body1Strong data-testid="signed-in-as">
          {me.staff.name} · {staffRoleLabel({ ...me.staff, backOfficeTeams: me.backOfficeTeams })}
        </Body1Strong>
        {me.staff.role === 'supervisor' && (
          <Button appearance={showSupervisor ? 'primary' : 'secondary'} onClick={() => setSupervising(!showSupervisor)}>
            {showSupervisor ? 'Back to the desk' : 'Supervisor view'}
          </Button>
        )}
        {(me.backOfficeTeams?.length ?? 0) > 0 && !backOfficeOnly && (
          <Button appearance={showBackOffice ? 'primary' : 'secondary'} onClick={() => setBackOffice(!showBackOffice)}>
            {showBackOffice ? 'Back to the desk' : 'Back office'}
          </Button>
        )}
        {props.onSignOut && (
          <Button appearance="subtle" onClick={props.onSignOut}>
            Sign out
          </Button>
        )}
      </header>
      <main>
      {showSupervisor && (
        <LoadBoundary what="supervisor view">
          <Suspense fallback={<Spinner label="Opening the supervisor view…" style={{ paddingTop: 48 }} />}>
            <SupervisorView getToken={api.getToken} {...(props.pinned?.region ? { region: props.pinned.region } : {})} />
          </Suspense>
        </LoadBoundary>
      )}
      {showBackOffice && (
        <LoadBoundary what="back-office view">
          <Suspense fallback={<Spinner label="Opening the back-office view…" style={{ paddingTop: 48 }} />}>
            <BackOfficeView getToken={api.getToken} myId={me.staff.id} live={liveFeed.current} />
          </Suspense>
        </LoadBoundary>
      )}
      {!backOfficeOnly && (
      <div className={styles.body} style={showSupervisor || showBackOffice ? { display: 'none' } : undefined}>
        <QueuePanel
          me={me}
          state={queue}
          openRef={openRef}
          onOpen={(ref) => void openCase(ref)}
          onClaim={(ref) => act('You have case {ref}.', () => api.claim(ref))}
          onClaimNext={() => act('You have case {ref}: the oldest in your queue.', () => api.claimNext())}
          onNotice={setNotice}
        />
        <section className={styles.right} aria-label="Case">
          <SearchPanel api={api} onOpen={(ref) => void openCase(ref)} onSearch={() => setNotice(undefined)} />
          {notice && (
            <MessageBar intent="info" role="status">
              <MessageBarBody>{notice}</MessageBarBody>
            </MessageBar>
          )}
          {pageLoading && <Spinner label="Opening the case…" />}
          {pageError && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>{pageError}</MessageBarBody>
            </MessageBar>
          )}
          {page && !pageLoading && (
            <LoadBoundary what="case page">
              <Suspense fallback={<Spinner label="Opening the case…" />}>
                {/* One panel per case: what is typed or worked out on one case's page (a note, a
                    dispute, the arrangement calculator) never shows on the next one's. */}
                <CasePanel
                  key={page.reference}
                  page={page}
                  me={me}
                  onClaim={() => act('You have case {ref}.', () => api.claim(page.reference))}
                  onNote={(text) => act('Note added to {ref}.', () => api.note(page.reference, text), false)}
                  onRelease={(note, onError) => act('Case {ref} is back in its queue, in its old place.', () => api.release(page.reference, note), true, onError)}
                  onTransfer={(to, note, onError) => act('Case {ref} moved to another queue, keeping its wait.', () => api.transfer(page.reference, to, note), true, onError)}
                  onResolve={(body, onError) => act('Case {ref} is closed.', () => api.resolve(page.reference, body), true, onError)}
                  onSend={(text) => act('', () => api.sendMessage(page.reference, text), false)}
                  onNoShow={() => act('Case {ref} is closed as a no-show; the ratepayer has been told how to come back.', () => api.noShow(page.reference))}
                  onTranslation={(on) =>
                    act(
                      on ? 'Translation is on for {ref}: messages are translated both ways.' : 'Translation is off for {ref}: messages go as written, both ways.',
                      () => api.translation(page.reference, on),
                      false,
                    )
                  }
                  onRule={(action) => act(RULE_NOTICES[action.kind], () => api.rule(page.reference, action.kind, action.body), false)}
                  onOpen={(ref) => void openCase(ref)}
                  takeFocus={takeFocus}
                />
              </Suspense>
            </LoadBoundary>
          )}
          {!page && !pageLoading && !pageError && (
            <Body1Strong className={styles.placeholder}>Claim a case, or open one from the queue or a search, to see its details here.</Body1Strong>
          )}
        </section>
      </div>
      )}
      </main>
    </div>
  );
}
