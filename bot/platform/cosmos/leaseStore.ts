/** Leases in Cosmos DB: the container `leases`, partitioned by the lease name; every write conditional on the ETag. */
import type { Container, ItemDefinition } from '@azure/cosmos';
import type { LeaseGrant, LeaseStore } from '../ports/lease.js';
import { statusOf } from './statusOf.js';

interface LeaseDocument {
  id: string;
  holder: string;
  expiresAt: string;
  acquiredAt: string;
  renewedAt: string;
  state: Record<string, unknown>;
  _etag?: string;
}

function toGrant(doc: ItemDefinition | undefined): LeaseGrant {
  const d = doc as LeaseDocument;
  return { name: d.id, holder: d.holder, expiresAt: d.expiresAt, state: d.state ?? {}, etag: d._etag ?? '' };
}

/** The Cosmos DB implementation of the lease store. */
export class CosmosLeaseStore implements LeaseStore {
  constructor(private readonly container: Container) {}

  async read(name: string): Promise<LeaseGrant | undefined> {
    const doc = await this.readDoc(name);
    return doc ? toGrant(doc) : undefined;
  }

  async acquire(name: string, holder: string, now: Date, durationMs: number, state?: Record<string, unknown>): Promise<LeaseGrant | undefined> {
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + durationMs).toISOString();
    const current = await this.readDoc(name);
    if (!current) {
      const doc: LeaseDocument = { id: name, holder, expiresAt, acquiredAt: at, renewedAt: at, state: state ?? {} };
      try {
        const { resource } = await this.container.items.create(doc);
        return toGrant(resource);
      } catch (error) {
        if (statusOf(error) === 409) return undefined; // another instance created it first
        throw error;
      }
    }
    const mine = current.holder === holder;
    if (!mine && Date.parse(current.expiresAt) > now.getTime()) return undefined;
    const { _etag, ...rest } = current;
    const next: LeaseDocument = {
      ...rest,
      holder,
      expiresAt,
      renewedAt: at,
      acquiredAt: mine ? current.acquiredAt : at,
      state: state ?? current.state ?? {},
    };
    try {
      const { resource } = await this.container.item(name, name).replace(next, { accessCondition: { type: 'IfMatch', condition: _etag! } });
      return toGrant(resource);
    } catch (error) {
      if (statusOf(error) === 412) return undefined; // someone wrote first: not ours this time
      throw error;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    const current = await this.readDoc(name);
    if (!current || current.holder !== holder) return;
    const { _etag, ...rest } = current;
    try {
      await this.container
        .item(name, name)
        .replace({ ...rest, expiresAt: new Date(0).toISOString() }, { accessCondition: { type: 'IfMatch', condition: _etag! } });
    } catch (error) {
      if (statusOf(error) !== 412) throw error;
    }
  }

  private async readDoc(name: string): Promise<LeaseDocument | undefined> {
    try {
      const { resource } = await this.container.item(name, name).read<LeaseDocument>();
      if (!resource) return undefined;
      const { _rid, _self, _ts, _attachments, ...rest } = resource as unknown as LeaseDocument & Record<string, unknown>;
      return rest as LeaseDocument;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
