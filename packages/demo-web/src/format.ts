/** "45 s", "3 min 20 s", "1 h 5 min" */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '…';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The progress line of a training run: step, epoch, loss, speed and time left. */
export function formatStep(p: { step: number; totalSteps: number; epoch: number; loss: number; elapsedMs: number }, epochs: number): string {
  const perStep = p.elapsedMs / p.step;
  return `step ${p.step}/${p.totalSteps} · epoch ${p.epoch + 1}/${epochs} · loss ${p.loss.toFixed(4)} · ${(perStep / 1000).toFixed(2)} s/step · ETA ${formatDuration(perStep * (p.totalSteps - p.step))}`;
}
