const { rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.LLAMA3_FT_TEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
