import { findRegion, isRegionCode, regionProximity } from './regions';

describe('regions (GB/T 2260)', () => {
  it('knows provinces, cities and counties by six-digit code', () => {
    expect(findRegion('330000')).toEqual({ code: '330000', name: '浙江省', level: 'province' });
    expect(findRegion('330500')).toEqual({ code: '330500', name: '湖州市', level: 'city' });
    expect(findRegion('330502')?.level).toBe('county');
  });

  it.each(['33050', '999999', '330599', 'abcdef'])('refuses %s', (code) => {
    expect(isRegionCode(code)).toBe(false);
  });

  it.each([
    ['330502', '330502', 'same_county'],
    ['330502', '330503', 'same_city'],
    ['330502', '330500', 'same_city'],
    ['330502', '330100', 'same_province'],
    ['330000', '330100', 'same_province'],
    ['330502', '320500', 'yangtze_river_delta'],
    ['330502', '440300', 'elsewhere'],
  ])('%s and %s are %s', (a, b, expected) => {
    expect(regionProximity(a, b)).toBe(expected);
  });
});
