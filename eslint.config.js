// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Node modules that do I/O: the recommender is pure (GUIDE §1), so it imports none of them. */
const NODE_IO = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
  'readline',
];
const io = NODE_IO.flatMap((name) => [name, `node:${name}`]);

/** GUIDE §1: adapters and frameworks the pure recommender never reaches. */
const RECOMMENDER_IS_PURE = {
  paths: [...io, 'discord.js', 'sequelize', 'pg', 'sqlite3', 'node-fetch'].map((name) => ({
    name,
    message: 'src/recommender is pure (GUIDE §1): no Discord, database, HTTP or node I/O. Pass data in, return values.',
  })),
  patterns: [{ group: ['sequelize/*', 'discord.js/*'], message: 'src/recommender is pure (GUIDE §1).' }],
};
const leavesRecommender = (depth) => ({
  regex: `^(\\.\\./){${depth}}`,
  message: 'src/recommender depends on nothing of ours outside src/recommender (GUIDE §1).',
});

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Our factories return objects of closures that never use `this`, so taking a method off one is safe.
      '@typescript-eslint/unbound-method': 'off',
      // An abort's reason and a caught error are passed on as they came; everything we create is an Error.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  {
    files: ['src/recommender/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...RECOMMENDER_IS_PURE, patterns: [...RECOMMENDER_IS_PURE.patterns, leavesRecommender(1)] },
      ],
    },
  },
  {
    files: ['src/recommender/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...RECOMMENDER_IS_PURE, patterns: [...RECOMMENDER_IS_PURE.patterns, leavesRecommender(2)] },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['discord.js', 'sequelize'].map((name) => ({
            name,
            message:
              'Services are use cases (GUIDE §1): no Discord (commands render) and no SQL (repositories own it).',
          })),
          patterns: [
            {
              group: ['sequelize/*', 'discord.js/*'],
              message: 'Services import no discord.js and no sequelize (GUIDE §1).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'sequelize', message: 'Commands are Discord glue (GUIDE §1): they reach data through services.' },
          ],
          patterns: [
            {
              regex: '(^|/)src/db(/|$)',
              message: 'Commands are Discord glue (GUIDE §1): they reach data through services, never src/db.',
            },
          ],
        },
      ],
    },
  },
  {
    // Fakes implement async interfaces without awaiting, and vitest's asymmetric matchers (expect.any, closeTo) are typed any.
    files: ['test/**/*.ts', 'local-discord/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The fake Discord reads raw payload numbers and compares them with discord-api-types' enums.
    files: ['local-discord/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-enum-comparison': 'off' },
  },
  {
    // Scripts are command-line programs: printing is their job.
    files: ['scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
