/**
 * Issue 17: the page is the City's — the programme's name and, when the definition gives one, its
 * logo on the header (alt text the programme's name), allowed by the page's Content-Security-Policy.
 * The page's HTML over real HTTP; the definition's check of the logo.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkServiceDefinition, type ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { DefinitionError, loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION, type Settings } from '../../bot/platform/config/settings.js';
import { startService, type RunningService } from '../../bot/service.js';
import { startLocalDirectLine, type LocalDirectLine } from '../../devTools/directLine.js';
import { freshDatabase } from '../support/cosmos.js';
import { localSettings } from '../support/tabApi.js';

const SECRET = 'local-direct-line-secret-for-tests';
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const base = loadDefinition(LOCAL_DEFINITION);

function withLogo(logo: string | undefined, name = base.programme.name): ServiceDefinition {
  const programme = { ...base.programme, name };
  if (logo) Object.assign(programme, { logo });
  else delete (programme as { logo?: string }).logo;
  return { ...base, programme } as ServiceDefinition;
}

/** The page's template (web/index.html, as the build keeps it) in a folder of its own, with a logo file. */
function pageFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'desk-web-'));
  copyFileSync(path.join(WEB, 'index.html'), path.join(dir, 'index.html'));
  mkdirSync(path.join(dir, 'logos'));
  writeFileSync(path.join(dir, 'logos', 'city.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
  return dir;
}

describe('Web chat page: the programme\'s name and logo from the definition', () => {
  let service: RunningService | undefined;
  let directLine: LocalDirectLine | undefined;

  async function start(definition: ServiceDefinition): Promise<string> {
    const db = await freshDatabase();
    directLine = await startLocalDirectLine({ secret: SECRET });
    const settings: Settings = { ...localSettings, webChat: { secret: SECRET, endpoint: directLine.domain } };
    service = await startService(settings, { containers: db, definition, scheduler: { start: false }, webChat: { dist: pageFolder() } });
    directLine.pointAt(`${service.url}/api/messages`);
    return service.url;
  }

  afterEach(async () => {
    await service?.close();
    await directLine?.close();
    service = directLine = undefined;
  });

  const header = (html: string) => /<header class="masthead">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';

  it('an https logo is on the header with the programme\'s name as its alt text, and the policy allows its origin for images only', async () => {
    const url = await start(withLogo('https://www.joburg.org.za/images/coj-logo.svg'));
    const response = await fetch(`${url}/chat/?category=billing`);
    const html = await response.text();
    assert.match(header(html), new RegExp(`<img class="logo" src="https://www.joburg.org.za/images/coj-logo.svg" alt="${base.programme.name}" />`));
    assert.match(header(html), new RegExp(`<h1>${base.programme.name}</h1>`));
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data: blob: https:\/\/www\.joburg\.org\.za(;|$)/);
    assert.match(csp, /script-src 'self';/, 'the logo\'s origin gets no scripts');
  });

  it('a logo of our own is served from the page\'s build and shown; the alt text is escaped', async () => {
    const url = await start(withLogo('logos/city.svg', 'Rates "Help" <Desk> & Co'));
    const html = await (await fetch(`${url}/chat/`)).text();
    assert.match(header(html), /<img class="logo" src="\/chat\/logos\/city.svg" alt="Rates &quot;Help&quot; &lt;Desk&gt; &amp; Co" \/>/);
    const logo = await fetch(`${url}/chat/logos/city.svg`);
    assert.equal(logo.status, 200);
    assert.match(logo.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(await logo.text(), /^<svg/);
  });

  it('no logo in the definition: no image on the header (the default)', async () => {
    const url = await start(withLogo(undefined));
    const html = await (await fetch(`${url}/chat/`)).text();
    assert.doesNotMatch(header(html), /<img/);
    assert.doesNotMatch(html, /desk-logo/);
    assert.match(header(html), new RegExp(`<h1>${base.programme.name}</h1>`));
  });

  it('the definition refuses a logo that is not an https URL or a file in web/public/logos', () => {
    for (const logo of ['http://www.joburg.org.za/logo.svg', 'javascript:alert(1)', 'data:image/svg+xml,<svg/>', '../secret.svg', 'logos/../../bot/x.svg', '/etc/passwd', 'logos/city.gif', 'https://x.org/a" onerror="alert(1)']) {
      const result = checkServiceDefinition({ ...base, programme: { ...base.programme, logo } });
      assert.equal(result.ok, false, logo);
      assert.ok(!result.ok && result.problems.some((p) => p.startsWith('programme.logo: ')), logo);
    }
    for (const logo of ['https://www.joburg.org.za/logo.svg', 'logos/city.png'])
      assert.equal(checkServiceDefinition({ ...base, programme: { ...base.programme, logo } }).ok, true, logo);
    // A file of our own that is not there is a mistake when the definition is loaded.
    const dir = mkdtempSync(path.join(tmpdir(), 'desk-def-'));
    const file = path.join(dir, 'with-logo.json');
    writeFileSync(file, JSON.stringify({ extends: path.relative(dir, LOCAL_DEFINITION), programme: { logo: 'logos/not-there.svg' } }));
    assert.throws(() => loadDefinition(file), (error: unknown) => error instanceof DefinitionError && error.problems.some((p) => p.includes('programme.logo: "logos/not-there.svg" is not in web/public')));
  });
});
