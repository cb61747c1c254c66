import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { embedCommand } from './embed.js';
import { infoCommand } from './info.js';
import { initCommand } from './init.js';
import { inspectCommand } from './inspect.js';
import { predictCommand } from './predict.js';
import { tokenizeCommand } from './tokenize.js';

/** Every subcommand, in the order `maxpoolbert --help` lists them. */
export const COMMANDS: Command[] = [demoCommand, infoCommand, initCommand, inspectCommand, tokenizeCommand, embedCommand, predictCommand];
