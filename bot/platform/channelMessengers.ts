/**
 * One messenger for every channel: a message to a conversation goes through the messenger of that
 * conversation's channel (its `channelId` as the conversation store keeps it: "msteams" and
 * "webchat" through the Bot Framework, "whatsapp" through Communication Services), which renders
 * the core's replies as that channel shows them. The services that tell ratepayers things (the
 * relay, its listeners, delivery recovery) know only the Messenger port.
 */
import type { ConversationStore } from './ports/conversationStore.js';
import type { Messenger, OutboundMessage } from './ports/messenger.js';

/** How many conversations' channels are remembered (a conversation never changes channel). */
const REMEMBERED = 10_000;

/** Routes each send to the messenger of the conversation's channel. */
export class ChannelMessengers implements Messenger {
  private readonly channels = new Map<string, string>();

  constructor(
    private readonly conversations: ConversationStore,
    /** By channel id; a channel not named here uses `otherwise`. */
    private readonly byChannel: Readonly<Record<string, Messenger>>,
    /** The Bot Framework's messenger (Teams, Web Chat). */
    private readonly otherwise: Messenger,
  ) {}

  async send(conversationId: string, message: OutboundMessage): Promise<{ activityId?: string }> {
    return (await this.messengerOf(conversationId)).send(conversationId, message);
  }

  async update(conversationId: string, activityId: string, message: OutboundMessage): Promise<void> {
    return (await this.messengerOf(conversationId)).update(conversationId, activityId, message);
  }

  close(): void {
    for (const m of new Set([this.otherwise, ...Object.values(this.byChannel)])) m.close?.();
  }

  private async messengerOf(conversationId: string): Promise<Messenger> {
    let channel = this.channels.get(conversationId);
    if (channel === undefined) {
      channel = (await this.conversations.get(conversationId))?.channelId;
      // Unknown conversation: the Bot Framework messenger, which reports it as it always has.
      if (channel === undefined) return this.otherwise;
      if (this.channels.size >= REMEMBERED) this.channels.delete(this.channels.keys().next().value!);
      this.channels.set(conversationId, channel);
    }
    return this.byChannel[channel] ?? this.otherwise;
  }
}
