/** Photos in Cosmos DB: the container `media`, partitioned by id, each item with its own ttl. */
import type { Container } from '@azure/cosmos';
import type { MediaStore, StoredMedia } from '../ports/mediaStore.js';
import { statusOf } from './statusOf.js';

/** The Cosmos DB implementation of the media store. */
export class CosmosMediaStore implements MediaStore {
  constructor(private readonly container: Container) {}

  async put(media: StoredMedia, keepSeconds: number): Promise<void> {
    await this.container.items.upsert({ id: media.id, contentType: media.contentType, data: media.bytes.toString('base64'), ttl: keepSeconds });
  }

  async get(id: string): Promise<StoredMedia | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<{ id: string; contentType: string; data: string }>();
      return resource ? { id: resource.id, contentType: resource.contentType, bytes: Buffer.from(resource.data, 'base64') } : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
