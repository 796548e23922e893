import type { Actor, Role } from './actor';
import { demandForm, isOwnerOrAdmin, mayWrite, type ProfileKind } from './access-policy';

const ORG = 'org-1';
const OTHER = 'org-2';
const actor = (role: Role, organisationId: string | null = ORG): Actor => ({
  apiKeyId: 'k',
  role,
  organisationId,
  brokerId: role === 'broker' ? 'b' : null,
});

describe('access policy', () => {
  // role -> kinds it may write for its own organisation
  const matrix: [Role, ProfileKind[]][] = [
    ['admin', ['achievement', 'demand', 'expert', 'broker']],
    ['enterprise', ['demand']],
    ['institution', ['achievement', 'expert']],
    ['programme', ['expert']],
    ['broker', []],
  ];
  const kinds: ProfileKind[] = ['achievement', 'demand', 'expert', 'broker'];

  describe.each(matrix)('%s', (role, allowed) => {
    it.each(kinds)('writes its own %s only when the role allows it', (kind) => {
      expect(mayWrite(actor(role), kind, ORG)).toBe(allowed.includes(kind));
    });

    it.each(kinds)("never writes another organisation's %s unless admin", (kind) => {
      expect(mayWrite(actor(role), kind, OTHER)).toBe(role === 'admin');
    });

    it("sees a demand's confidential fields only as its owner or as admin", () => {
      expect(demandForm(actor(role), OTHER)).toBe(role === 'admin' ? 'full' : 'public');
      expect(demandForm(actor(role), ORG)).toBe('full');
    });
  });

  it('treats an actor without organisation as owner of nothing', () => {
    expect(isOwnerOrAdmin(actor('enterprise', null), ORG)).toBe(false);
  });
});
