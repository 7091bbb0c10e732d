/**
 * Photos ratepayers send on WhatsApp (issue 18), downloaded from Communication Services (which
 * keeps media only for a while) and kept for the expert: by id, each with its case's retention.
 */

/** One photo. */
export interface StoredMedia {
  id: string;
  contentType: string;
  bytes: Buffer;
}

/** The photos. */
export interface MediaStore {
  /** Keeps a photo for `keepSeconds` (the programme's retention). */
  put(media: StoredMedia, keepSeconds: number): Promise<void>;
  get(id: string): Promise<StoredMedia | undefined>;
}

/** The largest photo kept, in bytes: a Cosmos DB item holds 2 MB, and base64 adds a third. */
export const MAX_MEDIA_BYTES = 1_400_000;
