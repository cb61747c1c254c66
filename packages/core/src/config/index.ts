export * from './bert-config.js';
export * from './presets.js';
