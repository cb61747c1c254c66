module.exports = { ...require('../../jest.preset.cjs'), displayName: 'demo-web', rootDir: __dirname };
