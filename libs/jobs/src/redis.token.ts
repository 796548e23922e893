export const REDIS = 'REDIS';
