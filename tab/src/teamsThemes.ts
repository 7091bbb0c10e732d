/**
 * The Teams themes other than the light one. Only a tab inside Teams can be asked for them, so
 * they are a chunk of their own that host.ts loads there, beside teams-js.
 */
export { teamsDarkTheme, teamsHighContrastTheme } from '@fluentui/react-components';
