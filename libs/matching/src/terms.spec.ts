import { contentTerms } from './terms';

describe('contentTerms', () => {
  it('segments Chinese into content words, drops stopwords, reads Traditional as Simplified', () => {
    const terms = contentTerms('我公司需要退役動力電池回收技術');
    expect(terms).toEqual(expect.arrayContaining(['退役', '动力电池', '回收']));
    expect(terms).not.toContain('技术');
    expect(terms).not.toContain('我公司');
  });

  it('returns nothing for blank text', () => {
    expect(contentTerms('   ')).toEqual([]);
  });
});
