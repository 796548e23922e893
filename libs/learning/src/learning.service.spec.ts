import { switchOn } from './learning.service';

describe('switchOn', () => {
  const better = { auc: 0.7, logLoss: 0.5 };
  const worse = { auc: 0.6, logLoss: 0.6 };

  it('switches a version on only with enough outcomes and a better held-out AUC', () => {
    expect(switchOn(500, 200, better, worse)).toMatchObject({ on: true });
    expect(switchOn(150, 200, better, worse)).toEqual({ on: false, note: '150 outcomes, fewer than 200' });
    expect(switchOn(500, 200, worse, better)).toMatchObject({ on: false });
    expect(switchOn(500, 200, better, better).on).toBe(false);
  });
});
