/**
 * Chat claims in Cosmos DB (bot/platform/ports/chatClaims.ts): documents in the `leases` container
 * (partitioned by id, point operations only) whose id is `chat-expert:` and the SHA-256 of the
 * conversation id, so no channel's user or conversation id is in it. Create fails with 409 on a
 * taken id; take-over and release are conditional on the ETag.
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { ChatClaim, ChatClaims, ChatHolder } from '../ports/chatClaims.js';
import { statusOf } from './statusOf.js';

interface ChatClaimDocument extends ChatHolder {
  id: string;
  kind: 'chat-expert';
  claimedAt: string;
  _etag?: string;
}

/** The claim's document id: no conversation id in it. */
export function chatClaimId(conversationId: string): string {
  return `chat-expert:${createHash('sha256').update(conversationId).digest('hex')}`;
}

function document(id: string, holder: ChatHolder, now: Date): ChatClaimDocument {
  return { id, kind: 'chat-expert', staffId: holder.staffId, name: holder.name, caseId: holder.caseId, category: holder.category, claimedAt: now.toISOString() };
}

function claimOf(d: ChatClaimDocument): ChatClaim {
  return { staffId: d.staffId, name: d.name, caseId: d.caseId, category: d.category, claimedAt: d.claimedAt, etag: d._etag ?? '' };
}

/** The Cosmos DB implementation of the chat claims. */
export class CosmosChatClaims implements ChatClaims {
  constructor(private readonly container: Container) {}

  async claim(conversationId: string, holder: ChatHolder, now: Date): Promise<{ claimed: true; current: ChatClaim } | { claimed: false; current: ChatClaim }> {
    const id = chatClaimId(conversationId);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const { resource } = await this.container.items.create<ChatClaimDocument>(document(id, holder, now));
        return { claimed: true, current: claimOf(resource!) };
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      const current = await this.read(id);
      if (current) return { claimed: false, current };
      // Released between our create and our read: try again.
    }
    throw new Error('A chat claim kept changing; try again.');
  }

  async takeOver(conversationId: string, holder: ChatHolder, now: Date, current: ChatClaim): Promise<ChatClaim | undefined> {
    const id = chatClaimId(conversationId);
    try {
      const { resource } = await this.container.item(id, id).replace<ChatClaimDocument>(document(id, holder, now), { accessCondition: { type: 'IfMatch', condition: current.etag } });
      return claimOf(resource!);
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async release(conversationId: string, current: ChatClaim): Promise<void> {
    const id = chatClaimId(conversationId);
    try {
      await this.container.item(id, id).delete({ accessCondition: { type: 'IfMatch', condition: current.etag } });
    } catch (error) {
      // Gone already, or taken over meanwhile: not ours to remove.
      if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
    }
  }

  private async read(id: string): Promise<ChatClaim | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<ChatClaimDocument>();
      return resource ? claimOf(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
