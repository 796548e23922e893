import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { findRegion, INDUSTRY_SECTIONS, regionsWithin, type Region } from '@app/taxonomy';
import { Answers } from '../http/openapi';

/** The code lists forms pick from (GB/T 2260 regions, GB/T 4754 industry divisions). */
@ApiTags('taxonomy')
@ApiBearerAuth()
@Controller('taxonomy')
export class TaxonomyController {
  @Get('regions')
  @Answers(200, 'Regions')
  @ApiOperation({ summary: 'A region and the cities and counties inside it (Zhejiang by default)' })
  @ApiQuery({ name: 'within', required: false, example: '330000' })
  regions(@Query('within') within = '330000'): Region[] {
    const root = findRegion(within);
    return root ? [root, ...regionsWithin(within)] : [];
  }

  @Get('industries')
  @Answers(200, 'Industries')
  @ApiOperation({ summary: 'GB/T 4754-2017 industry divisions by section' })
  industries(): { section: string; name: string; divisions: { code: string; name: string }[] }[] {
    return Object.entries(INDUSTRY_SECTIONS).map(([section, s]) => ({
      section,
      name: s.name,
      divisions: Object.entries(s.divisions).map(([code, name]) => ({ code, name })),
    }));
  }
}
