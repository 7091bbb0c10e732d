/**
 * The bot's command menu in Teams (the app manifest's `bots[0].commandLists`), written once here
 * and put into the manifest by scripts/package.ts at package time: the programme's categories,
 * from the service definition the environment names (title: the category's code, which the
 * category choice understands; description: its name), then the bot's own commands.
 * tests/teams/manifestCommands.test.ts sends each one to the bot as Teams does and checks that a
 * handler of its own answers it. Teams' limits (checked by the schema when the package is built):
 * a title of at most 32 characters, a description of at most 128, at most 10 commands a list.
 */
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { DEFAULT_LOCALE, t, type MessageKey } from '../../messages/index.js';

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

/** After the categories, in a personal chat (bot/platform/teams/features/status.ts, cancel.ts, myData.ts). */
const PERSONAL_COMMANDS = [
  { title: 'status', key: 'commands.status' },
  { title: 'my cases', key: 'commands.myCases' },
  { title: 'cancel', key: 'commands.cancel' },
  { title: 'my data', key: 'commands.myData' },
] as const;

/** In a team channel, for supervisors (bot/platform/teams/features/monitor.ts). */
const TEAM_COMMANDS = [
  { title: 'monitor', key: 'commands.monitor' },
  { title: 'stop monitoring', key: 'commands.stopMonitoring' },
] as const;

/** The manifest is in English (Teams localises a manifest with its own files, not done yet). */
const described = (commands: readonly { title: string; key: MessageKey }[]): MenuCommand[] =>
  commands.map(({ title, key }) => ({ title, description: t(DEFAULT_LOCALE, key) }));

/** The manifest's command lists for a programme. */
export function commandLists(definition: ServiceDefinition): CommandList[] {
  return [
    {
      scopes: ['personal'],
      commands: [...definition.categories.map((c) => ({ title: c.code, description: c.name })), ...described(PERSONAL_COMMANDS)],
    },
    { scopes: ['team'], commands: described(TEAM_COMMANDS) },
  ];
}
