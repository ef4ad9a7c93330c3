import { BUILT_IN_RULES } from './rules';
import { IPolicyRule, PolicyRuleInfo } from './types';

/** The built-in rules: id, what each requires, its fix, level, and the scanner checks it stands for. */
export function ruleCatalog(): PolicyRuleInfo[] {
  return BUILT_IN_RULES.map(infoOf);
}

export function infoOf(rule: IPolicyRule): PolicyRuleInfo {
  return {
    id: rule.id,
    description: rule.description,
    fix: rule.fix,
    level: rule.level,
    scannerChecks: [...rule.scannerChecks],
    resourceTypes: [...rule.resourceTypes],
  };
}

/** The catalog as a Markdown table (rule id, what it requires, level, scanner checks), for the README. */
export function renderRuleTable(rules: PolicyRuleInfo[] = ruleCatalog()): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  const lines = [
    '| Rule | Requires | Level | Stands for |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| ${r.id} | ${cell(r.description)} | ${r.level} | ${cell(r.scannerChecks.join(', '))} |`),
  ];
  return `${lines.join('\n')}\n`;
}
