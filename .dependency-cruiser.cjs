/**
 * Boundary check (issue 15, "Enforced, not hoped for"); run in `npm test` by
 * tests/structure/boundaries.test.ts, or by hand: `npx depcruise bot tab/src scripts bench tests`.
 *
 * TypeScript is parsed with swc (`options.parser`): dependency-cruiser reads TypeScript through the
 * `typescript` package's compiler API only for versions below 7, and this project compiles with
 * TypeScript 7, whose package has no such API. Plain import parsing needs no type information.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-inward-only',
      comment:
        'The domain (bot/domain) is the pure core: it imports only other domain modules and npm ' +
        'packages, never services, ports, adapters (cosmos, teams, cards, auth, config) or edges (http).',
      severity: 'error',
      from: { path: '^bot/domain/' },
      to: { path: '^(bot/(?!domain/)|tab/|scripts/|bench/|tests/)' },
    },
    {
      name: 'bot-framework-only-in-teams',
      comment:
        'botbuilder, @microsoft/teams-ai and botframework-* are the Teams adapter: only bot/platform/teams ' +
        'imports them, so replacing the SDK touches that folder and the composition root only.',
      severity: 'error',
      from: { path: '^bot/', pathNot: '^bot/platform/teams/' },
      to: { path: 'node_modules/(botbuilder[^/]*|@microsoft/teams-ai|botframework-[^/]+)/' },
    },
    {
      name: 'core-knows-no-channel',
      comment:
        'The conversation core (bot/ratepayers) and what it stands on (bot/services, bot/platform/cards, ' +
        'bot/messages) answer turns with replies as plain data: they never reach into an adapter ' +
        '(bot/platform/teams, bot/platform/cosmos) or an edge (bot/platform/http), so a kind of channel is added as one adapter ' +
        'folder and its renderer, and an SDK is replaced in bot/platform/teams and the composition root.',
      severity: 'error',
      from: { path: '^bot/(ratepayers|agents|supervisors|backOffice|messages|platform/(cards|flow|scheduler))/' },
      to: { path: '^bot/platform/(teams|cosmos|http)/' },
    },
    {
      name: 'cosmos-only-in-cosmos',
      comment: '@azure/cosmos is the store adapter: only bot/platform/cosmos imports it.',
      severity: 'error',
      from: { path: '^bot/', pathNot: '^bot/platform/cosmos/' },
      to: { path: 'node_modules/@azure/cosmos/' },
    },
    {
      name: 'no-import-cycles',
      comment:
        'Modules depend one way: no module reaches itself again through imports that run. ' +
        'Cycles made only of `import type` edges are left out, as in dependency-cruiser\'s own ' +
        'default (tsPreCompilationDeps: false): TypeScript erases them, so they cannot cause the ' +
        'load-order faults a runtime cycle causes (bot/platform/teams/application.ts and its features name ' +
        'each other\'s types that way).',
      severity: 'error',
      from: {},
      to: {
        circular: true,
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
