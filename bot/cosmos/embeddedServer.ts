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
  const server: Server = createHttpServer();
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
