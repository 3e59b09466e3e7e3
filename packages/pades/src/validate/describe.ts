import type { DocumentReport, SignatureReport } from './report.ts';

export type Lang = 'ja' | 'en';

const TEXT = {
  ja: {
    file: 'ファイル',
    revisions: '改訂数',
    verdict: '判定',
    noSignature: '署名がありません',
    modified: '署名後に許可されていない変更があります',
    notModified: '署名後の許可されていない変更はありません',
    signature: '署名',
    docTimeStamp: 'ドキュメントタイムスタンプ',
    field: 'フィールド',
    signer: '署名者',
    tsa: 'タイムスタンプ局',
    claimed: '署名日時（自己申告）',
    proven: '証明された時刻',
    integrity: '完全性',
    value: '署名値',
    trust: '信頼',
    level: 'PAdES レベル',
    coverage: '範囲',
    whole: '文書全体',
    partial: '改訂 {rev} まで（その後に更新あり）',
    changes: '署名後の変更',
    ok: 'OK',
    ng: 'NG',
    yes: 'はい',
    no: 'いいえ',
    none: 'なし',
    permitted: '許可',
    forbidden: '不許可',
    'TOTAL-PASSED': '有効',
    'TOTAL-FAILED': '無効',
    INDETERMINATE: '判定不能'
  },
  en: {
    file: 'File',
    revisions: 'Revisions',
    verdict: 'Verdict',
    noSignature: 'No signature',
    modified: 'Changed after signing in a way that is not permitted',
    notModified: 'No non-permitted change after signing',
    signature: 'Signature',
    docTimeStamp: 'Document timestamp',
    field: 'Field',
    signer: 'Signer',
    tsa: 'Time-stamping authority',
    claimed: 'Claimed signing time',
    proven: 'Proven time',
    integrity: 'Integrity',
    value: 'Signature value',
    trust: 'Trust',
    level: 'PAdES level',
    coverage: 'Coverage',
    whole: 'whole document',
    partial: 'up to revision {rev} (updated afterwards)',
    changes: 'Changes after signing',
    ok: 'OK',
    ng: 'FAILED',
    yes: 'yes',
    no: 'no',
    none: 'none',
    permitted: 'permitted',
    forbidden: 'NOT permitted',
    'TOTAL-PASSED': 'valid',
    'TOTAL-FAILED': 'INVALID',
    INDETERMINATE: 'indeterminate'
  }
} as const;

/** The human-readable report of `inkan verify`: one block per signature, in Japanese or English. */
export function describeReport(report: DocumentReport, file: string, lang: Lang): string {
  const m = TEXT[lang];
  const lines = [
    `${m.file}: ${file}`,
    `${m.revisions}: ${report.revisions}`,
    `${m.verdict}: ${m[report.verdict]} (${report.verdict})`,
    report.modifiedAfterSigning ? `${m.modified}: ${report.modificationReasons.join(', ')}` : m.notModified
  ];
  if (report.error) lines.push(`error: ${report.error}`);
  if (report.signatures.length === 0) lines.push(m.noSignature);
  report.signatures.forEach((s, i) => lines.push('', ...describeSignature(s, i + 1, lang)));
  return lines.join('\n') + '\n';
}

function describeSignature(s: SignatureReport, n: number, lang: Lang): string[] {
  const m = TEXT[lang];
  const yn = (b: boolean) => (b ? m.ok : m.ng);
  const sub = s.subIndication ? ` / ${s.subIndication}` : '';
  const out = [
    `[${n}] ${s.type === 'docTimeStamp' ? m.docTimeStamp : m.signature}: ${m[s.indication]} (${s.indication}${sub})`,
    `  ${m.field}: ${s.fieldNames.join(', ')}`,
    `  ${s.type === 'docTimeStamp' ? m.tsa : m.signer}: ${s.signer?.subject ?? m.none}`,
    `  ${m.claimed}: ${s.claimedTime ?? m.none}`,
    `  ${m.proven}: ${s.provenTime ?? m.none}${s.timestamp?.tsa ? ` (TSA: ${s.timestamp.tsa})` : ''}`,
    `  ${m.integrity}: ${yn(s.intact)}  ${m.value}: ${yn(s.signatureValid)}  ${m.trust}: ${s.trusted ? m.yes : m.no}`,
    `  ${m.level}: ${s.level ?? m.none}`,
    `  ${m.coverage}: ${s.coverage.coversWholeFile ? m.whole : m.partial.replace('{rev}', String(s.coverage.revision ?? '?'))}`
  ];
  if (s.reasons.length) out.push(`  → ${s.reasons.join(', ')}`);
  if (s.modifications.length) {
    out.push(`  ${m.changes}:`);
    for (const x of s.modifications) {
      out.push(`    rev ${x.revision}: ${x.code} (${x.level}, ${x.permitted ? m.permitted : m.forbidden}) ${x.detail}`);
    }
  }
  return out;
}
