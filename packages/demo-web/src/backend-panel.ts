import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '@maxpoolbert/core';
import { probeWebBackends, useWebBackend } from '@maxpoolbert/backend-web';
import { byTestId, el, errorText } from './dom.js';

export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** Where the tfjs-backend-wasm binaries are: the build copies them to dist/wasm/. */
export function wasmPaths(): string {
  return new URL('./wasm/', document.baseURI).href;
}

/** What gives away a GPU backend that runs on a CPU emulation, or null for a real GPU (or no GPU backend). */
export function softwareGpu(info: BackendInfo): string | null {
  if (info.name !== 'webgpu' && info.name !== 'webgl') return null;
  return /swiftshader|llvmpipe|software|fallback/i.exec(info.device)?.[0] ?? null;
}

/**
 * The backend selector: starts the chosen tfjs backend (auto = the fastest that works here),
 * shows the one actually running (name + device) and, for every backend, whether it can start
 * here and why not.
 */
export class BackendPanel {
  private readonly panel = byTestId('backend-panel');
  private readonly select = byTestId<HTMLSelectElement>('backend-select');
  private readonly nameOut = byTestId('backend-name');
  private readonly deviceOut = byTestId('backend-device');
  private readonly errorOut = byTestId('backend-error');
  private readonly probesOut = byTestId('backend-probes');
  private readonly noteOut = byTestId('backend-note');
  private current: Promise<BackendInfo> | null = null;
  info: BackendInfo | null = null;

  /**
   * `afterSwitch` runs once a different backend is running, before `ready()` resolves: the page
   * rebuilds the current model on it (moving tensors between tfjs backends is not reliable).
   */
  constructor(private readonly afterSwitch: (info: BackendInfo) => Promise<void> = async () => undefined) {
    this.select.addEventListener('change', () => void this.start(this.select.value));
  }

  /** Starts `choice` ('auto' or a backend name); resolves with what runs, or null when it failed. */
  async start(choice: string): Promise<BackendInfo | null> {
    if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) choice = 'auto';
    this.select.value = choice;
    this.select.disabled = true;
    this.panel.dataset.state = 'starting';
    this.errorOut.hidden = true;
    this.noteOut.hidden = true;
    this.nameOut.textContent = '…';
    this.deviceOut.textContent = `starting ${choice}`;
    const log = (m: string) => console.info(`[backend] ${m}`);
    const options = choice === 'auto' ? { wasmPaths: wasmPaths(), log } : { prefer: choice, allowFallback: false, wasmPaths: wasmPaths(), log };
    const before = this.info;
    const previous = before?.name;
    this.info = null;
    this.current = useWebBackend(options).then(async (info) => {
      if (previous && info.name !== previous) await this.afterSwitch(info);
      return info;
    });
    try {
      const info = await this.current;
      this.info = info;
      this.panel.dataset.state = 'ready';
      this.panel.dataset.backend = info.name;
      this.nameOut.textContent = info.name;
      this.deviceOut.textContent = `${info.device} · tfjs ${info.tfBackend} ${info.version}`;
      console.info(`[backend] running on ${info.name} (${info.device})`);
      const emulated = softwareGpu(info);
      if (emulated) {
        this.noteOut.hidden = false;
        this.noteOut.textContent = `${info.name === 'webgpu' ? 'WebGPU' : 'WebGL'} runs on a CPU emulation here (${emulated}): classifying works, but fine-tuning is much faster on WASM.`;
      }
      return info;
    } catch (err) {
      // A backend that cannot start leaves the previous one selected in tfjs: keep using it.
      const still = before && tf.getBackend() === before.tfBackend ? before : null;
      this.info = still;
      this.panel.dataset.state = 'error';
      if (still) this.panel.dataset.backend = still.name;
      else delete this.panel.dataset.backend;
      this.nameOut.textContent = still ? still.name : 'none';
      this.deviceOut.textContent = still ? `${still.device} (still)` : '';
      this.errorOut.hidden = false;
      this.errorOut.textContent = `${choice} cannot start here: ${errorText(err)}`;
      return null;
    } finally {
      this.select.disabled = false;
      void this.showProbes();
    }
  }

  /** The running backend; waits for a switch in progress; throws when none could start. */
  async ready(): Promise<BackendInfo> {
    if (!this.current) throw new Error('no backend started yet');
    await this.current.catch(() => undefined);
    if (!this.info) throw new Error('no backend is running: pick another one in the Backend box');
    return this.info;
  }

  /** No switching while a model trains on the current backend. */
  setLocked(locked: boolean): void {
    this.select.disabled = locked;
  }

  private async showProbes(): Promise<void> {
    try {
      const probes = await probeWebBackends();
      this.probesOut.replaceChildren(
        ...probes.map((p) =>
          el('li', {
            'data-testid': `backend-probe-${p.name}`,
            'data-available': String(p.available),
            class: `${p.available ? 'available' : 'unavailable'}${p.name === this.info?.name ? ' active' : ''}`,
            title: p.detail,
          }, `${p.name}${p.defaultChoice ? ' (auto)' : ''}: ${p.detail}`),
        ),
      );
    } catch (err) {
      this.probesOut.replaceChildren(el('li', { class: 'unavailable' }, `could not probe the backends: ${errorText(err)}`));
    }
  }
}
