/** Test support: a free TCP port on loopback (for servers that must be told their port). */
import { createServer } from 'node:net';

/** Asks the OS for a free port, then releases it for the caller to use. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
