#!/usr/bin/env node
// Thin launcher: the real entry point is compiled to dist/ by `npm run build`.
import { runCli } from '../dist/main.js';

process.exitCode = await runCli(process.argv.slice(2));
