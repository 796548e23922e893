// Owns the reference taxonomies: administrative regions (GB/T 2260), industries (GB/T 4754-2017) and disciplines
// (GB/T 13745-2009), with code checks and region proximity. Pure data and functions: no I/O beyond loading tables.
export { DISCIPLINES, isDisciplineCode } from './disciplines';
export { INDUSTRY_SECTIONS, industryDivision, isIndustryCode } from './industries';
export {
  findRegion,
  isRegionCode,
  regionPrefix,
  regionProximity,
  regionsWithin,
  type Region,
  type RegionLevel,
  type RegionProximity,
} from './regions';
