/**
 * The notification flow runs one way: the services that change cases (the desk, supervision,
 * intake) publish through CaseEvents and know nothing of the relay or of what the ratepayer is
 * told; those are listeners registered in the composition root. No import cycle among the
 * services. Read from the sources' import statements.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bot');
/** The folders of the services: the three audiences' and the platform's flow and scheduler. */
const SERVICE_FOLDERS = ['ratepayers', 'agents', 'supervisors', 'platform/flow', 'platform/scheduler'];

/**
 * The services each service file imports (relative imports of other service files), by file name
 * without extension; the supervisors' files also under the one name "supervision".
 */
function serviceImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const names = new Set<string>();
  const sources = new Map<string, string>();
  for (const folder of SERVICE_FOLDERS) {
    for (const file of readdirSync(path.join(bot, folder)).filter((f) => f.endsWith('.ts'))) {
      const name = folder === 'supervisors' ? 'supervision' : file.replace(/\.ts$/, '');
      names.add(file.replace(/\.ts$/, ''));
      sources.set(name, (sources.get(name) ?? '') + readFileSync(path.join(bot, folder, file), 'utf8'));
    }
  }
  for (const [name, source] of sources) {
    const deps = new Set<string>();
    for (const m of source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(?:\.\.?\/)+(?:[\w-]+\/)*([\w-]+)\.js'/gms)) {
      if (names.has(m[1]!) && m[1] !== name) deps.add(m[1]!);
    }
    graph.set(name, deps);
  }
  return graph;
}

describe('the notification flow runs one way', () => {
  const graph = serviceImports();

  it('the services that change cases import neither the relay nor what the ratepayer is told', () => {
    for (const changer of ['agentDesk', 'supervision', 'intake', 'caseEvents', 'caseChanges', 'errors']) {
      const deps = graph.get(changer);
      if (!deps) continue; // split or renamed: the cycle check below still holds
      for (const forbidden of ['relay', 'ratepayerUpdates']) assert.ok(!deps.has(forbidden), `${changer}.ts imports ${forbidden}.ts`);
    }
  });

  it('no import cycle among the services', () => {
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...trail, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    assert.deepEqual([...new Set(cycles)], []);
  });
});
