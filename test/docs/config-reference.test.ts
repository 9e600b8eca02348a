import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** The variables `envSchema` in src/config.ts reads: its keys, the only way config.ts reads the environment. */
function configVariables(): string[] {
  const source = read('src/config.ts');
  const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? '';
  return [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
}

/** The settings `.env.example` sets (commented lines are notes, not settings). */
function exampleVariables(): string[] {
  return [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!);
}

/** The variables named in the first column of README.md's configuration table. */
function readmeVariables(): string[] {
  const readme = read('README.md');
  const section = /\n## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

const sorted = (names: string[]) => [...new Set(names)].sort();

describe('the configuration reference', () => {
  it('reads some variables (the parsing of src/config.ts still works)', () => {
    expect(configVariables()).toEqual(expect.arrayContaining(['DISCORD_TOKEN', 'DATABASE_URL', 'HTTP_PORT']));
  });

  it('.env.example sets exactly the variables src/config.ts reads', () => {
    expect(sorted(exampleVariables())).toEqual(sorted(configVariables()));
  });

  it('README.md’s configuration table names exactly the variables src/config.ts reads', () => {
    expect(sorted(readmeVariables())).toEqual(sorted(configVariables()));
  });
});
