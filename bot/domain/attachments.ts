/**
 * What a ratepayer attaches to a message, sorted into files an expert can open and everything
 * else, which cannot be passed on and is said so (issue 12 item 8, issue 14 item 6).
 *
 * The rule (docs/architecture.md, "Files and pictures"): a file is passed on as a link only when
 * the platform itself hosts it — in a personal chat with `supportsFiles`, Teams uploads a file to
 * the sender's OneDrive for Business and sends the bot a
 * `application/vnd.microsoft.teams.file.download.info` attachment whose `downloadUrl` (short-lived,
 * pre-authenticated) and `contentUrl` are on the tenant's SharePoint (`https://<tenant>-my.sharepoint.com/…`).
 * Pictures pasted into a message (`image/*` on the Bot Framework's attachment service, readable
 * only with the bot's own token), GIFs and stickers (a `text/html` attachment with an <img>),
 * voice and video, cards and links to any other host are not passed on: staff would get either
 * nothing they can open or a link to a site nobody vouches for (a phishing route to staff).
 *
 * Shapes only (Bot Framework attachments as plain data): no SDK import here.
 */

/** An attachment as an activity carries it. */
export interface RawAttachment {
  contentType?: string;
  contentUrl?: string;
  name?: string;
  content?: unknown;
}

/** A file kept on the transcript as a link. */
export interface FileLink {
  name: string;
  contentType: string;
  url: string;
}

/** What could not be passed on, in words for the sender. */
export type NotPassedOn = 'picture' | 'gif' | 'voice or video' | 'file from elsewhere' | 'other';

/** The result of sorting a message's attachments. */
export interface SortedAttachments {
  files: FileLink[];
  notPassedOn: NotPassedOn[];
}

/** Teams' file attachment in a personal chat (bots with `supportsFiles`). */
export const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';

/** The most files kept from one message (Teams sends one a message; a client could send many). */
export const MAX_FILES_PER_MESSAGE = 10;

/**
 * Whether staff may be shown this address as a link: https on the tenant's SharePoint or
 * OneDrive (`*.sharepoint.com`), where Teams keeps the files people send in chats, with no user
 * name or password and no port in it. Everything else is shown as text with a warning.
 */
export function isPlatformHostedFile(url: string | undefined): boolean {
  if (typeof url !== 'string' || url.length > 2000) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    !parsed.username &&
    !parsed.password &&
    parsed.port === '' &&
    /^[a-z0-9-]+(\.[a-z0-9-]+)*\.sharepoint\.com$/i.test(parsed.hostname)
  );
}

/**
 * A photo the service downloaded and keeps itself (a WhatsApp photo, kept in the media store for
 * the case's retention): `media:<id>`. Shown to staff by the service, never fetched from elsewhere.
 */
export function isKeptMedia(url: string | undefined): boolean {
  return typeof url === 'string' && /^media:[0-9a-f-]{36}$/.test(url);
}

const hasImage = (html: unknown) => typeof html === 'string' && /<img\b/i.test(html);

/**
 * Sorts a message's attachments. Teams adds a `text/html` copy of every formatted message: it is
 * not an attachment of the person's (unless it carries a picture: a GIF or sticker, or the layout
 * of a pasted picture, which then counts once).
 */
export function sortAttachments(attachments: readonly RawAttachment[] | undefined): SortedAttachments {
  const files: FileLink[] = [];
  const notPassedOn: NotPassedOn[] = [];
  const list = attachments ?? [];
  const pastedPicture = list.some((a) => typeof a.contentType === 'string' && a.contentType.toLowerCase().startsWith('image/'));
  for (const a of list) {
    const type = (typeof a.contentType === 'string' ? a.contentType : '').toLowerCase();
    if (type === 'text/html') {
      // The HTML copy of the text; with a picture it is a GIF or sticker (or a pasted picture's layout, counted below).
      if (hasImage(a.content) && !pastedPicture) notPassedOn.push('gif');
      continue;
    }
    if (type === TEAMS_FILE) {
      const content = (a.content && typeof a.content === 'object' ? a.content : {}) as { downloadUrl?: unknown; fileType?: unknown };
      const url = [content.downloadUrl, a.contentUrl].find((u): u is string => isPlatformHostedFile(u as string | undefined));
      if (url && files.length < MAX_FILES_PER_MESSAGE) {
        files.push({
          name: (typeof a.name === 'string' && a.name.trim() ? a.name.trim() : 'file').slice(0, 200),
          contentType: (typeof content.fileType === 'string' ? content.fileType : TEAMS_FILE).slice(0, 100),
          url,
        });
      } else notPassedOn.push(url ? 'other' : 'file from elsewhere');
      continue;
    }
    if (type.startsWith('image/') && isKeptMedia(a.contentUrl) && files.length < MAX_FILES_PER_MESSAGE) {
      files.push({ name: (typeof a.name === 'string' && a.name.trim() ? a.name.trim() : 'photo').slice(0, 200), contentType: type.slice(0, 100), url: a.contentUrl! });
      continue;
    }
    if (type.startsWith('image/')) notPassedOn.push('picture');
    else if (type.startsWith('audio/') || type.startsWith('video/')) notPassedOn.push('voice or video');
    else if (a.contentUrl || a.content !== undefined) notPassedOn.push(a.contentUrl && !type.startsWith('application/vnd.microsoft.card') ? 'file from elsewhere' : 'other');
  }
  return { files, notPassedOn };
}
