/**
 * Which kind of front door a conversation came through, from its Bot Framework `channelId`, for
 * the words that differ by channel (where files are kept, who carries the messages) and for
 * staff to see where a case came from. Channel ids: `msteams` (Teams), `directline` (the public
 * web page through Azure Bot Service's Direct Line), `webchat` (Azure's own Web Chat channel) and
 * `whatsapp` (Azure Communication Services' WhatsApp, issue 18).
 */

/** A kind of channel. */
export type ChannelKind = 'teams' | 'web' | 'whatsapp' | 'other';

/** The kind of a channel id; an unknown id is 'other' (its words are the neutral ones). */
export function channelKindOf(channelId: string | undefined): ChannelKind {
  if (channelId === 'msteams') return 'teams';
  if (channelId === 'directline' || channelId === 'webchat') return 'web';
  if (channelId === 'whatsapp') return 'whatsapp';
  return 'other';
}

/** What staff read for a case's channel (the tab's case page and the supervisor view). */
export function channelLabel(channelId: string | undefined): string {
  const kind = channelKindOf(channelId);
  return kind === 'teams' ? 'Teams' : kind === 'web' ? 'Web chat' : kind === 'whatsapp' ? 'WhatsApp' : (channelId ?? 'unknown');
}
