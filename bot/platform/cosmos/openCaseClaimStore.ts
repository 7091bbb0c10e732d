/**
 * Open-case claims in Cosmos DB (bot/platform/ports/openCaseClaims.ts): documents in the `leases`
 * container (partitioned by id, point operations only) whose id is `open-case:` and the SHA-256 of
 * the programme, category and mobile number, so the number itself is not in the id. Create fails
 * with 409 on a taken id; take-over and release are conditional on the ETag.
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { OpenCaseClaim, OpenCaseClaims, OpenCaseKey } from '../ports/openCaseClaims.js';
import { statusOf } from './statusOf.js';

interface ClaimDocument {
  id: string;
  kind: 'open-case';
  holder: string;
  claimedAt: string;
  _etag?: string;
}

/** The claim's document id: no personal data in it. */
export function openCaseClaimId(key: OpenCaseKey): string {
  return `open-case:${createHash('sha256').update(`${key.programmeId}\n${key.category}\n${key.mobile}`).digest('hex')}`;
}

/** The Cosmos DB implementation of the open-case claims. */
export class CosmosOpenCaseClaims implements OpenCaseClaims {
  constructor(private readonly container: Container) {}

  async claim(key: OpenCaseKey, holder: string, now: Date): Promise<{ claimed: true } | { claimed: false; current: OpenCaseClaim }> {
    const id = openCaseClaimId(key);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.container.items.create<ClaimDocument>({ id, kind: 'open-case', holder, claimedAt: now.toISOString() });
        return { claimed: true };
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      const current = await this.read(id);
      if (current) return { claimed: false, current };
      // Released between our create and our read: try again.
    }
    throw new Error('An open-case claim kept changing; try again.');
  }

  async takeOver(key: OpenCaseKey, holder: string, now: Date, current: OpenCaseClaim): Promise<boolean> {
    const id = openCaseClaimId(key);
    try {
      await this.container.item(id, id).replace<ClaimDocument>({ id, kind: 'open-case', holder, claimedAt: now.toISOString() }, { accessCondition: { type: 'IfMatch', condition: current.etag } });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async release(key: OpenCaseKey, holder: string): Promise<void> {
    const id = openCaseClaimId(key);
    const current = await this.read(id);
    if (!current || current.holder !== holder) return;
    try {
      await this.container.item(id, id).delete({ accessCondition: { type: 'IfMatch', condition: current.etag } });
    } catch (error) {
      // Gone already, or taken over meanwhile: not ours to remove.
      if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
    }
  }

  private async read(id: string): Promise<OpenCaseClaim | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<ClaimDocument>();
      return resource ? { holder: resource.holder, claimedAt: resource.claimedAt, etag: resource._etag ?? '' } : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
