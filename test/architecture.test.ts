import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering of GUIDE §1 is stated as ESLint rules (eslint.config.js). These probes lint a line of code as
 * if it stood in a given folder, so a rule that stops rejecting what it should fails here, not in review.
 * Type information is not needed for import rules, so the probes are linted without it.
 */
const eslint = new ESLint({
  overrideConfig: [
    tseslint.configs.disableTypeChecked,
    { languageOptions: { parserOptions: { projectService: false } } },
  ],
});

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the layering rules', () => {
  it.each([
    ['src/services/probe.ts', "import { QueryTypes } from 'sequelize';"],
    ['src/services/recommendations/probe.ts', "import type { Transaction } from 'sequelize';"],
    ['src/services/probe.ts', "import { EmbedBuilder } from 'discord.js';"],
    ['src/recommender/probe.ts', "import { Sequelize } from 'sequelize';"],
    ['src/recommender/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['src/recommender/probe.ts', "import { request } from 'http';"],
    ['src/recommender/probe.ts', "import fetch from 'node-fetch';"],
    ['src/recommender/probe.ts', "import type { Logger } from '../logger.js';"],
    ['src/recommender/evaluation/probe.ts', "import { createDatabase } from '../../db/database.js';"],
    ['commands/probe.ts', "import type { UsersRepository } from '../src/db/repositories/users.js';"],
  ])('rejects %s importing: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['src/services/probe.ts', "import type { Repositories } from '../db/repositories/index.js';"],
    ['src/recommender/probe.ts', "import { chooseTopK } from './select.js';"],
    ['src/recommender/evaluation/probe.ts', "import type { RatingColumns } from '../types.js';"],
    ['commands/probe.ts', "import type { Command } from '../src/discord/command.js';"],
  ])('allows %s importing: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });
});
