/**
 * The bot's command menu in Teams (the app manifest's `bots[0].commandLists`), written once here
 * and put into the manifest by scripts/package.ts at package time: the programme's categories,
 * from the service definition the environment names (title: the category's code, which the
 * category choice understands; description: its name), then the bot's own commands.
 * tests/teams/manifestCommands.test.ts sends each one to the bot as Teams does and checks that a
 * handler of its own answers it. Teams' limits (checked by the schema when the package is built):
 * a title of at most 32 characters, a description of at most 128, at most 10 commands a list.
 */
import type { ServiceDefinition } from '../domain/serviceDefinition.js';

/** One entry of the menu: what the person picks (sent as the message text) and what it says it does. */
export interface MenuCommand {
  title: string;
  description: string;
}

/** A command list of the manifest, for the scopes it is offered in. */
export interface CommandList {
  scopes: ('personal' | 'team')[];
  commands: MenuCommand[];
}

/** After the categories, in a personal chat (bot/teams/features/status.ts, cancel.ts, myData.ts). */
const PERSONAL_COMMANDS: readonly MenuCommand[] = [
  { title: 'status', description: 'Where your open case is: your place in the queue and the estimated wait' },
  { title: 'my cases', description: 'Your recent cases and where each one stands' },
  { title: 'cancel', description: 'Cancel your open case and leave the queue' },
  { title: 'my data', description: 'What we hold about you (POPIA), from this chat' },
];

/** In a team channel, for supervisors (bot/teams/features/monitor.ts). */
const TEAM_COMMANDS: readonly MenuCommand[] = [
  { title: 'monitor', description: "Supervisors: keep this channel's live queue summary, wait alerts and session reports here" },
  { title: 'stop monitoring', description: 'Supervisors: stop the live summary, alerts and reports in this channel' },
];

/** The manifest's command lists for a programme. */
export function commandLists(definition: ServiceDefinition): CommandList[] {
  return [
    {
      scopes: ['personal'],
      commands: [...definition.categories.map((c) => ({ title: c.code, description: c.name })), ...PERSONAL_COMMANDS],
    },
    { scopes: ['team'], commands: [...TEAM_COMMANDS] },
  ];
}
