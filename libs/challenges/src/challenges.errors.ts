/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class ChallengeError extends Error {
  abstract readonly code: string;
}

export class ChallengeNotFoundError extends ChallengeError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No challenge ${id}, or not one this API key may see`);
  }
}

/** A move the lifecycle does not allow from the current state; names the moves that are allowed. */
export class ChallengeTransitionError extends ChallengeError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: string[],
  ) {
    super(
      `A challenge in state ${from} cannot move to ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
    );
  }
}

/** A change the challenge's state no longer takes (a draft's fields once it opened; a deadline in the past). */
export class ChallengeNotEditableError extends ChallengeError {
  readonly code = 'CHALLENGE_NOT_EDITABLE';
  constructor(
    readonly field: string,
    why: string,
  ) {
    super(`${field}: ${why}`);
  }
}

/** A cancellation or a close without award without its reason. */
export class ReasonRequiredError extends ChallengeError {
  readonly code = 'REASON_REQUIRED';
  constructor(to: string) {
    super(`reason: moving a challenge to ${to} needs a reason`);
  }
}

/** A judge named who is not an expert that exists and is active. */
export class UnknownJudgeError extends ChallengeError {
  readonly code = 'UNKNOWN_JUDGE';
  constructor(id: string) {
    super(`judgeExpertIds: no active expert ${id}`);
  }
}

export class ProposalNotFoundError extends ChallengeError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No proposal ${id}, or not one this API key may see`);
  }
}

/** One proposal per organisation and challenge: the existing one is edited instead. */
export class ProposalExistsError extends ChallengeError {
  readonly code = 'PROPOSAL_EXISTS';
  constructor(readonly existingId: string) {
    super(`Your organisation has proposal ${existingId} for this challenge: edit it (PUT /v1/proposals/${existingId})`);
  }
}

/** The solver's organisation is outside the challenge's eligibility, or builds on records not its own. */
export class NotEligibleError extends ChallengeError {
  readonly code = 'NOT_ELIGIBLE';
  constructor(why: string) {
    super(`Not eligible: ${why}`);
  }
}

/** A proposal from a solver that has not registered and accepted this challenge's terms. */
export class TermsNotAcceptedError extends ChallengeError {
  readonly code = 'TERMS_NOT_ACCEPTED';
  constructor(challengeId: string) {
    super(
      `acceptTerms: register for challenge ${challengeId} and accept its terms (POST /v1/challenges/${challengeId}/registrations) before proposing`,
    );
  }
}

export class InvitationNotFoundError extends ChallengeError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No invitation ${id} for your organisation`);
  }
}
