/**
 * Stands in for `botframework-streaming` in the page's build. Web Chat's minimal bundle exports
 * the Direct Line App Service Extension client, which pulls in that 350 KB library; the page
 * only ever talks to Direct Line over REST and its WebSocket stream, so the extension's classes
 * are replaced by ones that say so if anything ever constructs them.
 */
class Unavailable {
  constructor() {
    throw new Error('Direct Line App Service Extension is not part of this page');
  }
}

export const WebSocketClient = Unavailable;
export const StreamingRequest = Unavailable;
export const StreamingResponse = Unavailable;
export const ContentStream = Unavailable;
export default { WebSocketClient, StreamingRequest, StreamingResponse, ContentStream };
