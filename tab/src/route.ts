/**
 * The tab's pages by URL, and the settings of a supervisors' channel tab.
 *
 * - `/tab/config`: the channel tab's configuration page (the manifest's configurationUrl), where a
 *   supervisor picks the view to pin in the channel.
 * - `/tab/index.html#/supervisor` (`?region=<code>` for one region): the supervisor view, opened
 *   at once; what a channel tab loads.
 * - anything else (`#/queue`, the personal "My queue" tab): the desk.
 */

/** A page of the tab. */
export type Route = { page: 'config' } | { page: 'desk'; supervisor?: { region?: string } };

/** The page a location asks for. */
export function routeOf(location: { pathname: string; hash: string }): Route {
  if (/\/tab\/config\/?$/.test(location.pathname)) return { page: 'config' };
  const supervisor = /^#\/supervisor(?:\?(.*))?$/.exec(location.hash);
  if (!supervisor) return { page: 'desk' };
  const region = new URLSearchParams(supervisor[1] ?? '').get('region');
  return { page: 'desk', supervisor: region ? { region } : {} };
}

/** What Teams stores for a channel tab (teams-js pages.config.setConfig). */
export interface ChannelTabSettings {
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
  suggestedDisplayName: string;
}

/**
 * The settings of a channel tab showing the supervisor view of the whole programme (no region)
 * or of one region, served from `origin` (the tab's own: the manifest's validDomains).
 */
export function channelTabSettings(origin: string, region?: { code: string; name: string }): ChannelTabSettings {
  const url = `${origin}/tab/index.html#/supervisor${region ? `?region=${encodeURIComponent(region.code)}` : ''}`;
  return {
    entityId: `supervisor-${region ? region.code : 'all'}`,
    contentUrl: url,
    websiteUrl: url,
    suggestedDisplayName: region ? `Queues: ${region.name}` : 'Queues',
  };
}
