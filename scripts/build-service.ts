/**
 * `npm run build:service`: the folder App Service runs, dist/service/.
 *
 * The service is compiled to plain JavaScript (tsc, same layout as the sources so that paths
 * computed from import.meta.url still hold), its non-TypeScript assets are copied beside it (card
 * templates, programme definitions), the tab built by `npm run build:tab` (tab/dist), the public
 * chat page built by `npm run build:web` (web/dist), and a
 * package.json whose start script is `node bot/main.js`. The deploy stage then runs
 * `npm ci --omit=dev` inside it, so production carries no compiler, no tsx and no test tools,
 * and nothing platform-specific is built on the deployer's machine.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildOptions {
  /** Where to build (default dist/service). */
  outDir?: string;
  /** Build without the tab and the public chat page (the bot endpoint alone). */
  skipTab?: boolean;
  log?: (line: string) => void;
}

/** Copies every file under `from` that is not TypeScript, keeping the folder layout. */
function copyAssets(from: string, to: string): number {
  let copied = 0;
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    const target = path.join(to, entry);
    if (statSync(source).isDirectory()) copied += copyAssets(source, target);
    else if (!entry.endsWith('.ts')) {
      mkdirSync(to, { recursive: true });
      cpSync(source, target);
      copied += 1;
    }
  }
  return copied;
}

/** Builds the deployable folder; throws with the compiler's output when compilation fails. */
export function buildService(options: BuildOptions = {}): string {
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = path.resolve(options.outDir ?? path.join(root, 'dist/service'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  // A tsconfig beside the output (so that node_modules/@types is found from it) that emits the
  // service only: the tests and scripts are not deployed.
  const configPath = path.join(path.dirname(outDir), `tsconfig.${path.basename(outDir)}.json`);
  writeFileSync(
    configPath,
    JSON.stringify(
      {
        extends: path.relative(path.dirname(configPath), path.join(root, 'tsconfig.json')),
        compilerOptions: { noEmit: false, outDir, rootDir: root, types: ['node'], typeRoots: [path.join(root, 'node_modules/@types')], sourceMap: true },
        include: [path.join(root, 'bot/**/*.ts')],
      },
      null,
      2,
    ),
  );
  const tsc = path.join(root, 'node_modules/.bin/tsc');
  const compiled = spawnSync(tsc, ['-p', configPath], { cwd: root, encoding: 'utf8' });
  rmSync(configPath, { force: true });
  if (compiled.status !== 0) throw new Error(`The service does not compile:\n${compiled.stdout}${compiled.stderr}`);

  const assets = copyAssets(path.join(root, 'bot'), path.join(outDir, 'bot'));
  log(`Compiled bot/ to ${path.relative(root, outDir)}/bot and copied ${assets} asset files.`);

  // The service serves the tab from ../tab/dist relative to bot/ (TAB_DIST in bot/service.ts).
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const scripts = (pkg.scripts ?? {}) as Record<string, string>;
  if (scripts['build:tab'] && !options.skipTab) {
    const built = spawnSync('npm', ['run', 'build:tab'], { cwd: root, encoding: 'utf8', stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build:tab failed: the deployment would have no tab');
  }
  const tabDist = path.join(root, 'tab/dist');
  if (existsSync(path.join(tabDist, 'index.html'))) {
    cpSync(tabDist, path.join(outDir, 'tab/dist'), { recursive: true, filter: (source) => path.basename(source) !== '.built' });
    log('Copied the built tab (tab/dist).');
  } else if (!options.skipTab) throw new Error('tab/dist/index.html is missing: build the tab (npm run build:tab) before the service');

  // The public chat page, served from ../web/dist relative to bot/ (WEB_DIST in bot/service.ts).
  if (scripts['build:web'] && !options.skipTab) {
    const built = spawnSync('npm', ['run', 'build:web'], { cwd: root, encoding: 'utf8', stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build:web failed: the deployment would have no public chat page');
  }
  const webDist = path.join(root, 'web/dist');
  if (existsSync(path.join(webDist, 'index.html'))) {
    cpSync(webDist, path.join(outDir, 'web/dist'), { recursive: true, filter: (source) => path.basename(source) !== '.built' });
    log('Copied the built chat page (web/dist).');
  } else if (!options.skipTab) throw new Error('web/dist/index.html is missing: build the page (npm run build:web) before the service');

  // Same dependencies as the lockfile (npm ci checks them); only the start script differs.
  pkg.scripts = { start: 'node bot/main.js' };
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  cpSync(path.join(root, 'package-lock.json'), path.join(outDir, 'package-lock.json'));
  log(`Wrote ${path.relative(root, outDir)}/package.json; next: npm ci --omit=dev --ignore-scripts in that folder.`);
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = process.argv.slice(2);
    const outDir = args.find((a) => !a.startsWith('--'));
    buildService({ ...(outDir ? { outDir } : {}), skipTab: args.includes('--no-tab') });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
