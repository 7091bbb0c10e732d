/**
 * Where the tab runs and how it gets a token. Inside Teams: Teams SSO through teams-js, loaded
 * only there. Outside (a local run in an ordinary browser) the tab knows at once when it is a
 * top-level page, and within HOST_TIMEOUT_MS in a foreign frame, where app.initialize() would
 * otherwise hang for a minute.
 */
import type { Theme } from '@fluentui/react-components';

/** How long to wait for Teams to answer before deciding the tab is not in Teams. */
const HOST_TIMEOUT_MS = 800;

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

/** What the channel tab's configuration page needs from Teams (teams-js `pages.config`). */
export interface ConfigHost {
  /** Enables (or disables) Teams' Save button. */
  setValid(valid: boolean): void;
  /**
   * Runs `save` when the person presses Save; Teams is told it succeeded when `save` resolves, and
   * given the error's message when it rejects (Teams then keeps the dialog open).
   */
  onSave(save: () => Promise<void>): void;
  /** Saves the tab's settings in Teams: what the channel tab loads, its id and suggested name. */
  setConfig(config: { entityId: string; contentUrl: string; websiteUrl: string; suggestedDisplayName: string }): Promise<void>;
  /** The entityId saved for this tab before (when the tab is being reconfigured); undefined for a new tab. */
  savedEntityId(): Promise<string | undefined>;
}

/**
 * Connects the configuration page to Teams; undefined outside Teams (decided within about
 * HOST_TIMEOUT_MS, as detectHost does). Teams opens the page in its "settings" frame context,
 * where pages.config is available.
 */
export async function connectConfigHost(): Promise<ConfigHost | undefined> {
  if (!mayBeTeams()) return undefined;
  const teams = await import('@microsoft/teams-js');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), HOST_TIMEOUT_MS));
  const outcome = await Promise.race([teams.app.initialize().then(() => 'teams' as const, () => 'failed' as const), timeout]);
  if (outcome !== 'teams' || !teams.pages.config.isSupported()) return undefined;
  return {
    setValid: (valid) => teams.pages.config.setValidityState(valid),
    onSave: (save) =>
      teams.pages.config.registerOnSaveHandler((event) => {
        save().then(
          () => event.notifySuccess(),
          (error: unknown) => event.notifyFailure(error instanceof Error ? error.message : String(error)),
        );
      }),
    setConfig: (config) => teams.pages.config.setConfig(config),
    savedEntityId: () => teams.pages.getConfig().then((saved) => saved?.entityId || undefined, () => undefined),
  };
}
