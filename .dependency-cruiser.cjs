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
        'botbuilder, @microsoft/teams-ai and botframework-* are the Teams adapter: only bot/teams ' +
        'imports them, so replacing the SDK touches that folder and the composition root only.',
      severity: 'error',
      from: { path: '^bot/', pathNot: '^bot/teams/' },
      to: { path: 'node_modules/(botbuilder[^/]*|@microsoft/teams-ai|botframework-[^/]+)/' },
    },
    {
      name: 'core-knows-no-channel',
      comment:
        'The conversation core (bot/conversation) and what it stands on (bot/services, bot/cards, ' +
        'bot/messages) answer turns with replies as plain data: they never reach into an adapter ' +
        '(bot/teams, bot/cosmos) or an edge (bot/http), so a kind of channel is added as one adapter ' +
        'folder and its renderer, and an SDK is replaced in bot/teams and the composition root.',
      severity: 'error',
      from: { path: '^bot/(conversation|services|cards|messages)/' },
      to: { path: '^bot/(teams|cosmos|http)/' },
    },
    {
      name: 'cosmos-only-in-cosmos',
      comment: '@azure/cosmos is the store adapter: only bot/cosmos imports it.',
      severity: 'error',
      from: { path: '^bot/', pathNot: '^bot/cosmos/' },
      to: { path: 'node_modules/@azure/cosmos/' },
    },
    {
      name: 'no-import-cycles',
      comment:
        'Modules depend one way: no module reaches itself again through imports that run. ' +
        'Cycles made only of `import type` edges are left out, as in dependency-cruiser\'s own ' +
        'default (tsPreCompilationDeps: false): TypeScript erases them, so they cannot cause the ' +
        'load-order faults a runtime cycle causes (bot/teams/application.ts and its features name ' +
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
