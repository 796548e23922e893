import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDUSTRY_SECTIONS, industryDivision, isIndustryCode } from './industries';

// The transcription of GB/T 4754-2017 in ../shared/eval-data (read, never copied into the repository).
const reference = join(__dirname, '../../../../shared/eval-data/gbt4754-2017-ramwin/国民经济行业分类_2017.json');

// The transcription cuts one name short; the standard's name ends in 制造业 like every other manufacturing division.
const TRANSCRIPTION_ERRORS: Record<string, string> = { '37': '铁路、船舶、航空航天和其他运输设备制造业' };

interface Node {
  code: string;
  name: string;
  children: Node[];
}

describe('industries (GB/T 4754-2017)', () => {
  it('has exactly the sections and divisions of the standard, with their names', () => {
    const sections = JSON.parse(readFileSync(reference, 'utf8')) as Node[];
    const expected = Object.fromEntries(
      sections.map((s) => [
        s.code,
        {
          name: s.name,
          divisions: Object.fromEntries(s.children.map((d) => [d.code, TRANSCRIPTION_ERRORS[d.code] ?? d.name])),
        },
      ]),
    );
    expect(INDUSTRY_SECTIONS).toEqual(expected);
  });

  it.each(['39', '391', '3911', '65'])('accepts %s', (code) => expect(isIndustryCode(code)).toBe(true));
  it.each(['3', '00', '98', '39111', 'C39', ''])('refuses %s', (code) => expect(isIndustryCode(code)).toBe(false));

  it('names the division and section of a class code', () => {
    expect(industryDivision('3911')).toEqual({ code: '39', name: '计算机、通信和其他电子设备制造业', section: 'C' });
  });
});
