/**
 * Issue 17: a QR code per category for posters and statements, served at
 * /chat/qr/<category>.svg over real HTTP, encoding the category's page URL.
 */
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { LOCAL_DEFINITION, type Settings } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { startService, type RunningService } from '../../bot/service.js';
import { startLocalDirectLine, type LocalDirectLine } from '../../devTools/directLine.js';
import { freshDatabase } from '../support/cosmos.js';
import { localSettings } from '../support/tabApi.js';

const SECRET = 'local-direct-line-secret-for-tests';

describe('Web chat: a QR code per category', () => {
  let service: RunningService;
  let directLine: LocalDirectLine;
  const definition = loadDefinition(LOCAL_DEFINITION);

  before(async () => {
    const db = await freshDatabase();
    directLine = await startLocalDirectLine({ secret: SECRET });
    const settings: Settings = { ...localSettings, webChat: { secret: SECRET, endpoint: directLine.domain } };
    service = await startService(settings, { containers: db, definition, scheduler: { start: false } });
    directLine.pointAt(`${service.url}/api/messages`);
  });

  after(async () => {
    await service?.close();
    await directLine?.close();
  });

  it('serves an SVG for every category of the definition, encoding that category\'s page URL, cached', async () => {
    assert.ok(definition.categories.length >= 2);
    for (const category of definition.categories) {
      const response = await fetch(`${service.url}/chat/qr/${category.code}.svg`);
      assert.equal(response.status, 200, category.code);
      assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
      assert.match(response.headers.get('cache-control') ?? '', /max-age=\d+/);
      const svg = await response.text();
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      // The same library, given the URL we expect, draws exactly this code: the code encodes that URL.
      const expectedUrl = `${service.url}/chat/?category=${category.code}`;
      const expected = await QRCode.toString(expectedUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      assert.equal(svg, expected, `the QR code of ${category.code} encodes ${expectedUrl}`);
      // And it is not the code of some other category's URL.
      const other = definition.categories.find((c) => c.code !== category.code)!;
      assert.notEqual(svg, await QRCode.toString(`${service.url}/chat/?category=${other.code}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }));
    }
  });

  it('answers 404 for a category the definition does not have, or a name that is not <category>.svg', async () => {
    for (const wanted of ['not-a-category.svg', `${definition.categories[0]!.code}.png`, '..%2Findex.html.svg', `${definition.categories[0]!.code.toUpperCase()}.svg`]) {
      const response = await fetch(`${service.url}/chat/qr/${wanted}`);
      assert.equal(response.status, 404, wanted);
      assert.doesNotMatch(await response.text(), /<svg/);
    }
  });
});
