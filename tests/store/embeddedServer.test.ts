import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { freshDatabase } from '../support/cosmos.js';

/** The query engine the embedded server runs, as the server resolves it. */
function serversQueryEngine(): (text: string) => { code: string } {
  const fromServer = createRequire(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server'));
  return (createRequire(import.meta.url)(fromServer.resolve('@zeit/cosmosdb-query')) as { default: (text: string) => { code: string } }).default;
}

describe('The embedded Cosmos DB-compatible server (the local stand-in)', () => {
  it('answers FROM, JOIN, ORDER BY, VALUE and COUNT queries correctly after its queries are made linear', async () => {
    const db = await freshDatabase();
    await db.cases.items.create({ id: 'a', tags: [{ n: 1 }, { n: 2 }], state: 'waiting', k: 2 });
    await db.cases.items.create({ id: 'b', tags: [{ n: 3 }], state: 'resolved', k: 1 });
    await db.cases.items.create({ id: 'c', state: 'waiting', k: 3 });
    const rows = async (query: string) => (await db.cases.items.query(query).fetchAll()).resources;
    assert.deepEqual(await rows('SELECT c.id, t.n FROM c JOIN t IN c.tags'), [{ id: 'a', n: 1 }, { id: 'a', n: 2 }, { id: 'b', n: 3 }]);
    assert.deepEqual(await rows("SELECT VALUE c.id FROM c WHERE c.state = 'waiting' ORDER BY c.k DESC"), ['c', 'a']);
    assert.deepEqual(await rows('SELECT VALUE COUNT(1) FROM c'), [3]);
    assert.deepEqual(await rows('SELECT VALUE t.n FROM c JOIN t IN c.tags WHERE t.n > 1'), [2, 3]);
    // The engine's own compilation copies the growing array once per document ([...$, …]): quadratic.
    const code = serversQueryEngine()('SELECT c.id, t.n FROM c JOIN t IN c.tags WHERE c.state = @s ORDER BY c.k').code;
    assert.doesNotMatch(code, /\[\s*\.\.\.\$\s*,/);
    assert.match(code, /\$\.push\(/);
  });

  it('keeps connections open between requests, as Azure Cosmos DB does', async () => {
    const db = await freshDatabase();
    const { endpoint } = db.settings;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${endpoint}/`, { agent }, (res) => {
          sockets.add(res.socket);
          assert.notEqual(res.headers.connection, 'close');
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
      });
    }
    agent.destroy();
    assert.equal(sockets.size, 1, 'one socket for three requests');
  });
});
