const { rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.LLAMA3_FT_TEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
  const saved = JSON.parse(process.env.LLAMA3_FT_SAVED_TEMP ?? '{}');
  for (const [name, value] of Object.entries(saved)) {
    if (value === null) delete process.env[name];
    else process.env[name] = value;
  }
  delete process.env.LLAMA3_FT_SAVED_TEMP;
  delete process.env.LLAMA3_FT_TEST_TMPDIR;
};
