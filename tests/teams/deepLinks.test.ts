import assert from 'node:assert/strict';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { matchCategory } from '../../bot/domain/categoryMatch.js';
import { categoryLinks } from '../../bot/platform/teams/deepLinks.js';

const BOT = '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c';

describe('category links', () => {
  const def = loadDefinition(LOCAL_DEFINITION);

  it('opens a chat with the bot with a message the bot reads as that category', () => {
    const links = categoryLinks(def, BOT, 'tenant-guid');
    assert.equal(links.length, def.categories.length);
    for (const link of links) {
      const url = new URL(link.url);
      assert.equal(url.origin + url.pathname, 'https://teams.microsoft.com/l/chat/0/0');
      assert.equal(url.searchParams.get('users'), `28:${BOT}`);
      assert.equal(url.searchParams.get('tenantId'), 'tenant-guid');
      assert.equal(matchCategory(def.categories, url.searchParams.get('message')!)?.code, link.category.code);
      assert.ok(!link.url.includes('+'), 'spaces are encoded as %20, which every Teams client reads');
    }
  });

  it('refuses something that is not a bot id', () => {
    assert.throws(() => categoryLinks(def, 'my-bot'), /not a bot id/);
  });
});
