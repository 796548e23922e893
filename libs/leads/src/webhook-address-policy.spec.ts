import { compileAllowance, judgeAddress, judgeHost, NO_ALLOWANCE } from './webhook-address-policy';

/** The host of a URL as the sender sees it: WHATWG parsing first, as `new URL()` does for every webhook. */
const hostOf = (url: string) => new URL(url).hostname;

describe('webhook address policy', () => {
  // Every internal form of the security probe, and the classes the fix names, written as an operator would.
  const internal = [
    'http://127.0.0.1/',
    'http://127.8.9.10/',
    'http://localhost/',
    'http://hooks.localhost/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.GOOGLE.INTERNAL./',
    'http://[fd00:ec2::254]/',
    'http://100.100.100.200/',
    'http://168.63.129.16/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://[::ffff:10.0.0.1]/',
    'http://[fe80::1]/',
    'http://169.254.1.1/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://224.0.0.1/',
    'http://[ff02::1]/',
    'http://255.255.255.255/',
    'http://100.64.0.1/',
    'http://100.127.255.254/',
    'http://192.0.2.1/',
    'http://198.18.0.1/',
    'http://203.0.113.9/',
    'http://240.0.0.1/',
    'http://[2001:db8::1]/',
    'http://[64:ff9b::a00:1]/',
    'http://[2002:7f00:1::]/',
    'http://127.0.0.1:5432/',
    'http://127.0.0.1:6379/',
  ];

  it.each(internal)('refuses %s', (url) => {
    const verdict = judgeHost(hostOf(url), NO_ALLOWANCE);
    expect(verdict).toMatchObject({ allowed: false, reason: expect.any(String) });
  });

  it('names why: the class of the address, or the kind of name', () => {
    expect(judgeHost(hostOf('http://[::ffff:127.0.0.1]/'), NO_ALLOWANCE)).toEqual({
      allowed: false,
      reason: 'loopback address (IPv4-mapped)',
    });
    expect(judgeHost('169.254.169.254', NO_ALLOWANCE)).toEqual({ allowed: false, reason: 'metadata service address' });
    expect(judgeHost('metadata.google.internal', NO_ALLOWANCE)).toEqual({
      allowed: false,
      reason: 'metadata service name',
    });
    expect(judgeHost('100.64.0.1', NO_ALLOWANCE)).toEqual({ allowed: false, reason: 'carrierGradeNat address' });
  });

  it('allows public addresses, and asks for names to be resolved', () => {
    expect(judgeHost('8.8.8.8', NO_ALLOWANCE)).toEqual({ allowed: true });
    expect(judgeHost(hostOf('https://[2606:4700::1111]/'), NO_ALLOWANCE)).toEqual({ allowed: true });
    expect(judgeHost(hostOf('https://[::ffff:8.8.8.8]/'), NO_ALLOWANCE)).toEqual({ allowed: true });
    expect(judgeHost('Hooks.Example.CN.', NO_ALLOWANCE)).toEqual({ resolve: 'hooks.example.cn', trusted: false });
  });

  it('judges resolved addresses by the same classes', () => {
    expect(judgeAddress('10.1.2.3', NO_ALLOWANCE)).toEqual({ allowed: false, reason: 'private address' });
    expect(judgeAddress('fe80::1', NO_ALLOWANCE)).toEqual({ allowed: false, reason: 'linkLocal address' });
    expect(judgeAddress('not-an-address', NO_ALLOWANCE)).toMatchObject({ allowed: false });
    expect(judgeAddress('93.184.215.14', NO_ALLOWANCE)).toEqual({ allowed: true });
  });

  it('allows what the operator named, by host name or by range, and nothing beside it', () => {
    const sut = compileAllowance(['127.0.0.1', '10.20.0.0/16', 'Hooks.Corp.Internal', 'fd00:1::/32']);
    expect(judgeHost('127.0.0.1', sut)).toEqual({ allowed: true });
    expect(judgeHost(hostOf('http://[::ffff:127.0.0.1]/'), sut)).toEqual({ allowed: true });
    expect(judgeHost('127.0.0.2', sut)).toMatchObject({ allowed: false });
    expect(judgeAddress('10.20.3.4', sut)).toEqual({ allowed: true });
    expect(judgeAddress('10.21.3.4', sut)).toMatchObject({ allowed: false });
    expect(judgeAddress('fd00:1::5', sut)).toEqual({ allowed: true });
    expect(judgeAddress('fd00:2::5', sut)).toMatchObject({ allowed: false });
    // A trusted name may resolve to internal addresses, not to a metadata service.
    expect(judgeHost('hooks.corp.internal', sut)).toEqual({ resolve: 'hooks.corp.internal', trusted: true });
    expect(judgeAddress('10.99.0.1', sut, true)).toEqual({ allowed: true });
    expect(judgeAddress('169.254.169.254', sut, true)).toEqual({ allowed: false, reason: 'metadata service address' });
    expect(judgeHost('other.corp.internal', sut)).toEqual({ resolve: 'other.corp.internal', trusted: false });
  });

  it('keeps metadata addresses refused inside an allowed range', () => {
    const sut = compileAllowance(['169.254.0.0/16', '::ffff:0:0/96']);
    expect(judgeAddress('169.254.1.1', sut)).toEqual({ allowed: true });
    expect(judgeAddress('169.254.169.254', sut)).toMatchObject({ allowed: false });
  });
});
