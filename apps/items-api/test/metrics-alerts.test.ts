import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';

const deploy = fileURLToPath(new URL('../deploy/', import.meta.url));

/** Runs promtool in deploy/ (bounded), and returns its exit code and output. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, {
    cwd: deploy,
    encoding: 'utf8',
    timeout: bound(BOUNDS.process),
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the Prometheus files of deploy/', () => {
  test('promtool accepts the scrape config and the alert rules it loads', () => {
    const config = promtool('check', 'config', 'prometheus.yml');
    expect(config.output).toContain('SUCCESS: 1 rule files found');
    expect(config.status).toBe(0);
    const rules = promtool('check', 'rules', 'items-api-alerts.yml');
    expect(rules.output).toContain('SUCCESS: 3 rules found');
    expect(rules.status).toBe(0);
  });

  test('each alert fires on a failing service and stays quiet on a healthy one (promtool test rules)', () => {
    const run = promtool('test', 'rules', 'items-api-alerts.test.yml');
    expect(run.output).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });
});
