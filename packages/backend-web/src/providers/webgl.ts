import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, errorMessage, type BackendProbe, type BackendProvider } from '@maxpoolbert/core';
import { selectRegisteredBackend } from './activate.js';

type GL = WebGLRenderingContext | WebGL2RenderingContext;

interface CanvasLike {
  getContext(kind: 'webgl2' | 'webgl', options?: WebGLContextAttributes): unknown;
}

/** A throwaway canvas: OffscreenCanvas (also in workers), else a DOM canvas, else none. */
function makeCanvas(): CanvasLike | null {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  const doc = (globalThis as { document?: Document }).document;
  return doc?.createElement ? doc.createElement('canvas') : null;
}

/** What the GL context runs on: the unmasked renderer where the browser tells it. */
export function glRenderer(gl: GL): string {
  try {
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
    return typeof renderer === 'string' && renderer ? renderer : 'unknown renderer';
  } catch {
    return 'unknown renderer';
  }
}

/** Whether float32 textures can be rendered to; without it tfjs computes in half floats. */
function float32Renderable(gl: GL, version: 1 | 2): boolean {
  return version === 2 ? !!gl.getExtension('EXT_color_buffer_float') : !!gl.getExtension('WEBGL_color_buffer_float') || !!gl.getExtension('OES_texture_float');
}

interface GlInfo {
  version: 1 | 2;
  renderer: string;
  float32: boolean;
}

/** Opens a WebGL context, reads what we report, and frees it (browsers allow only a few). */
function inspectWebGL(): GlInfo | string {
  const canvas = makeCanvas();
  if (!canvas) return 'no canvas here (not a browser page or worker)';
  for (const version of [2, 1] as const) {
    let gl: GL | null = null;
    try {
      gl = canvas.getContext(version === 2 ? 'webgl2' : 'webgl', { failIfMajorPerformanceCaveat: false }) as GL | null;
    } catch {
      gl = null;
    }
    if (!gl) continue;
    const info = { version, renderer: glRenderer(gl), float32: float32Renderable(gl, version) };
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return info;
  }
  return 'the browser could not create a WebGL context (WebGL disabled, or no usable GPU driver)';
}

function describeGl(info: GlInfo): string {
  return `WebGL ${info.version}: ${info.renderer}${info.float32 ? '' : ' (half-float textures only: less precise)'}`;
}

const HINT = 'WebGL needs a browser with hardware acceleration enabled';

/** tfjs's WebGL backend: GPU compute through shaders, where WebGPU is missing. */
export const webglProvider: BackendProvider = {
  name: 'webgl',
  priority: 20,
  async probe(): Promise<BackendProbe> {
    try {
      const info = inspectWebGL();
      return typeof info === 'string' ? { available: false, detail: info } : { available: true, detail: describeGl(info) };
    } catch (err) {
      return { available: false, detail: `WebGL check failed: ${errorMessage(err)}` };
    }
  },
  async activate() {
    const probe = await webglProvider.probe();
    if (!probe.available) throw new Error(`${probe.detail} (${HINT})`);
    // tfjs-backend-webgl registers its backend on import, and only in a browser (window or worker).
    const { version_webgl } = await import('@tensorflow/tfjs-backend-webgl');
    await selectRegisteredBackend('webgl', '@tensorflow/tfjs-backend-webgl', HINT);
    ensureKernels('webgl');
    // tfjs's defaults (WEBGL_PACK on, float32 textures where renderable) suit BERT, so no flag is
    // changed here; the device string says when tfjs had to fall back to half floats.
    const version = tf.env().getNumber('WEBGL_VERSION');
    const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: GL } }).gpgpu?.gl;
    const renderer = gl ? glRenderer(gl) : probe.detail.replace(/^WebGL \d: /, '');
    return {
      name: 'webgl',
      tfBackend: 'webgl',
      device: `GPU (WebGL ${version}${float32 ? '' : ', half floats'}: ${renderer})`,
      version: version_webgl,
    };
  },
};
