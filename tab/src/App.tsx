/**
 * The tab's shell: finds out whether it runs in Teams, signs in (Teams SSO, or the local sign-in
 * page outside Teams in local mode) and shows the desk.
 */
import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, Spinner, teamsLightTheme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { Api } from './api.js';
import { Desk } from './components/Desk.js';
import { ChannelTabConfig } from './components/ChannelTabConfig.js';
import { SignIn } from './components/SignIn.js';
import { detectHost, type Host } from './host.js';
import { routeOf } from './route.js';
import { configRequest, takeEarlyDesk, TOKEN_KEY, type DeskAnswers, type DeskStart, type ReadyDesk } from './startup.js';
import type { TabConfig } from '../../bot/platform/contract/tabApi.js';

type Phase =
  | { kind: 'starting' }
  | { kind: 'failed'; title: string; message: string }
  | { kind: 'sign-in'; config: TabConfig }
  | { kind: 'signed-in'; config: TabConfig; api: Api; local: boolean; start?: DeskStart; answers?: DeskAnswers };

function themeFor(host: Host | undefined) {
  return (host?.kind === 'teams' && host.theme) || teamsLightTheme;
}

/**
 * The whole tab; `ready` when a local sign-in's desk has already answered (see startup.ts). The
 * URL says which page (route.ts): the channel tab's configuration page, or the desk (opened on the
 * supervisor view for a channel tab).
 */
export function App(props: { ready?: ReadyDesk }) {
  const route = routeOf(window.location);
  if (route.page === 'config') return <ConfigPage />;
  return <DeskApp {...props} {...(route.supervisor ? { supervisor: route.supervisor } : {})} />;
}

/** The channel tab's configuration page, once the public configuration has come. */
function ConfigPage() {
  const [config, setConfig] = useState<TabConfig>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    configRequest.then(setConfig, (e: Error) => setError(e.message));
  }, []);
  return (
    <FluentProvider theme={teamsLightTheme} style={{ minHeight: '100vh' }}>
      {!config && !error && <Spinner label="Loading…" style={{ paddingTop: 64 }} />}
      {error && (
        <MessageBar intent="error" style={{ margin: 24 }}>
          <MessageBarBody>
            <MessageBarTitle>The settings could not be loaded</MessageBarTitle>
            {error}
          </MessageBarBody>
        </MessageBar>
      )}
      {config && <ChannelTabConfig config={config} />}
    </FluentProvider>
  );
}

/** The desk with its sign-in; `supervisor`: open on the supervisor view (of one region). */
function DeskApp(props: { ready?: ReadyDesk; supervisor?: { region?: string } }) {
  const { ready } = props;
  const [host, setHost] = useState<Host>();
  const [phase, setPhase] = useState<Phase>(() =>
    ready ? { kind: 'signed-in', config: ready.config, api: ready.api, local: true, answers: ready.answers } : { kind: 'starting' },
  );

  useEffect(() => {
    // A ready desk is a top-level page with a local sign-in: there is no host to look for.
    if (ready) return;
    void (async () => {
      try {
        const [found, config] = await Promise.all([detectHost(), configRequest]);
        setHost(found);
        if (found.kind === 'teams') {
          setPhase({ kind: 'signed-in', config, api: new Api(found.getToken), local: false });
        } else if (config.signIn === 'local') {
          const saved = sessionStorage.getItem(TOKEN_KEY);
          const early = saved ? takeEarlyDesk(saved) : undefined;
          if (!saved) setPhase({ kind: 'sign-in', config });
          else setPhase({ kind: 'signed-in', config, api: early?.api ?? new Api(saved), local: true, ...(early ? { start: early.requests } : {}) });
        } else {
          setPhase({
            kind: 'failed',
            title: 'Open this tab in Microsoft Teams',
            message: 'The Ratepayer Desk queue signs you in with your Teams account, so it only works inside Teams.',
          });
        }
      } catch (error) {
        setPhase({ kind: 'failed', title: 'The desk could not start', message: (error as Error).message });
      }
    })();
  }, [ready]);

  const signedIn = (config: TabConfig, token: string) => {
    sessionStorage.setItem(TOKEN_KEY, token);
    setPhase({ kind: 'signed-in', config, api: new Api(token), local: true });
  };
  const signOut = (config: TabConfig) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setPhase({ kind: 'sign-in', config });
  };

  return (
    <FluentProvider theme={themeFor(host)} style={{ minHeight: '100vh' }}>
      {phase.kind === 'starting' && <Spinner label="Starting the desk…" style={{ paddingTop: 64 }} />}
      {phase.kind === 'failed' && (
        <MessageBar intent="error" style={{ margin: 24 }}>
          <MessageBarBody>
            <MessageBarTitle>{phase.title}</MessageBarTitle>
            {phase.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {phase.kind === 'sign-in' && <SignIn config={phase.config} onSignedIn={(token) => signedIn(phase.config, token)} />}
      {phase.kind === 'signed-in' && (
        <Desk
          config={phase.config}
          api={phase.api}
          {...(phase.start ? { start: phase.start } : {})}
          {...(phase.answers ? { answers: phase.answers } : {})}
          {...(phase.local ? { onSignOut: () => signOut(phase.config) } : {})}
          {...(props.supervisor ? { pinned: props.supervisor } : {})}
          onSessionExpired={() => (phase.local ? signOut(phase.config) : setPhase({ kind: 'failed', title: 'Signed out', message: 'Teams did not renew your sign-in; reload the tab.' }))}
        />
      )}
    </FluentProvider>
  );
}
