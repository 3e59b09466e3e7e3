import { describe, expect, it } from 'vitest';
import { parseExtendArgs, parseSignArgs, parseVisible, UsageError } from './args.ts';

const p12 = ['--p12', 'me.p12', '--password', 'pw'];

describe('inkan sign arguments', () => {
  it('defaults to B-B without a TSA and to B-T with one', () => {
    expect(parseSignArgs(['in.pdf', '-o', 'out.pdf', ...p12])).toMatchObject({
      input: 'in.pdf',
      output: 'out.pdf',
      level: 'B-B',
      hash: 'SHA-256',
      key: { kind: 'p12', file: 'me.p12', password: 'pw' }
    });
    expect(parseSignArgs(['in.pdf', '-o', 'o.pdf', ...p12, '--tsa', 'http://127.0.0.1:1/tsa']).level).toBe('B-T');
  });

  it('reads every option', () => {
    const c = parseSignArgs([
      'in.pdf',
      '-o',
      'o.pdf',
      '--key',
      'k.pem',
      '--cert',
      'c.pem',
      '--chain',
      'ch.pem',
      '--level',
      'b-lta',
      '--tsa',
      'https://tsa.example/',
      '--field',
      'Sig1',
      '--visible',
      '1:50,60,200,70',
      '--seal',
      's.png',
      '--name',
      '山田 太郎',
      '--reason',
      '同意',
      '--location',
      '東京',
      '--certify',
      '2',
      '--pdf-password',
      'x',
      '--hash',
      'sha-384'
    ]);
    expect(c).toMatchObject({
      key: { kind: 'pem', keyFile: 'k.pem', certFile: 'c.pem', chainFile: 'ch.pem' },
      level: 'B-LTA',
      visible: { page: 1, x: 50, y: 60, width: 200, height: 70 },
      certify: 2,
      name: '山田 太郎',
      pdfPassword: 'x',
      hash: 'SHA-384'
    });
  });

  it.each([
    [['in.pdf', ...p12], /-o/],
    [['in.pdf', '-o', 'o.pdf'], /key is required/],
    [['-o', 'o.pdf', ...p12], /one input/],
    [['a.pdf', 'b.pdf', '-o', 'o.pdf', ...p12], /one input/],
    [['in.pdf', '-o', 'o.pdf', '--p12', 'x.p12'], /--password/],
    [['in.pdf', '-o', 'o.pdf', '--key', 'k.pem'], /go together/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--level', 'B-T'], /needs --tsa/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--level', 'B-LT'], /needs --tsa/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--level', 'B-X'], /--level/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--certify', '4'], /--certify/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--hash', 'SHA-1'], /SHA-1 is refused/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--tsa', 'ftp://x'], /http/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--bogus'], /bogus/],
    [['in.pdf', '-o', 'o.pdf', ...p12, '--seal', 's.png'], /visible/]
  ])('refuses %j', (argv, msg) => {
    expect(() => parseSignArgs(argv)).toThrow(UsageError);
    expect(() => parseSignArgs(argv)).toThrow(msg);
  });

  it('parses --visible boxes', () => {
    expect(parseVisible('2:10.5,20,100,40')).toEqual({ page: 2, x: 10.5, y: 20, width: 100, height: 40 });
    expect(() => parseVisible('0:1,1,100,40')).toThrow(UsageError);
    expect(() => parseVisible('1:1,1,5,5')).toThrow(/too small/);
    expect(() => parseVisible('1;1,1,100,40')).toThrow(UsageError);
  });
});

describe('inkan extend arguments', () => {
  it('needs a level; B-LTA needs a TSA', () => {
    expect(parseExtendArgs(['in.pdf', '-o', 'o.pdf', '--level', 'B-LT'])).toMatchObject({ level: 'B-LT' });
    expect(parseExtendArgs(['in.pdf', '-o', 'o.pdf', '--level', 'B-LTA', '--tsa', 'http://t/'])).toMatchObject({
      level: 'B-LTA',
      tsa: 'http://t/'
    });
    expect(() => parseExtendArgs(['in.pdf', '-o', 'o.pdf'])).toThrow(/--level/);
    expect(() => parseExtendArgs(['in.pdf', '-o', 'o.pdf', '--level', 'B-LTA'])).toThrow(/--tsa/);
    expect(() => parseExtendArgs(['in.pdf', '-o', 'o.pdf', '--level', 'B-T', '--tsa', 'http://t/'])).toThrow(/--level/);
  });
});
