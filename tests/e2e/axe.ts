import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Automated accessibility audit of the page as it is now (axe-core, WCAG 2.1 A/AA rules): the violations, each
 * with its rule id, impact and first targets (empty = none found). axe finds only part of the real problems — the
 * journeys' role and label queries cover more — but what it finds is a defect.
 */
export async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)
  }));
}
