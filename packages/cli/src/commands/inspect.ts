import { FsModelSource } from '@maxpoolbert/backend-node';
import { CLASSIFIER_PREFIX, HEAD_PREFIX, loadBertWeights, readBertConfig, serializeBertConfig, trainedMaxLength } from '@maxpoolbert/core';
import type { Command } from '../command.js';

/** Which part of the model a parameter belongs to, for the per-part counts. */
function partOf(name: string): string {
  const layer = /^encoder\.layer\.(\d+)\./.exec(name);
  if (layer) return `encoder.layer.${layer[1]}`;
  for (const part of ['embeddings', 'pooler', 'head', 'classifier']) if (name.startsWith(`${part}.`)) return part;
  return 'other';
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Show a model folder: config, parameter counts per part, dtypes, missing/unexpected keys.',
  positionals: [{ name: 'DIR', description: 'model folder', required: true }],
  options: { json: { type: 'boolean', description: 'print the report as JSON' } },
  async run(opts, [dir], io) {
    const source = await FsModelSource.open(dir);
    const config = await readBertConfig(source);
    // Missing keys are reported here rather than refused: inspecting a broken folder is the point.
    const { encoder, rest, report } = await loadBertWeights(source, config, { allowMissing: () => true });
    const parts = new Map<string, number>();
    for (const [name, t] of [...encoder, ...rest]) parts.set(partOf(name), (parts.get(partOf(name)) ?? 0) + t.data.length);
    const total = [...parts.values()].reduce((a, b) => a + b, 0);
    const dtypeCounts: Record<string, number> = {};
    for (const d of Object.values(report.dtypes)) dtypeCounts[d] = (dtypeCounts[d] ?? 0) + 1;
    // A fine-tuned folder's head.* and classifier.* are its own, not unexpected: the encoder
    // loader does not know them, the classifier does. Its classifier weights must be there.
    const fineTuned = config.extra.maxpoolbert_head !== undefined;
    const isOwn = (k: string) => fineTuned && (k.startsWith(HEAD_PREFIX) || k.startsWith(CLASSIFIER_PREFIX));
    const headKeys = report.unexpected.filter((k) => k.startsWith(HEAD_PREFIX) && isOwn(k));
    const classifierKeys = report.unexpected.filter((k) => k.startsWith(CLASSIFIER_PREFIX) && isOwn(k));
    const unexpected = report.unexpected.filter((k) => !isOwn(k));
    const missing = [...report.missing, ...(fineTuned ? ['weight', 'bias'].map((n) => CLASSIFIER_PREFIX + n).filter((k) => !rest.has(k)) : [])];
    const maxLength = trainedMaxLength(config);
    const result = {
      folder: source.location,
      config: serializeBertConfig(config),
      weightsFile: report.file,
      parameters: { total, ...Object.fromEntries(parts) },
      dtypes: dtypeCounts,
      missing,
      unexpected,
      ignored: report.ignored,
      ...(fineTuned ? { head: headKeys, classifier: classifierKeys, trainedMaxLength: maxLength ?? null } : {}),
    };
    if (opts.json) {
      io.stdout(JSON.stringify(result, null, 2) + '\n');
      return;
    }
    const c = config;
    const lines = [
      `Model folder: ${result.folder}`,
      `Weights:      ${report.file}`,
      `Architecture: ${c.num_hidden_layers} layers × hidden ${c.hidden_size} × ${c.num_attention_heads} heads, intermediate ${c.intermediate_size}, ${c.hidden_act}`,
      `Vocabulary:   ${c.vocab_size}, max positions ${c.max_position_embeddings}, type vocab ${c.type_vocab_size}`,
      `Dropout:      hidden ${c.hidden_dropout_prob}, attention ${c.attention_probs_dropout_prob}, classifier ${c.classifier_dropout ?? '(hidden)'}`,
      '',
      `Parameters:   ${total.toLocaleString('en-US')} (${(total / 1e6).toFixed(2)}M)`,
      ...[...parts].map(([part, n]) => `  ${part.padEnd(20)}${n.toLocaleString('en-US').padStart(14)}`),
      '',
      `Dtypes on disk: ${Object.entries(dtypeCounts).map(([d, n]) => `${d} × ${n}`).join(', ')}`,
      `Missing keys:    ${missing.length ? missing.join(', ') : 'none'}`,
      `Unexpected keys: ${unexpected.length ? unexpected.join(', ') : 'none'}`,
      `Ignored keys:    ${report.ignored.length ? report.ignored.join(', ') : 'none'}`,
    ];
    const head = c.extra.maxpoolbert_head;
    if (head) {
      const extra = parts.get('head') ?? 0;
      const shapes = classifierKeys.map((k) => `${k} [${rest.get(k)?.shape.join(', ') ?? ''}]`).join(', ');
      lines.splice(5, 0,
        `Head:         ${JSON.stringify(head)}, ${extra.toLocaleString('en-US')} parameters over [CLS] pooling (${headKeys.length} head.* tensors)`,
        `Classifier:   ${shapes || 'none'}`,
        `Max length:   ${maxLength !== undefined ? `${maxLength} tokens (fine-tuned with; eval, predict and embed default to it)` : 'not recorded (eval, predict and embed use max positions)'}`);
    }
    io.stdout(lines.join('\n') + '\n');
  },
};
