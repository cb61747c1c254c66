module.exports = { ...require('../../jest.preset.cjs'), displayName: 'backend-web', rootDir: __dirname };
