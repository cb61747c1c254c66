import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { evalCommand } from './eval.js';
import { fillMaskCommand } from './fill-mask.js';
import { embedCommand } from './embed.js';
import { infoCommand } from './info.js';
import { initCommand } from './init.js';
import { inspectCommand } from './inspect.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { tokenizeCommand } from './tokenize.js';
import { pretrainCommand } from './pretrain.js';
import { trainCommand } from './train.js';
import { workerCommand } from './worker.js';

/** Every subcommand, in the order `maxpoolbert --help` lists them. */
export const COMMANDS: Command[] = [
  demoCommand, trainCommand, pretrainCommand, evalCommand, compareCommand, workerCommand, predictCommand, fillMaskCommand, serveCommand, infoCommand, initCommand, inspectCommand, tokenizeCommand, embedCommand, benchCommand,
];
