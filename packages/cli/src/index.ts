export { runCli } from './main.js';
export type { CliIo, Command } from './command.js';
