import { switchOn } from './learning.service';

describe('switchOn', () => {
  const better = { auc: 0.7, logLoss: 0.5 };
  const worse = { auc: 0.6, logLoss: 0.6 };

  it('switches a version on only with enough outcomes and a held-out AUC better beyond chance', () => {
    expect(switchOn(500, 200, better, worse, 0.04)).toMatchObject({ on: true });
    expect(switchOn(150, 200, better, worse, 0.04)).toEqual({ on: false, note: '150 outcomes, fewer than 200' });
    expect(switchOn(500, 200, worse, better, -0.1)).toMatchObject({ on: false });
    expect(switchOn(500, 200, better, worse, -0.01).note).toContain('not better beyond chance');
  });
});
