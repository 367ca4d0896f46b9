import { clientAddressKey } from '../../../src/http/rate-limits/client-address';

describe('clientAddressKey', () => {
  it('when the address is IPv4, also as a dual-stack socket reports it, then the address itself is the key', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('when addresses share an IPv6 /64, then they share one key, however they are written', () => {
    const key = clientAddressKey('2001:db8:1:2:3:4:5:6');
    expect(key).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002::9')).toBe(key);
    expect(clientAddressKey('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe(key);
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('2001:db8:1:3::1')).not.toBe(key);
  });

  it('when the address has an embedded IPv4 tail, then its first 64 bits still decide', () => {
    expect(clientAddressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('when there is no usable address, then every such request shares one key', () => {
    expect(clientAddressKey(undefined)).toBe('unknown');
    expect(clientAddressKey('')).toBe('unknown');
    expect(clientAddressKey('not-an-address')).toBe('unknown');
  });
});
