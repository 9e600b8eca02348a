import { loadDotEnv } from './config.js';
import { startShardingManager } from './sharding.js';

/** `npm run start:sharded`: the settings from .env (real environment variables win), then one process per shard. */
loadDotEnv();
const { exitCode } = await startShardingManager({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  exit: (code) => process.exit(code),
  signals: process,
});
// A shard spawn still waiting for its ready timeout must not keep a failed start alive.
if (exitCode !== 0) process.exit(exitCode);
