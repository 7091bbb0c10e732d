/**
 * The live queue stream: Server-Sent Events read with fetch (EventSource cannot send the bearer
 * token), reconnecting after a drop with Last-Event-ID so the service replays what was missed.
 */
import type { QueueEvent } from '../../bot/platform/contract/tabApi.js';

/** What the stream tells the page. */
export interface StreamHandlers {
  /** Connected (again): a good moment to reload the snapshot. */
  onReady(): void;
  onEvent(event: QueueEvent): void;
  /** The service could not replay what was missed: reload everything. */
  onReset(): void;
  onStatus(status: 'connecting' | 'live' | 'reconnecting'): void;
  /** The token was refused: sign in again. */
  onUnauthorised(): void;
}

/** Opens the stream; returns the function that closes it. */
export function openLiveStream(getToken: () => Promise<string>, handlers: StreamHandlers): () => void {
  let stopped = false;
  let lastEventId: string | undefined;
  let controller: AbortController | undefined;
  let attempt = 0;

  const dispatch = (block: string) => {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id) lastEventId = id;
    if (event === 'ready') {
      attempt = 0;
      handlers.onStatus('live');
      handlers.onReady();
    } else if (event === 'reset') handlers.onReset();
    else if (event === 'queue' && data.length) handlers.onEvent(JSON.parse(data.join('\n')) as QueueEvent);
  };

  const run = async () => {
    while (!stopped) {
      handlers.onStatus(attempt === 0 && !lastEventId ? 'connecting' : 'reconnecting');
      controller = new AbortController();
      try {
        const token = await getToken();
        const res = await fetch('/api/events', {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          handlers.onUnauthorised();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // dropped: reconnect below
      }
      if (stopped) return;
      attempt++;
      handlers.onStatus('reconnecting');
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** What a view that shares the desk's one stream is told (the back-office view). */
export interface LiveListener {
  onEvent(event: QueueEvent): void;
  /** Connected again, or the service could not replay what was missed: reload what is shown. */
  onResync(): void;
}

/** The desk's stream as other views subscribe to it: one connection per tab, not one per view. */
export interface LiveFeed {
  /** Starts telling `listener`; returns the function that stops it. */
  subscribe(listener: LiveListener): () => void;
}
