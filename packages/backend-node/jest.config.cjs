module.exports = { ...require('../../jest.preset.cjs'), displayName: 'backend-node', rootDir: __dirname };
