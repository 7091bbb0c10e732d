/**
 * The embedded Cosmos DB-compatible server for local runs and tests (@vercel/cosmosdb-server,
 * a dev dependency: production never loads this file). It speaks the real SQL-API protocol,
 * so the service reaches it through @azure/cosmos exactly as it reaches Azure.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** A running embedded server. */
export interface EmbeddedCosmos {
  endpoint: string;
  /** Any key works; the server does not check it. */
  key: string;
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 over plain HTTP (its bundled certificate has expired, and
 * loopback needs none). Port 0 picks a free port.
 */
export async function startEmbeddedCosmos(port = 0): Promise<EmbeddedCosmos> {
  const { createHttpServer } = await import('@vercel/cosmosdb-server');
  // keepAlive: left off, the server answers every request with "Connection: close", so each
  // SDK call opened a new TCP connection (Azure Cosmos DB keeps them open, as the SDK expects).
  const server: Server = createHttpServer({ keepAlive: true });
  // Longer than any pause between a test's or a tab's calls, so the SDK's pooled sockets stay usable.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    key: 'local-embedded-cosmos-key',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
