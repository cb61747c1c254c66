export * from './bert-config.js';
export * from './presets.js';
export * from './config-formats.js';
