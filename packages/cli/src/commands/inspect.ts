import { FsModelSource } from '@maxpoolbert/backend-node';
import {
  CLASSIFIER_PREFIX, HEAD_PREFIX, loadBertWeights, maskedLmHeadShapes, MLM_BIAS, MLM_DECODER_BIAS, MLM_HEAD_PREFIX, quoteInput, readBertConfig, serializeBertConfig,
  trainedMaxLength, type BertConfig,
} from '@maxpoolbert/core';
import { UsageError, type Command } from '../command.js';

/** Which part of the model a parameter belongs to, for the per-part counts. */
function partOf(name: string): string {
  const layer = /^encoder\.layer\.(\d+)\./.exec(name);
  if (layer) return `encoder.layer.${layer[1]}`;
  for (const part of ['embeddings', 'pooler', 'head', 'classifier', 'cls']) if (name.startsWith(`${part}.`)) return part;
  return 'other';
}

/**
 * Whether the folder has a masked-LM head (`cls.predictions.*`, BertForMaskedLM/BertForPreTraining):
 * fill-mask uses it; without one, loading it as a masked LM initialises a new head.
 */
function maskedLmHeadState(config: BertConfig, rest: Map<string, unknown>): { state: 'present' | 'none' | 'incomplete'; line: string } {
  const names = [...maskedLmHeadShapes(config).keys()];
  const has = (name: string) => rest.has(name) || (name === MLM_BIAS && rest.has(MLM_DECODER_BIAS));
  const missing = names.filter((n) => !has(n));
  if (missing.length === 0) return { state: 'present', line: 'present (cls.predictions.*, decoder tied to the word embeddings): fill-mask can use it' };
  if (missing.length === names.length) return { state: 'none', line: 'none (as a masked LM it would start from a newly initialised head)' };
  return { state: 'incomplete', line: `incomplete, missing ${missing.join(', ')}` };
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Show a model folder: config, parameter counts per part, dtypes, missing/unexpected keys.',
  positionals: [{ name: 'DIR', description: 'model folder', required: false }],
  options: {
    // Every other command names its model with --model: accepted here too, so that habit works.
    model: { type: 'string', value: 'DIR', description: 'model folder (instead of DIR)' },
    json: { type: 'boolean', description: 'print the report as JSON' },
  },
  async run(opts, [positional], io) {
    const flag = opts.model as string | undefined;
    if (positional !== undefined && flag !== undefined && positional !== flag) {
      throw new UsageError(`inspect: two model folders given (${quoteInput(positional)} and --model ${quoteInput(flag)}): give one`);
    }
    const dir = positional ?? flag;
    if (dir === undefined) throw new UsageError('inspect: which model folder? maxpoolbert inspect DIR (or --model DIR)');
    const source = await FsModelSource.open(dir);
    const config = await readBertConfig(source);
    // Missing keys are reported here rather than refused: inspecting a broken folder is the point.
    const { encoder, rest, report } = await loadBertWeights(source, config, { allowMissing: () => true });
    const parts = new Map<string, number>();
    // A pooler the loader made up (the checkpoint has none) is not the folder's: not counted.
    const made = new Set(report.initialised);
    for (const [name, t] of [...encoder, ...rest]) if (!made.has(name)) parts.set(partOf(name), (parts.get(partOf(name)) ?? 0) + t.data.length);
    const total = [...parts.values()].reduce((a, b) => a + b, 0);
    const mlm = maskedLmHeadState(config, rest);
    // The masked-LM head's keys are set aside by the encoder but are the head's: shown on its own line.
    const ignored = report.ignored.filter((k) => !k.startsWith(MLM_HEAD_PREFIX));
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
      ignored,
      pooler: report.poolerInitialised ? 'initialised' : report.pooler ? 'checkpoint' : 'none',
      maskedLmHead: mlm.state,
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
      `Architecture: ${String(c.extra.model_type ?? 'bert')}, ${c.num_hidden_layers} layers × hidden ${c.hidden_size} × ${c.num_attention_heads} heads, intermediate ${c.intermediate_size}, ${c.hidden_act}`,
      `Vocabulary:   ${c.vocab_size}, max positions ${c.max_position_embeddings}, type vocab ${c.type_vocab_size}`,
      `Dropout:      hidden ${c.hidden_dropout_prob}, attention ${c.attention_probs_dropout_prob}, classifier ${c.classifier_dropout ?? '(hidden)'}`,
      '',
      `Parameters:   ${total.toLocaleString('en-US')} (${(total / 1e6).toFixed(2)}M)`,
      ...[...parts].map(([part, n]) => `  ${part.padEnd(20)}${n.toLocaleString('en-US').padStart(14)}`),
      '',
      `Dtypes on disk: ${Object.entries(dtypeCounts).map(([d, n]) => `${d} × ${n}`).join(', ')}`,
      `Missing keys:    ${missing.length ? missing.join(', ') : 'none'}`,
      `Unexpected keys: ${unexpected.length ? unexpected.join(', ') : 'none'}`,
      `Ignored keys:    ${ignored.length ? ignored.join(', ') : 'none'}`,
      `Masked-LM head:  ${mlm.line}`,
      `Pooler:          ${report.poolerInitialised ? 'newly initialised (the checkpoint has none)' : report.pooler ? 'from the checkpoint' : 'none (saved without one, --no-pooler)'}`,
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
