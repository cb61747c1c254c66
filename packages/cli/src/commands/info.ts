import { probeNodeBackends } from '@maxpoolbert/backend-node';
import { heads } from '@maxpoolbert/core';
import { BACKEND_OPTIONS, type Command } from '../command.js';
import { startBackend } from '../backend.js';
import { collectVersions } from '../versions.js';

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show versions, the backends that can run here (with a probe of each) and which one is chosen.',
  options: { ...BACKEND_OPTIONS, json: { type: 'boolean', description: 'print the report as JSON' } },
  async run(opts, _pos, io) {
    const versions = collectVersions();
    const backends = await probeNodeBackends();
    let chosen: Awaited<ReturnType<typeof startBackend>> | { error: string };
    try {
      chosen = await startBackend(opts, io);
    } catch (err) {
      chosen = { error: (err as Error).message };
    }
    const report = { versions, backends, chosen, heads: heads.names() };
    if (opts.json) {
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      return;
    }
    const lines = ['maxpoolbert', ...Object.entries(versions).map(([k, v]) => `  ${k.padEnd(28)}${v}`), '', 'Backends (in default order):'];
    for (const b of backends) {
      const mark = b.available ? 'yes' : 'no ';
      const note = b.defaultChoice ? ' [default]' : b.onRequestOnly ? ' [on request]' : '';
      lines.push(`  ${b.name.padEnd(16)}${mark}  ${b.detail}${note}`);
    }
    lines.push('');
    lines.push('error' in chosen ? `Chosen backend: none (${chosen.error})` : `Chosen backend: ${chosen.name} — ${chosen.device}, version ${chosen.version}`);
    lines.push(`Heads registered: ${report.heads.length ? report.heads.join(', ') : '(none)'}`);
    io.stdout(lines.join('\n') + '\n');
    if ('error' in chosen) throw new Error(chosen.error);
  },
};
