/**
 * Where the tab runs and how it gets a token. Inside Teams: Teams SSO through teams-js, loaded
 * only there. Outside (a local run in an ordinary browser) the tab knows at once when it is a
 * top-level page, and within HOST_TIMEOUT_MS in a foreign frame, where app.initialize() would
 * otherwise hang for a minute.
 */
import type { Theme } from '@fluentui/react-components';

/** How long to wait for Teams to answer before deciding the tab is not in Teams. */
export const HOST_TIMEOUT_MS = 800;

/** The host the tab found itself in; inside Teams, with the Fluent theme matching Teams' own (none: the light theme). */
export type Host = { kind: 'teams'; getToken: () => Promise<string>; theme?: Theme } | { kind: 'browser' };

/** Whether the page may be inside Teams (and so must ask teams-js); a plain top-level page is not. */
export function mayBeTeams(): boolean {
  const w = window as unknown as { nativeInterface?: unknown; webkit?: { messageHandlers?: unknown } };
  // Teams web and desktop frame the tab; the mobile apps load it top-level with a native bridge.
  return window.parent !== window || !!w.nativeInterface || /Teams\//.test(navigator.userAgent);
}

/** Detects the host; never takes longer than about HOST_TIMEOUT_MS. */
export async function detectHost(): Promise<Host> {
  if (!mayBeTeams()) return { kind: 'browser' };
  const themes = import('./teamsThemes.js');
  themes.catch(() => undefined); // without them the tab keeps the light theme
  const teams = await import('@microsoft/teams-js');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), HOST_TIMEOUT_MS));
  const outcome = await Promise.race([teams.app.initialize().then(() => 'teams' as const, () => 'failed' as const), timeout]);
  if (outcome !== 'teams') return { kind: 'browser' };
  const context = await teams.app.getContext().catch(() => undefined);
  const teamsTheme = context?.app.theme;
  const theme =
    teamsTheme === 'dark' || teamsTheme === 'contrast'
      ? await themes.then((t) => (teamsTheme === 'dark' ? t.teamsDarkTheme : t.teamsHighContrastTheme), () => undefined)
      : undefined;
  return {
    kind: 'teams',
    ...(theme ? { theme } : {}),
    getToken: () => teams.authentication.getAuthToken(),
  };
}
