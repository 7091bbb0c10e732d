/**
 * No unused files, exports or dependencies (issue 15): knip with knip.jsonc. An export that only
 * its own file uses is private and loses its `export`; a file or dependency nothing reaches goes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('unused code and dependencies (knip)', function () {
  this.timeout(60_000);

  it('finds no unused file, export, type or dependency', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/knip/bin/knip.js'), '--no-progress'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    assert.equal(`${run.stdout}${run.stderr}`.trim(), '', 'knip reports nothing');
    assert.equal(run.status, 0);
  });
});
