/**
 * The boundary check (issue 15): dependency-cruiser with the rules in .dependency-cruiser.cjs.
 * The first test runs it over the project; the second proves each rule catches its violation, on
 * a throw-away tree of small modules checked with the same configuration, so a rule that is
 * weakened by mistake fails here rather than passing silently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CRUISER = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = path.join(root, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs dependency-cruiser in `cwd` over `folders`: the violations it found, and its error output. */
/** (Its JSON report exits 0 either way: the violations it lists are the verdict.) */
function cruise(cwd: string, folders: string[]): { violations: Violation[]; stderr: string } {
  const run = spawnSync(process.execPath, [CRUISER, '--config', CONFIG, '--output-type', 'json', ...folders], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = run.stdout ? (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }) : undefined;
  return { violations: output?.summary.violations ?? [], stderr: run.stderr };
}

const describeViolations = (violations: Violation[]) =>
  violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).join('\n');

describe('module boundaries (dependency-cruiser)', function () {
  this.timeout(60_000);

  it('the domain, the Teams adapter, the Cosmos adapter and the import graph keep their rules', () => {
    const result = cruise(root, ['bot', 'tab/src', 'web/src', 'devTools', 'scripts', 'bench', 'tests']);
    assert.equal(result.stderr.trim(), '', 'dependency-cruiser ran without complaint');
    assert.deepEqual(describeViolations(result.violations), '', 'no boundary is crossed');
  });

  it('fails on each kind of violation, cycles of two modules and of three included', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'boundaries-'));
    try {
      // The project's own packages, so that botbuilder and @azure/cosmos resolve as npm modules.
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      const files: Record<string, string> = {
        'bot/domain/rule.ts': "import { helper } from '../ratepayers/helper.js';\nexport const rule = helper;\n",
        'bot/domain/fine.ts': "import { z } from 'zod';\nimport { rule } from './rule.js';\nexport const fine = [z, rule];\n",
        'bot/ratepayers/helper.ts':
          "import { TurnContext } from 'botbuilder';\nimport { CosmosClient } from '@azure/cosmos';\nexport const helper = [TurnContext, CosmosClient];\n",
        'bot/ratepayers/sdk.ts':
          "import { Application } from '@microsoft/teams-ai';\nimport { ConnectorClient } from 'botframework-connector';\nexport const sdk = [Application, ConnectorClient];\n",
        'bot/platform/teams/adapter.ts': "import { TurnContext } from 'botbuilder';\nexport const adapter = TurnContext;\n",
        'bot/platform/cosmos/store.ts': "import { CosmosClient } from '@azure/cosmos';\nexport const store = CosmosClient;\n",
        'bot/ratepayers/features/leak.ts': "import { adapter } from '../../platform/teams/adapter.js';\nexport const leak = adapter;\n",
        'bot/platform/cards/leak.ts': "import { store } from '../cosmos/store.js';\nexport const leak = store;\n",
        'bot/ratepayers/first.ts': "import { second } from './second.js';\nexport const first = () => second;\n",
        'bot/ratepayers/second.ts': "import { first } from './first.js';\nexport const second = () => first;\n",
        'bot/ratepayers/relay.ts':
          "import { desk } from './agentDesk.js';\nimport { view } from './queueView.js';\nexport const relay = () => [desk, view];\n",
        'bot/ratepayers/agentDesk.ts': "import { relay } from './relay.js';\nexport const desk = () => relay;\n",
        'bot/ratepayers/sessionClose.ts': "import { desk } from './agentDesk.js';\nexport const close = () => desk;\n",
        'bot/ratepayers/queue.ts': "import { relay } from './relay.js';\nexport const queue = () => relay;\n",
        'bot/ratepayers/queueView.ts': "import { queue } from './queue.js';\nexport const view = () => queue;\n",
        'bot/ratepayers/typeA.ts': "import type { B } from './typeB.js';\nexport interface A { b?: B }\n",
        'bot/ratepayers/typeB.ts': "import type { A } from './typeA.js';\nexport interface B { a?: A }\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }

      const result = cruise(dir, ['bot']);
      assert.equal(result.stderr.trim(), '', 'dependency-cruiser ran without complaint');
      // npm modules resolve through the symbolic link to the project's real node_modules folder:
      // they are named by package.
      const found = result.violations
        .map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*?node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, 'npm $1')}`)
        .sort();
      assert.deepEqual(found, [
        'bot-framework-only-in-teams: bot/ratepayers/helper.ts → npm botbuilder',
        'bot-framework-only-in-teams: bot/ratepayers/sdk.ts → npm @microsoft/teams-ai',
        'bot-framework-only-in-teams: bot/ratepayers/sdk.ts → npm botframework-connector',
        'core-knows-no-channel: bot/platform/cards/leak.ts → bot/platform/cosmos/store.ts',
        'core-knows-no-channel: bot/ratepayers/features/leak.ts → bot/platform/teams/adapter.ts',
        'cosmos-only-in-cosmos: bot/ratepayers/helper.ts → npm @azure/cosmos',
        'domain-imports-inward-only: bot/domain/rule.ts → bot/ratepayers/helper.ts',
        // A cycle is reported once, at the first module of it that is met: relay ↔ agentDesk (the
        // cycle issue 15 removed from the real services), first ↔ second, and relay → queueView →
        // queue → relay; the cycles of `import type` only are not reported.
        'no-import-cycles: bot/ratepayers/agentDesk.ts → bot/ratepayers/relay.ts',
        'no-import-cycles: bot/ratepayers/first.ts → bot/ratepayers/second.ts',
        'no-import-cycles: bot/ratepayers/queue.ts → bot/ratepayers/relay.ts',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
